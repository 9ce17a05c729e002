"""Articles in the admin: list with counts and review progress, filters, the text lock,
deletion protection, and the inline review of an article's annotations."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Article, Category, Label
from articles.spans.annotating import delete_annotation

from .admin_helpers import ARTICLES_URL, many_annotations, messages_of, run_action
from .export_helpers import annotate


def listed(response):
    return {article.pk: article for article in response.context["cl"].result_list}


def article_form(article, **changes):
    data = {
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
        "url": article.url,
        "published": article.published or "",
        "body": article.body,
        "annotations-TOTAL_FORMS": 0,
        "annotations-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def inline_form(article, annotations, **changes):
    """The article's change form as the browser posts it, inline rows included."""
    data = article_form(article)
    data["annotations-TOTAL_FORMS"] = data["annotations-INITIAL_FORMS"] = len(annotations)
    for i, annotation in enumerate(annotations):
        data[f"annotations-{i}-id"] = annotation.pk
        data[f"annotations-{i}-article"] = article.pk
        data[f"annotations-{i}-label"] = annotation.label_id
        data[f"annotations-{i}-status"] = annotation.status
    for key, value in changes.items():
        data[key] = value
    return data


def test_it_lists_counts_per_category_and_review_progress(client, curator, sample_article, other_article):
    annotate(sample_article, "Pakistani", curator, label="factual", status="accepted")
    annotate(sample_article, "coalition partner", curator, label="opinion")
    annotate(sample_article, "ABC News", curator, label="named person", status="rejected")
    delete_annotation(annotate(sample_article, "military", curator, label="negative"))
    response = client.get(ARTICLES_URL)
    rows = listed(response)
    claim, source, tone = (Category.objects.get(slug=slug).pk for slug in ("claim", "source", "tone"))
    article = rows[sample_article.pk]
    assert (getattr(article, f"n_category_{claim}"), getattr(article, f"n_category_{source}")) == (2, 1)
    assert getattr(article, f"n_category_{tone}") == 0  # the deleted one does not count
    html = response.content.decode()
    # Counted for the page's rows only, so not sortable (sorting would count the whole archive).
    assert '<th scope="col" class="column-n_category_' in html and ">Claim</span>" in html
    assert '<progress value="2" max="3"></progress> 2 of 3 reviewed' in html
    assert f'<a href="/articles/{sample_article.pk}/">View in the reader</a>' in html
    assert rows[other_article.pk].n_live == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outlet=Daily+Ledger", ["other"]),
        ("pending=yes", ["sample"]),
        ("pending=no", ["other"]),
        ("q=rally", ["other"]),
        ("q=Pakistani", ["sample"]),
    ],
)
def test_it_filters_and_searches(client, curator, sample_article, other_article, query, expected):
    annotate(sample_article, "Pakistani", curator)
    annotate(other_article, "rallied", curator, status="accepted")
    articles = {"sample": sample_article.pk, "other": other_article.pk}
    assert set(listed(client.get(f"{ARTICLES_URL}?{query}"))) == {articles[name] for name in expected}


def test_it_filters_by_date_added(client, curator, sample_article, other_article):
    Article.objects.filter(pk=sample_article.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    week = {
        "created_at__gte": today - datetime.timedelta(days=7),
        "created_at__lt": today + datetime.timedelta(days=1),
    }
    assert set(listed(client.get(ARTICLES_URL, week))) == {other_article.pk}


def test_it_lists_articles_in_a_number_of_queries_that_does_not_grow(client, curator, analyst):
    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ARTICLES_URL).status_code == 200
        return len(queries)

    def add_articles(first, last):
        for i in range(first, last):
            article, _ = store_article(ingest(f"Story number {i} about the budget.", title=f"Story {i}"))
            many_annotations(article, analyst, 3)

    add_articles(0, 3)
    few = queries_for_list()
    add_articles(3, 40)
    assert queries_for_list() == few


def test_it_makes_the_text_read_only_once_annotated_and_says_why(client, curator, sample_article):
    annotate(sample_article, "Pakistani", curator)
    url = f"{ARTICLES_URL}{sample_article.pk}/change/"
    html = client.get(url).content.decode()
    assert "The text is read-only because 1 annotation points into it" in html
    assert 'name="body"' not in html
    response = client.post(
        url, article_form(sample_article, body="Something else entirely.", title="Renamed")
    )
    assert response.status_code == 302
    sample_article.refresh_from_db()
    assert sample_article.title == "Renamed"
    assert sample_article.body.startswith("For a moment as a senior Pakistani military official")


def test_it_keeps_the_text_locked_when_the_only_annotation_is_deleted(client, curator, sample_article):
    delete_annotation(annotate(sample_article, "Pakistani", curator))
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/").content.decode()
    assert 'name="body"' not in html and "read-only because 1 annotation points" in html


def test_it_edits_the_text_of_an_unannotated_article_in_canonical_form(client, curator, other_article):
    url = f"{ARTICLES_URL}{other_article.pk}/change/"
    response = client.post(
        url, article_form(other_article, body="Cafe\u0301 prices rose.\r\n\r\n\r\nThen fell.  ")
    )
    assert response.status_code == 302
    other_article.refresh_from_db()
    assert other_article.body == "Caf\u00e9 prices rose.\n\nThen fell."


