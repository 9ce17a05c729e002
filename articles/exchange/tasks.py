"""A large annotation import from the web page, run as a background job.

Above ANNOTATOR_IMPORT_JOB_ROWS lines or ANNOTATOR_IMPORT_JOB_BYTES bytes the import page
stores the file (JobUpload) and starts this job instead of importing inside the request.
The job runs the very same import_annotations as the uploading user, so the permission
rules and the all-or-nothing rule are those of the page; the result (counts, refused or
skipped rows with their reasons) is kept in job.params["result"] for the job's page.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task

from articles.exchange.import_rows import AnnotationImportError, import_annotations
from articles.jobs.models import Job, JobItem, JobUpload
from articles.jobs.runner import MAX_REASON, ItemFailed, running, start_job

ERRORS_KEPT = 50


def runs_as_job(data):
    """Whether an upload is large enough to import in the background."""
    return (
        len(data) > settings.ANNOTATOR_IMPORT_JOB_BYTES
        or data.count(b"\n") >= settings.ANNOTATOR_IMPORT_JOB_ROWS
    )


def _errors(errors):
    return {
        "errors": [str(error) for error in errors[:ERRORS_KEPT]],
        "more_errors": max(0, len(errors) - ERRORS_KEPT),
    }


def _finish(job, name, result, outcome, reason=""):
    """Record the one item, the result and the count together, and drop the stored file."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            params={**job.params, "result": result},
            done=F("done") + 1,
            failures=F("failures") + int(outcome == JobItem.Outcome.FAILED),
        )
        JobItem.objects.create(
            job=job, position=0, source=name[:1000], outcome=outcome, reason=reason[:MAX_REASON]
        )
        JobUpload.objects.filter(job=job).delete()


@task
def import_annotation_file(job_id):
    with running(job_id) as job:
        upload = JobUpload.objects.filter(job=job, position=0).first()
        if upload is None:
            raise ItemFailed("the uploaded file is no longer stored; upload it again")
        owner, params = job.owner, job.params
        try:
            if owner is None or not owner.is_active or not owner.has_perm("articles.add_annotation"):
                raise AnnotationImportError("nothing imported: you may no longer import annotations")
            report = import_annotations(
                bytes(upload.data),
                params["format"],
                skip_bad=params["skip_bad"],
                raw=params["raw"],
                user=owner,
            )
        except AnnotationImportError as exc:
            _finish(
                job,
                upload.name,
                {"failure": str(exc), **_errors(exc.errors)},
                JobItem.Outcome.FAILED,
                str(exc),
            )
            raise ItemFailed(str(exc)) from None
        result = {
            "summary": report.summary(),
            "created": report.created,
            "restored": report.restored,
            "unchanged": report.unchanged,
            **_errors(report.skipped),
        }
        _finish(job, upload.name, result, JobItem.Outcome.IMPORTED)


def start_annotation_import(data, name, owner, *, import_format, skip_bad, raw):
    return start_job(
        import_annotation_file,
        kind=Job.Kind.ANNOTATION_IMPORT,
        owner=owner,
        title=f"Import {name}",
        total=1,
        params={"format": import_format, "skip_bad": skip_bad, "raw": raw, "file": name},
        before_enqueue=lambda job: JobUpload.objects.create(job=job, position=0, name=name[:255], data=data),
    )
