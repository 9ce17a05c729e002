"""Several files on the Add article page: one job, one item per file, each committed on its own."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.jobs.models import Job, JobItem, JobUpload
from articles.models import Article


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def files(*pairs):
    return [SimpleUploadedFile(name, data) for name, data in pairs]


def test_several_files_become_one_job_with_an_item_each(
    client, annotator_user, immediate_tasks, sample_article, sample_text
):
    client.force_login(annotator_user)
    uploads = files(
        ("one.txt", b"First story\n\nIts body."),
        ("two.html", b"<h1>Second story</h1><nav>Home | World</nav><p>Its paragraph.</p>"),
        ("again.txt", sample_text.encode()),
        ("scan.pdf", b"%PDF-1.4"),
        ("latin.txt", "Caf\u00e9 cr\u00e8me".encode("latin-1")),
    )
    response = client.post("/articles/add/", {"file": uploads, "outlet": "Herald"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.owner, job.status) == (Job.Kind.FILE_IMPORT, annotator_user, Job.Status.DONE)
    assert (job.total, job.done, job.failures) == (5, 5, 2)
    items = {item.source: item for item in job.items.all()}
    assert items["one.txt"].outcome == JobItem.Outcome.IMPORTED
    assert items["two.html"].article.title == "Second story"
    assert items["again.txt"].outcome == JobItem.Outcome.DUPLICATE
    assert items["again.txt"].article == sample_article
    assert "unsupported file type .pdf" in items["scan.pdf"].reason
    assert "UTF-8" in items["latin.txt"].reason
    added = Article.objects.exclude(pk=sample_article.pk)
    assert sorted(added.values_list("title", flat=True)) == ["First story", "Second story"]
    assert set(added.values_list("outlet", flat=True)) == {"Herald"}
    assert set(added.values_list("added_by", flat=True)) == {annotator_user.pk}
    assert not JobUpload.objects.exists()  # the bytes are gone once read
    html = client.get(job.get_absolute_url()).content.decode()
    assert "5 / 5" in html and "unsupported file type .pdf" in html and "First story" in html


def test_the_files_wait_in_the_database_for_a_worker(client, annotator_user):
    client.force_login(annotator_user)
    uploads = files(("a.txt", b"A\n\nBody a."), ("b.txt", b"B\n\nBody b."))
    assert client.post("/articles/add/", {"file": uploads}).status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED and job.task_id
    stored = {u.name: bytes(u.data) for u in JobUpload.objects.filter(job=job)}
    assert stored == {"a.txt": b"A\n\nBody a.", "b.txt": b"B\n\nBody b."}
    assert not Article.objects.exists()


def test_each_file_commits_on_its_own_when_the_job_crashes(client, annotator_user, immediate_tasks):
    from articles.ingest import pipeline

    real = pipeline.store_article
    calls = []

    def store_then_crash(ingested, **kwargs):
        calls.append(ingested.title)
        if len(calls) == 2:
            real(ingested, **kwargs)  # written, then the worker dies before the item is recorded
            raise RuntimeError("worker lost")
        return real(ingested, **kwargs)

    client.force_login(annotator_user)
    uploads = files(("a.txt", b"A\n\nBody a."), ("b.txt", b"B\n\nBody b."), ("c.txt", b"C\n\nBody c."))
    with mock.patch("articles.ingest.tasks.store_article", store_then_crash):
        client.post("/articles/add/", {"file": uploads})  # the task fails; the request does not
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "worker lost" in job.error
    assert list(Article.objects.values_list("title", flat=True)) == ["A"]  # b rolled back whole
    assert list(job.items.values_list("source", flat=True)) == ["a.txt"]
    assert sorted(JobUpload.objects.values_list("name", flat=True)) == ["b.txt", "c.txt"]


def test_several_files_refuse_a_title_or_url(client, annotator_user):
    client.force_login(annotator_user)
    uploads = files(("a.txt", b"A\n\nBody."), ("b.txt", b"B\n\nBody."))
    response = client.post("/articles/add/", {"file": uploads, "title": "One title"})
    assert response.status_code == 400
    assert b"leave the title and URL empty" in response.content
    assert not Job.objects.exists()


def test_too_many_or_too_big_files_are_refused_up_front(client, annotator_user, settings):
    client.force_login(annotator_user)
    settings.ANNOTATOR_MAX_UPLOAD_FILES = 2
    uploads = files(("a.txt", b"A\n\nx"), ("b.txt", b"B\n\nx"), ("c.txt", b"C\n\nx"))
    response = client.post("/articles/add/", {"file": uploads})
    assert response.status_code == 400 and b"at most 2 files" in response.content
    settings.ANNOTATOR_MAX_UPLOAD_BYTES = 10
    uploads = files(("a.txt", b"A\n\nshort"), ("big.txt", b"B\n\n" + b"x" * 20))
    response = client.post("/articles/add/", {"file": uploads})
    assert response.status_code == 400 and b"big.txt" in response.content
    assert not Job.objects.exists()


def test_the_add_page_offers_a_multiple_file_input(client, annotator_user):
    client.force_login(annotator_user)
    html = client.get("/articles/add/").content.decode()
    assert 'type="file" name="file" multiple' in html
