"""Starting a job and running its items, with progress the owner can watch.

A job's task (see articles/web/tasks.py) calls `run_items`: each item's slow part (say,
fetching a URL) runs outside any transaction, then what it stores, its JobItem and the
progress counters commit together in one transaction. So an item is either fully in or
not at all, and a job that crashes (or whose worker is killed) leaves no half-imported
article behind: `running()` marks it failed with the reason.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.jobs.models import Job, JobItem

MAX_REASON = JobItem._meta.get_field("reason").max_length


class ItemFailed(Exception):
    """One item could not be done; str() is the reason shown to the user."""


def start_job(task, *, kind, owner, title, total=0, params=None, before_enqueue=None):
    """Record a job and put its task on the queue; return the Job.

    `before_enqueue(job)` stores what the task will read (say, uploaded files) first.
    """
    job = Job.objects.create(kind=kind, owner=owner, title=title[:300], total=total, params=params or {})
    if before_enqueue is not None:
        before_enqueue(job)
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@contextmanager
def running(job_id):
    """Mark the job running; done when the block ends, failed (with the reason) if it raises."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    try:
        yield job
    except BaseException as exc:
        reason = str(exc) or exc.__class__.__name__
        if not isinstance(exc, ItemFailed):
            reason = f"the job stopped unexpectedly: {exc.__class__.__name__}: {reason}"
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
        )
        if isinstance(exc, ItemFailed):
            return
        raise
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now())


def set_total(job, total):
    job.total = total
    Job.objects.filter(pk=job.pk).update(total=total)


def run_items(job, sources, *, prepare, store, label=str, on_failure=None):
    """Run each source through prepare (no DB writes, may be slow) then store (in a transaction).

    `prepare(source)` returns a payload or raises ItemFailed; `store(source, payload)` returns
    (outcome, article) or raises ItemFailed; `on_failure(source, reason)` records a failure
    in the same transaction as its JobItem. Items already recorded (a re-run) are skipped.
    """
    already = set(job.items.values_list("position", flat=True))
    for position, source in enumerate(sources):
        if position in already:
            continue
        reason = ""
        try:
            payload = prepare(source)
        except ItemFailed as exc:
            payload, reason = None, str(exc)
        with transaction.atomic():
            outcome, article = JobItem.Outcome.FAILED, None
            if not reason:
                try:
                    with transaction.atomic():
                        outcome, article = store(source, payload)
                except ItemFailed as exc:
                    reason = str(exc)
            if reason:
                outcome, article = JobItem.Outcome.FAILED, None
                if on_failure is not None:
                    on_failure(source, reason)
            JobItem.objects.create(
                job=job,
                position=position,
                source=label(source)[:1000],
                outcome=outcome,
                reason=reason[:MAX_REASON],
                article=article,
            )
            failed = int(outcome == JobItem.Outcome.FAILED)
            Job.objects.filter(pk=job.pk).update(done=F("done") + 1, failures=F("failures") + failed)
