"""A large annotation import from the web page runs as a job, with the page's rules exactly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.exchange.tests.test_import_rights import URL, jsonl, row
from articles.jobs.models import Job, JobItem, JobUpload
from articles.models import Annotation
from articles.spans.annotating import delete_annotation
from articles.tests.admin_helpers import make_curator
from articles.tests.export_helpers import annotate, make_article


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def as_job(settings):
    """Every file of two lines or more is "large"."""
    settings.ANNOTATOR_IMPORT_JOB_ROWS = 1


@pytest.fixture
def people(make_user):
    return {
        "alice": make_user("alice", "Annotator"),
        "bob": make_user("bob", "Annotator"),
        "carol": make_curator(make_user),
    }


@pytest.fixture
def article(db):
    return make_article()


def post(client, data, **fields):
    return client.post(URL, {"file": SimpleUploadedFile("big.jsonl", data), **fields})


def the_job(response):
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == Job.Kind.ANNOTATION_IMPORT
    return job


def test_an_annotator_imports_their_own_rows_through_the_job(
    client, people, article, as_job, immediate_tasks
):
    client.force_login(people["alice"])
    job = the_job(
        post(client, jsonl(row(article, "delegation", "alice"), row(article, "productive", "alice")))
    )
    assert (job.status, job.owner, job.done, job.total, job.failures) == (
        Job.Status.DONE,
        people["alice"],
        1,
        1,
        0,
    )
    assert set(Annotation.objects.values_list("author__username", flat=True)) == {"alice"}
    assert Annotation.objects.count() == 2
    assert job.params["result"]["created"] == 2
    assert job.items.get().outcome == JobItem.Outcome.IMPORTED
    assert not JobUpload.objects.exists()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Imported: 2 created, 0 restored, 0 already present." in html and "1 / 1" in html


def test_an_annotators_forged_row_refuses_the_whole_job(client, people, article, as_job, immediate_tasks):
    client.force_login(people["alice"])
    good = row(article, "productive", "alice")
    forged = row(article, "delegation", "carol")
    job = the_job(post(client, jsonl(good, forged)))
    assert job.status == Job.Status.FAILED
    message = "line 2: you can import only your own annotations (this one is by carol)"
    assert message in job.error and job.error.startswith("nothing imported")
    assert job.params["result"]["errors"] == [message]
    assert Annotation.all_objects.count() == 0, "all or nothing"
    assert job.items.get().outcome == JobItem.Outcome.FAILED
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Refused rows (nothing was imported)" in html and message in html
    assert html.count(message) == 2, "in the job's error and in the list, not a third time"


def test_an_annotator_cannot_restore_a_curators_deletion_through_the_job(
    client, people, article, as_job, immediate_tasks
):
    mine = annotate(article, "delegation", people["alice"])
    delete_annotation(mine, by=people["carol"])
    client.force_login(people["alice"])
    records = [
        row(article, "productive", "alice"),
        row(article, "delegation", "alice", annotation_id=str(mine.uuid)),
    ]
    job = the_job(post(client, jsonl(*records)))
    assert job.status == Job.Status.FAILED and "a curator deleted it" in job.error
    assert Annotation.objects.count() == 0
    mine.refresh_from_db()
    assert mine.is_deleted


def test_a_curator_imports_authorship_review_and_restores_through_the_job(
    client, people, article, as_job, immediate_tasks
):
    theirs = annotate(article, "delegation", people["bob"])
    delete_annotation(theirs, by=people["bob"])
    client.force_login(people["carol"])
    records = [
        row(article, "productive", "bob", status="accepted", reviewed_by="carol"),
        row(article, "delegation", "bob", annotation_id=str(theirs.uuid), note="restored"),
    ]
    job = the_job(post(client, jsonl(*records)))
    assert job.status == Job.Status.DONE and job.owner == people["carol"]
    assert (job.params["result"]["created"], job.params["result"]["restored"]) == (1, 1)
    accepted = Annotation.objects.get(quote="productive")
    assert (accepted.author, accepted.status, accepted.reviewed_by) == (
        people["bob"],
        "accepted",
        people["carol"],
    )
    theirs.refresh_from_db()
    assert not theirs.is_deleted and theirs.note == "restored"


def test_a_curators_bad_row_refuses_the_whole_job_unless_skipping(
    client, people, article, as_job, immediate_tasks
):
    client.force_login(people["carol"])
    good = row(article, "productive", "bob", status="accepted", reviewed_by="carol")
    bad = row(article, "delegation", "bob") | {"quote": "not in the text"}
    job = the_job(post(client, jsonl(good, bad)))
    assert job.status == Job.Status.FAILED and "line 2:" in job.error
    assert Annotation.all_objects.count() == 0, "all or nothing"
    Job.objects.all().delete()
    job = the_job(post(client, jsonl(good, bad), skip_bad="on"))
    assert job.status == Job.Status.DONE
    assert job.params["result"]["created"] == 1
    assert job.params["result"]["errors"][0].startswith("line 2:")
    assert list(Annotation.objects.values_list("quote", flat=True)) == ["productive"]
    assert "Skipped rows" in client.get(job.get_absolute_url()).content.decode()


def test_the_job_runs_as_the_uploader_and_checks_they_still_may(client, people, article, as_job):
    client.force_login(people["alice"])
    job = the_job(
        post(client, jsonl(row(article, "delegation", "alice"), row(article, "productive", "alice")))
    )
    assert job.status == Job.Status.QUEUED  # waits for a worker, the file in the database
    assert bytes(JobUpload.objects.get(job=job).data).count(b"\n") == 1
    people["alice"].groups.clear()
    from articles.exchange.tasks import import_annotation_file

    import_annotation_file.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "may no longer import" in job.error
    assert Annotation.objects.count() == 0


def test_a_small_file_stays_synchronous_and_a_large_one_by_bytes_goes_to_a_job(
    client, people, article, settings, immediate_tasks
):
    client.force_login(people["alice"])
    records = jsonl(row(article, "delegation", "alice"), row(article, "productive", "alice"))
    assert post(client, records).status_code == 200
    assert not Job.objects.exists() and Annotation.objects.count() == 2
    settings.ANNOTATOR_IMPORT_JOB_BYTES = 10
    job = the_job(post(client, records))
    assert job.status == Job.Status.DONE and job.params["result"]["unchanged"] == 2


def test_another_annotator_cannot_see_the_import_job(
    client, people, article, as_job, immediate_tasks, make_user
):
    client.force_login(people["alice"])
    job = the_job(
        post(client, jsonl(row(article, "delegation", "alice"), row(article, "productive", "alice")))
    )
    client.force_login(people["bob"])
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_long_annotation_import_is_not_called_stuck_too_soon(client, people):
    from datetime import timedelta

    from django.utils import timezone

    started = timezone.now() - timedelta(minutes=5)
    job = Job.objects.create(
        kind=Job.Kind.ANNOTATION_IMPORT,
        owner=people["alice"],
        total=1,
        status=Job.Status.RUNNING,
        started_at=started,
    )
    client.force_login(people["alice"])
    assert "the worker may have stopped" not in client.get(job.get_absolute_url()).content.decode()
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=20))
    assert "the worker may have stopped" in client.get(job.get_absolute_url()).content.decode()
