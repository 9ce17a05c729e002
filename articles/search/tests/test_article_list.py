from articles.ingest.pipeline import ingest, store_article
from articles.models import Label
from articles.spans.annotating import create_annotation


def add(title, body):
    article, _ = store_article(ingest(body, title=title))
    return article


def test_it_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_lists_newest_first_with_annotation_counts(client, annotator_user, sample_article):
    newer = add("Newer piece", "Some other text about budgets.")
    label = Label.objects.get(name="factual")
    create_annotation(
        sample_article, annotator_user, label_id=label.pk, start_u16=0, end_u16=5, quote="For a"
    )
    client.force_login(annotator_user)
    response = client.get("/")
    assert response.status_code == 200
    page = list(response.context["page"].object_list)
    assert [a.pk for a in page] == [newer.pk, sample_article.pk]
    assert [a.annotation_count for a in page] == [0, 1]
    assert b"Senior Pakistani Military Official" in response.content


def test_it_searches_title_and_text(client, annotator_user, sample_article):
    add("Budget day", "The finance minister spoke about taxes.")
    client.force_login(annotator_user)
    by_text = client.get("/", {"q": "Haqqani"}).context["page"].object_list
    assert [a.pk for a in by_text] == [sample_article.pk]
    by_title = client.get("/", {"q": "budget"}).context["page"].object_list
    assert [a.title for a in by_title] == ["Budget day"]
    nothing = client.get("/", {"q": "zebra"})
    assert b"No article matches" in nothing.content


def test_it_paginates(client, annotator_user):
    for i in range(30):
        add(f"Article {i}", f"Body number {i}.")
    client.force_login(annotator_user)
    first = client.get("/")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/", {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get("/", {"page": "nonsense"}).status_code == 200


def test_it_answers_htmx_search_with_the_results_partial(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    response = client.get(
        "/", {"q": "Pakistan"}, headers={"HX-Request": "true", "HX-Target": "article-results"}
    )
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="article-results">')
    assert b"<html" not in response.content


def test_it_rejects_post(client, annotator_user):
    client.force_login(annotator_user)
    assert client.post("/").status_code == 405
