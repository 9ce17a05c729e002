from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.coding.models import Assignment, BatchArticle
from articles.coding.tests.helpers import annotate, make_batch
from articles.tests.helpers import HTMX, label, selection


def test_it_lists_my_assignments_with_status_and_due_date(client, make_user, sample_article, other_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article, other_article], [alice, bob], name="Wave 1", due_date="2026-12-24")
    client.force_login(alice)
    html = client.get("/coding/mine/").content.decode()
    assert sample_article.title.split("&")[0][:20] in html and "Markets rally" in html
    assert "Wave 1" in html and "24 Dec 2026" in html and html.count("To do</span>") == 2
    assert f'href="/articles/{other_article.pk}/"' in html


def test_it_filters_by_status_and_counts(client, make_user, sample_article, other_article):
    alice = make_user("alice")
    make_batch([sample_article, other_article], [alice])
    Assignment.objects.filter(article=other_article).update(status=Assignment.DONE)
    client.force_login(alice)
    html = client.get("/coding/mine/?status=done").content.decode()
    assert "Markets rally" in html and "Pakistani" not in html
    assert client.get("/coding/mine/?status=bogus").status_code == 400


def test_it_shows_nobody_elses_assignments(client, make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice])
    client.force_login(bob)
    assert "Nothing" in client.get("/coding/mine/").content.decode()


def test_it_keeps_queries_flat(client, make_user, sample_article):
    from articles.ingest.pipeline import ingest, store_article

    alice = make_user("alice")
    articles = [store_article(ingest(f"Story {i}\n\nBody {i} words.", title=f"T{i}"))[0] for i in range(30)]
    make_batch(articles[:5], [alice], name="small")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/coding/mine/")
    make_batch(articles, [alice], name="large")
    with CaptureQueriesContext(connection) as many:
        client.get("/coding/mine/")
    assert len(many) == len(few)


def test_it_moves_to_in_progress_on_the_first_annotation(client, make_user, sample_article):
    alice = make_user("alice")
    make_batch([sample_article], [alice])
    client.force_login(alice)
    response = client.post(
        f"/articles/{sample_article.pk}/annotations/",
        {"label": label().pk, **selection(sample_article, "Pakistani")},
        headers=HTMX,
    )
    assert response.status_code == 200
    assignment = Assignment.objects.get()
    assert assignment.status == Assignment.IN_PROGRESS and assignment.started_at


def test_it_marks_done_from_the_reader_and_back(client, make_user, sample_article):
    alice = make_user("alice")
    make_batch([sample_article], [alice], name="Wave 2")
    assignment = Assignment.objects.get()
    client.force_login(alice)
    html = client.get(f"/articles/{sample_article.pk}/").content.decode()
    assert "Coding batch <strong>Wave 2</strong>" in html and "Mark done" in html
    response = client.post(
        f"/coding/assignments/{assignment.pk}/done/", {"done": "1", "next": "/coding/mine/"}
    )
    assert response.status_code == 302 and response.url == "/coding/mine/"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.DONE and assignment.done_at
    assert "Reopen" in client.get(f"/articles/{sample_article.pk}/").content.decode()
    response = client.post(
        f"/coding/assignments/{assignment.pk}/done/", {"done": "0", "next": "https://evil.example/"}
    )
    assert response.url == f"/articles/{sample_article.pk}/"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.IN_PROGRESS and assignment.done_at is None


def test_it_closes_done_once_adjudicated(client, make_user, sample_article):
    alice = make_user("alice")
    make_batch([sample_article], [alice])
    BatchArticle.objects.update(adjudicated_at="2026-01-01T00:00Z")
    assignment = Assignment.objects.get()
    client.force_login(alice)
    response = client.post(f"/coding/assignments/{assignment.pk}/done/", {"done": "1"})
    assert response.status_code == 409 and "adjudicated" in response.content.decode()
    assert "Mark done" not in client.get(f"/articles/{sample_article.pk}/").content.decode()


def test_it_refuses_others_and_bad_input(client, make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice])
    assignment = Assignment.objects.get()
    client.force_login(bob)
    assert client.post(f"/coding/assignments/{assignment.pk}/done/", {"done": "1"}).status_code == 403
    client.force_login(alice)
    assert client.post(f"/coding/assignments/{assignment.pk}/done/", {"done": "maybe"}).status_code == 400
    assert client.get(f"/coding/assignments/{assignment.pk}/done/").status_code == 405
    assert client.post("/coding/assignments/999999/done/", {"done": "1"}).status_code == 404
    annotate(sample_article, alice, "Pakistani")
