"""The Jobs page and a job's progress page (and its HTMX-polled partial)."""

import pytest
from django.urls import reverse

from articles.jobs.models import Job, JobItem

HTMX = {"HX-Request": "true"}


@pytest.fixture
def job(annotator_user):
    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT,
        owner=annotator_user,
        title="2 URLs",
        total=2,
        status=Job.Status.RUNNING,
        done=1,
        failures=1,
    )
    JobItem.objects.create(
        job=job,
        position=0,
        source="http://10.0.0.1/",
        outcome="failed",
        reason="refused: the address 10.0.0.1 is on a private network",
    )
    return job


def test_it_shows_progress_and_keeps_polling_while_running(client, annotator_user, job):
    client.force_login(annotator_user)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "1 / 2" in html
    assert 'hx-trigger="every 1s"' in html
    assert "refused: the address 10.0.0.1 is on a private network" in html
    assert "<html" in html


def test_the_partial_stops_polling_when_the_job_is_done(client, annotator_user, job):
    client.force_login(annotator_user)
    partial = client.get(job.get_absolute_url(), headers=HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="job-progress"')
    assert "every 1s" in partial
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=2)
    partial = client.get(job.get_absolute_url(), headers=HTMX).content.decode()
    assert "2 / 2" in partial
    assert "hx-trigger" not in partial
    assert "<html" not in partial


def test_a_failed_job_shows_its_reason(client, annotator_user, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="the feed could not be read")
    client.force_login(annotator_user)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "the feed could not be read" in html
    assert "Failed" in html


def test_another_annotator_sees_neither_the_job_nor_it_in_the_list(client, make_user, job):
    client.force_login(make_user("bob", "Annotator"))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(job.get_absolute_url(), headers=HTMX).status_code == 404
    assert "2 URLs" not in client.get(reverse("job_list")).content.decode()


def test_a_viewer_sees_no_one_elses_job(client, make_user, job):
    client.force_login(make_user("vera", "Viewer"))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert "No jobs yet" in client.get(reverse("job_list")).content.decode()


def test_a_curator_sees_every_job_feed_polls_included(client, make_user, job):
    poll = Job.objects.create(kind=Job.Kind.FEED_POLL, owner=None, title="Feed: Herald")
    client.force_login(make_user("cora", "Curator"))
    html = client.get(reverse("job_list")).content.decode()
    assert "2 URLs" in html and "Feed: Herald" in html and "(scheduled)" in html
    assert client.get(poll.get_absolute_url()).status_code == 200


def test_the_list_shows_the_owners_recent_jobs_newest_first(client, annotator_user, job):
    Job.objects.create(kind=Job.Kind.URL_IMPORT, owner=annotator_user, title="newer job")
    client.force_login(annotator_user)
    html = client.get(reverse("job_list")).content.decode()
    assert html.index("newer job") < html.index("2 URLs")


def test_it_takes_only_get(client, annotator_user, job):
    client.force_login(annotator_user)
    assert client.post(job.get_absolute_url()).status_code == 405
    assert client.post(reverse("job_list")).status_code == 405


def test_it_needs_a_login(client, job):
    assert client.get(job.get_absolute_url()).status_code == 302


def test_an_unknown_job_is_404(client, annotator_user):
    client.force_login(annotator_user)
    assert client.get(reverse("job_detail", args=[999999])).status_code == 404


def test_a_big_job_lists_its_failures_first_and_caps_the_lists(client, annotator_user):
    from articles.jobs.progress import SHOWN

    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT,
        owner=annotator_user,
        title="big",
        total=300,
        done=300,
        failures=150,
        status=Job.Status.DONE,
    )
    JobItem.objects.bulk_create(
        JobItem(
            job=job,
            position=n,
            source=f"https://x.example/{n}",
            outcome="failed" if n % 2 else "duplicate",
            reason="the server answered HTTP 404 Not Found" if n % 2 else "",
        )
        for n in range(300)
    )
    client.force_login(annotator_user)
    html = client.get(job.get_absolute_url()).content.decode()
    # Counted as elements: the page's inlined stylesheet names the classes too.
    assert html.count('class="job-item job-item-failed"') == SHOWN
    assert html.count('class="job-item job-item-duplicate"') == SHOWN
    assert html.index("https://x.example/1<") < html.index("https://x.example/0<")
    assert "… and 50 more failed." in html
    assert "… and 50 more." in html


def test_it_warns_when_no_worker_takes_the_job(client, annotator_user):
    from datetime import timedelta

    from django.utils import timezone

    job = Job.objects.create(kind=Job.Kind.URL_IMPORT, owner=annotator_user, title="waiting", total=1)
    client.force_login(annotator_user)
    assert "Waiting for a worker" not in client.get(job.get_absolute_url()).content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert "Waiting for a worker" in client.get(job.get_absolute_url()).content.decode()


def test_it_warns_when_a_running_job_stops_moving(client, annotator_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ANNOTATOR_FETCH_TIMEOUT = 15
    long_ago = timezone.now() - timedelta(minutes=5)
    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT,
        owner=annotator_user,
        title="stuck",
        total=2,
        done=1,
        status=Job.Status.RUNNING,
        started_at=long_ago,
    )
    item = JobItem.objects.create(job=job, position=0, source="https://x.example/", outcome="imported")
    client.force_login(annotator_user)
    assert "No progress since" not in client.get(job.get_absolute_url()).content.decode()
    JobItem.objects.filter(pk=item.pk).update(finished_at=long_ago)
    assert "the worker may have stopped" in client.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "failures, label, css",
    [(0, "Done", "job-done"), (1, "Done, 1 failed", "job-partial"), (2, "All failed", "job-failed")],
)
def test_it_tells_a_finished_job_by_what_became_of_its_items(client, annotator_user, failures, label, css):
    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT,
        owner=annotator_user,
        title="2 URLs",
        total=2,
        done=2,
        failures=failures,
        status=Job.Status.DONE,
    )
    client.force_login(annotator_user)
    for url in (reverse("job_list"), job.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'<span class="job-status {css}">{label}</span>' in html
