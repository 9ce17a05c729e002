"""What a job's page shows: its counts, its failures, its latest items, and whether it is stuck."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from articles.jobs.models import Job, JobItem

SHOWN = 100  # items of each kind listed on the page; the counts cover the rest
WAITING = timedelta(seconds=30)


@dataclass
class Progress:
    job: Job
    failed: list
    succeeded: list
    more_failed: int
    more_succeeded: int
    warning: str


def stalled_after(job=None):
    # An annotation import is one item that may take minutes (50,000 rows); not stuck yet.
    if job is not None and job.kind == Job.Kind.ANNOTATION_IMPORT:
        return timedelta(minutes=15)
    # One item may take the whole fetch time limit; allow a few before calling it stuck.
    return timedelta(seconds=max(60, 4 * settings.ANNOTATOR_FETCH_TIMEOUT))


def job_progress(job, now=None):
    now = now or timezone.now()
    items = job.items.select_related("article").order_by("position")
    failed = list(items.filter(outcome=JobItem.Outcome.FAILED)[:SHOWN])
    succeeded = list(items.exclude(outcome=JobItem.Outcome.FAILED)[:SHOWN])
    warning = ""
    if job.status == Job.Status.QUEUED and now - job.created_at > WAITING:
        warning = "Waiting for a worker: is `manage.py db_worker` running?"
    elif job.status == Job.Status.RUNNING:
        last = job.items.order_by("-finished_at").values_list("finished_at", flat=True).first()
        last = max(filter(None, [last, job.started_at]), default=job.created_at)
        if now - last > stalled_after(job):
            warning = (
                f"No progress since {timezone.localtime(last):%H:%M}: the worker may have stopped. "
                "The items listed are saved; add the others again."
            )
    return Progress(
        job=job,
        failed=failed,
        succeeded=succeeded,
        more_failed=max(0, job.failures - len(failed)),
        more_succeeded=max(0, job.done - job.failures - len(succeeded)),
        warning=warning,
    )
