"""The curation admin at archive size: fixed query counts, no filter listing every
article or user, no full count, a small annotation list page (articles/admin/scale.py)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.admin import scale
from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Article

from .admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, many_annotations

counter = itertools.count()


def grow(n_articles, author, make_user):
    for _ in range(n_articles):
        i = next(counter)
        article, _ = store_article(
            ingest(f"Coalition report {i}\n\nThe coalition partner said so, number {i}."),
            outlet=f"Outlet {i % 3}",
        )
        many_annotations(article, make_user(f"coder{i}", "Annotator"), 4)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ANNOTATIONS_URL,
    f"{ANNOTATIONS_URL}?status__exact=pending",
    f"{ANNOTATIONS_URL}?q=coalition",
    f"{ANNOTATIONS_URL}?article__outlet=Outlet+1&author=coder1",
    f"{ANNOTATIONS_URL}?state=all&o=3",
    f"{ANNOTATIONS_URL}?state=deleted",
    f"{ANNOTATIONS_URL}?label__category__id__exact=1&label__id__exact=1",
    f"{ANNOTATIONS_URL}?created_at__gte=2000-01-01+00%3A00%3A00%2B00%3A00",
    f"{ANNOTATIONS_URL}?q=%22coalition+partner%22&status__exact=pending",
    f"{ANNOTATIONS_URL}?p=2",
    ARTICLES_URL,
    f"{ARTICLES_URL}?q=partner",
    f"{ARTICLES_URL}?q=%22coalition+partner%22",
    f"{ARTICLES_URL}?outlet=Outlet+2&pending=yes",
    f"{ARTICLES_URL}?pending=no&created_at__gte=2000-01-01+00%3A00%3A00%2B00%3A00",
]


def test_it_runs_the_same_number_of_queries_whatever_the_size(client, curator, make_user):
    grow(5, curator, make_user)
    small = [queries(client, url) for url in PAGES]
    grow(40, curator, make_user)
    assert [queries(client, url) for url in PAGES] == small


def test_it_lists_no_article_or_user_in_the_filters(client, curator, make_user):
    grow(3, curator, make_user)
    html = client.get(ANNOTATIONS_URL).content.decode()
    start = html.index('id="changelist-filter"')
    sidebar = html[start : html.index("</search>", start)]
    assert "coder1" not in sidebar  # authors are typed in
    assert "Coalition report" not in sidebar  # articles are typed in by number
    assert 'name="author"' in sidebar and 'name="article"' in sidebar
    assert "Outlet 1" in sidebar  # outlets are few and read from the index


def test_it_keeps_the_other_filters_when_typing_one_in(client, curator, make_user):
    grow(2, curator, make_user)
    html = client.get(f"{ANNOTATIONS_URL}?status__exact=pending").content.decode()
    form = html[html.index('class="input-filter"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="status__exact" value="pending">' in form


def test_it_filters_by_article_number(client, curator, make_user):
    grow(2, curator, make_user)
    article = Article.objects.order_by("pk").first()
    response = client.get(ANNOTATIONS_URL, {"article": article.pk})
    assert {a.article_id for a in response.context["cl"].result_list} == {article.pk}


def test_it_says_more_than_instead_of_counting_everything(client, curator, make_user, monkeypatch):
    grow(3, curator, make_user)
    monkeypatch.setattr(scale, "ADMIN_COUNT_CAP", 5)
    html = client.get(ANNOTATIONS_URL).content.decode()
    assert "more than 5 annotations" in html
    monkeypatch.setattr(scale, "ADMIN_COUNT_CAP", 500)
    assert "12 annotations" in client.get(ANNOTATIONS_URL).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_it_uses_the_planner_estimate_for_large_lists(client, curator, make_user, monkeypatch):
    from articles import paging

    grow(3, curator, make_user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_annotation")
    monkeypatch.setattr(paging, "EXACT_COUNT_BELOW", 2)
    assert "about " in client.get(ANNOTATIONS_URL).content.decode()


def test_it_keeps_the_annotation_list_page_under_100_kb(client, curator, make_user, sample_article):
    many_annotations(sample_article, curator, 200)
    response = client.get(ANNOTATIONS_URL)
    assert len(response.context["cl"].result_list) == 50
    assert len(response.content) < 100_000


def test_it_offers_no_per_choice_counts(client, curator, make_user):
    grow(1, curator, make_user)
    for url in (ANNOTATIONS_URL, ARTICLES_URL):
        assert "Show counts" not in client.get(url).content.decode()
        assert client.get(url, {"_facets": "True"}).status_code in (200, 302)


def test_it_sorts_only_by_columns_an_index_keeps_in_order(client, curator, make_user, sample_article):
    many_annotations(sample_article, curator, 3, label="opinion")
    many_annotations(sample_article, curator, 3, label="factual")  # newer, and first by label
    newest_first = list(Annotation.all_objects.order_by("-created_at", "-id").values_list("pk", flat=True))

    def order(url, **params):
        return [row.pk for row in client.get(url, params).context["cl"].result_list]

    # 2: the label column, 3: the article's title; not sortable: the list stays newest first.
    assert order(ANNOTATIONS_URL, o="2") == order(ANNOTATIONS_URL, o="-3") == newest_first
    assert order(ANNOTATIONS_URL, o="7") == newest_first[::-1]  # created: oldest first
    html = client.get(ANNOTATIONS_URL).content.decode()
    assert "o=2" not in html and "o=7" in html
    assert order(ARTICLES_URL, o="1") == order(ARTICLES_URL)  # the title: not sortable


def test_it_reviews_an_article_in_the_same_number_of_queries_whatever_its_annotations(
    client, curator, make_user, sample_article
):
    url = f"{ARTICLES_URL}{sample_article.pk}/change/"
    many_annotations(sample_article, make_user("coder-a", "Annotator"), 3)
    queries(client, url)  # caches filled once per process (content types) are not the page's
    few = queries(client, url)
    many_annotations(sample_article, make_user("coder-b", "Annotator"), 30, label="opinion")
    assert queries(client, url) == few


@pytest.mark.parametrize("walk_from", [1, 10_000])
def test_it_filters_by_category_newest_first_whatever_the_categorys_size(
    client, curator, sample_article, monkeypatch, walk_from
):
    from articles.models import Category

    monkeypatch.setattr(scale, "WALK_FROM", walk_from)
    claims = many_annotations(sample_article, curator, 2, label="factual")
    many_annotations(sample_article, curator, 2, label="negative")  # tone
    claims += many_annotations(sample_article, curator, 2, label="opinion")
    category = Category.objects.get(slug="claim").pk
    response = client.get(ANNOTATIONS_URL, {"label__category__id__exact": category})
    listed = [row.pk for row in response.context["cl"].result_list]
    newest_first = sorted(claims, key=lambda a: (a.created_at, a.pk), reverse=True)
    assert listed == [annotation.pk for annotation in newest_first]
    assert client.get(ANNOTATIONS_URL, {"label__category__id__exact": "x"}).status_code in (200, 302)


@pytest.mark.parametrize("walk_from, outlet_articles", [(1, 5_000), (10_000, 5_000), (10_000, 1)])
def test_it_filters_by_outlet_newest_first_whatever_the_outlets_size(
    client, curator, make_user, monkeypatch, walk_from, outlet_articles
):
    monkeypatch.setattr(scale, "WALK_FROM", walk_from)
    monkeypatch.setattr(scale, "OUTLET_ARTICLES", outlet_articles)
    a, _ = store_article(ingest("Outlet A story\n\nOne two three four."), outlet="Outlet A")
    b, _ = store_article(ingest("Outlet B story\n\nFive six seven eight."), outlet="Outlet B")
    store_article(ingest("Outlet C story\n\nNine ten."), outlet="Outlet C")
    mine = many_annotations(a, curator, 3) + many_annotations(a, curator, 2, label="opinion")
    many_annotations(b, curator, 3)
    response = client.get(ANNOTATIONS_URL, {"article__outlet": "Outlet A"})
    listed = [row.pk for row in response.context["cl"].result_list]
    assert listed == [x.pk for x in sorted(mine, key=lambda x: (x.created_at, x.pk), reverse=True)]
    assert list(client.get(ANNOTATIONS_URL, {"article__outlet": "Outlet C"}).context["cl"].result_list) == []


def test_it_lists_a_sparse_outlets_annotations_by_their_keys_not_by_walking_the_archive(
    client, curator, sample_article
):
    # An outlet with few (or no) annotations, found newest first by joining each row to its
    # article, walked the whole newest-first index on PostgreSQL (389 ms at a million);
    # its few annotations are found from its articles instead.
    many_annotations(sample_article, curator, 3)
    outlet = sample_article.outlet or "Sample outlet"
    Article.objects.filter(pk=sample_article.pk).update(outlet=outlet)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ANNOTATIONS_URL, {"article__outlet": outlet})
    assert len(response.context["cl"].result_list) == 3
    listing = [q["sql"] for q in captured if "ORDER BY" in q["sql"] and "articles_annotation" in q["sql"]]
    assert listing and all('"articles_article"."outlet" =' not in sql for sql in listing), listing


def test_it_lists_a_large_outlets_few_annotations_by_their_keys(client, curator, monkeypatch):
    # An outlet of more articles than one probe takes (300,000 articles: 6,000 per
    # outlet) with none or few annotations walked the whole newest-first index on
    # PostgreSQL: 1.2 s at 3,000,000 annotations. Its articles are probed in chunks.
    monkeypatch.setattr(scale, "OUTLET_ARTICLES", 2)
    big = [store_article(ingest(f"Big story {i}\n\nWords {i} here."), outlet="Big")[0] for i in range(5)]
    other, _ = store_article(ingest("Other story\n\nMore words."), outlet="Other")
    few = many_annotations(big[0], curator, 2) + many_annotations(big[4], curator, 1)
    many_annotations(other, curator, 3)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ANNOTATIONS_URL, {"article__outlet": "Big"})
    listed = [row.pk for row in response.context["cl"].result_list]
    assert listed == [a.pk for a in sorted(few, key=lambda a: (a.created_at, a.pk), reverse=True)]
    listing = [q["sql"] for q in captured if "ORDER BY" in q["sql"] and "articles_annotation" in q["sql"]]
    assert listing and all('"articles_article"."outlet" =' not in sql for sql in listing), listing
    empty = client.get(ANNOTATIONS_URL, {"article__outlet": "Big", "q": "nothing-matches-this"})
    assert empty.status_code == 200