def test_it_refuses_text_another_article_has(client, curator, sample_article, other_article):
    url = f"{ARTICLES_URL}{other_article.pk}/change/"
    response = client.post(url, article_form(other_article, body=sample_article.body))
    assert response.status_code == 200
    assert "Another article already has exactly this text" in response.content.decode()


def test_it_refuses_empty_text(client, curator, other_article):
    response = client.post(
        f"{ARTICLES_URL}{other_article.pk}/change/", article_form(other_article, body="\n\n")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_it_sends_new_articles_through_the_add_page(client, curator):
    response = client.get(f"{ARTICLES_URL}add/")
    assert response.status_code == 302 and response["Location"] == "/articles/add/"


def test_it_refuses_to_delete_an_article_with_annotations(client, curator, sample_article):
    delete_annotation(annotate(sample_article, "Pakistani", curator))
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/delete/").content.decode()
    assert "cannot be deleted." in html and "has 1 annotation (deleted ones included)" in html
    response = client.post(f"{ARTICLES_URL}{sample_article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert Annotation.all_objects.filter(article=sample_article).count() == 1


def test_it_deletes_an_article_without_annotations(client, curator, other_article):
    response = client.post(f"{ARTICLES_URL}{other_article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=other_article.pk).exists()


def test_it_shows_annotations_inline_in_text_order(client, curator, sample_article):
    late = annotate(sample_article, "coalition partner", curator)
    early = annotate(sample_article, "Pakistani military official", curator, note="who exactly?")
    deleted = annotate(sample_article, "ABC News", curator)
    delete_annotation(deleted)
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/").content.decode()
    assert html.index("<mark>Pakistani military official</mark>") < html.index(
        "<mark>coalition partner</mark>"
    )
    assert "<mark>ABC News</mark>" not in html
    assert "who exactly?" in html
    assert f'name="annotations-0-id" value="{early.pk}"' in html
    assert f'name="annotations-1-id" value="{late.pk}"' in html
    assert 'name="annotations-0-status"' in html and 'name="annotations-0-label"' in html


def test_it_reviews_and_relabels_inline(client, curator, sample_article):
    first = annotate(sample_article, "Pakistani military official", curator)
    second = annotate(sample_article, "coalition partner", curator)
    opinion = Label.objects.get(name="opinion")
    data = inline_form(
        sample_article,
        [first, second],
        **{"annotations-0-status": "accepted", "annotations-1-label": opinion.pk},
    )
    response = client.post(f"{ARTICLES_URL}{sample_article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.reviewed_by) == ("accepted", curator)
    assert (second.label, second.status, second.reviewed_by) == (opinion, "pending", None)


def test_it_offers_only_active_labels_inline_but_keeps_a_retired_one(client, curator, sample_article):
    keeps = annotate(sample_article, "Pakistani military official", curator, label="prediction")
    Label.objects.filter(name__in=["prediction", "opinion"]).update(active=False)
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/").content.decode()
    prediction, opinion = Label.objects.get(name="prediction"), Label.objects.get(name="opinion")
    assert f'<option value="{prediction.pk}" selected>Claim: prediction (retired)</option>' in html
    assert f'<option value="{opinion.pk}"' not in html
    data = inline_form(sample_article, [keeps], **{"annotations-0-label": opinion.pk})
    response = client.post(f"{ARTICLES_URL}{sample_article.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    keeps.refresh_from_db()
    assert keeps.label == prediction


def test_it_loads_an_article_with_1000_annotations_in_as_many_queries_as_with_10(
    client, curator, analyst, sample_article
):
    url = f"{ARTICLES_URL}{sample_article.pk}/change/"
    many_annotations(sample_article, analyst, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many_annotations(sample_article, analyst, 990, label="opinion")
    Annotation.objects.filter(pk__in=Annotation.objects.values("pk")[:200]).update(
        status="accepted", reviewed_by=curator, reviewed_at=timezone.now()
    )
    Label.objects.filter(name="opinion").update(active=False)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="form-row') >= 1000
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_it_saves_one_review_among_1000_inline_annotations_in_few_queries(
    client, curator, analyst, sample_article
):
    annotations = many_annotations(sample_article, analyst, 1000)
    annotations = list(Annotation.objects.filter(article=sample_article).order_by("start", "end", "id"))
    data = inline_form(sample_article, annotations, **{"annotations-500-status": "rejected"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{ARTICLES_URL}{sample_article.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert any("was changed successfully" in message for message in messages_of(response))
    rejected = Annotation.objects.get(status="rejected")
    assert rejected.pk == annotations[500].pk and rejected.reviewed_by == curator
    assert len(queries) < 60


def test_it_exports_the_annotations_of_the_selected_articles(client, curator, sample_article, other_article):
    annotate(sample_article, "Pakistani", curator)
    annotate(other_article, "rallied", curator)
    response = run_action(client, ARTICLES_URL, "export_articles_annotations_csv", [other_article])
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["quote"] for row in rows] == ["rallied"]


def test_it_labels_the_url_field_and_names_the_app_in_the_breadcrumb(client, curator, sample_article):
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/").content.decode()
    assert '<label for="id_url">URL:</label>' in html
    breadcrumbs = html[html.index('<ol class="breadcrumbs">') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</ol>")]
    assert '<a href="/admin/articles/">Annotator</a>' in breadcrumbs
    assert '<a href="/admin/articles/article/">Articles</a>' in breadcrumbs
