"""Several files added from the Add article page, as one background job.

The uploaded bytes wait in JobUpload (the database, so any worker machine can read them);
each file is read, cleaned and stored in its own transaction with its JobItem, and its
bytes are deleted in that same transaction.
"""

from django.tasks import task

from articles.ingest.pipeline import IngestError, format_for_filename, ingest_file, store_article
from articles.jobs.models import Job, JobItem, JobUpload
from articles.jobs.runner import ItemFailed, run_items, running, start_job

FIELDS = ("outlet", "byline", "published")


@task
def import_files(job_id):
    with running(job_id) as job:
        owner, fields = job.owner, {k: v for k, v in job.params.get("fields", {}).items() if v}
        names = job.params["files"]

        def prepare(position):
            upload = JobUpload.objects.filter(job=job, position=position).first()
            if upload is None:
                raise ItemFailed("the uploaded file is no longer stored; upload it again")
            try:
                format_for_filename(upload.name)
                return ingest_file(bytes(upload.data), upload.name)
            except IngestError as exc:
                raise ItemFailed(f"could not read the file: {exc}") from None

        def store(position, ingested):
            article, created = store_article(ingested, added_by=owner, **fields)
            JobUpload.objects.filter(job=job, position=position).delete()
            return (JobItem.Outcome.IMPORTED if created else JobItem.Outcome.DUPLICATE), article

        run_items(
            job,
            range(len(names)),
            prepare=prepare,
            store=store,
            label=lambda position: names[position],
            on_failure=lambda position, reason: JobUpload.objects.filter(job=job, position=position).delete(),
        )


def start_file_import(uploads, owner, fields):
    """`uploads` is [(name, bytes)]; `fields` the form's outlet, byline and published date."""
    names = [name for name, _ in uploads]
    title = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"
    params = {
        "files": names,
        "fields": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items() if v},
    }

    def store_uploads(job):
        JobUpload.objects.bulk_create(
            JobUpload(job=job, position=position, name=name[:255], data=data)
            for position, (name, data) in enumerate(uploads)
        )

    return start_job(
        import_files,
        kind=Job.Kind.FILE_IMPORT,
        owner=owner,
        title=title,
        total=len(names),
        params=params,
        before_enqueue=store_uploads,
    )
