"""articles/paging.py: pages read with one row more than a page, totals said honestly."""

from articles.paging import Total, page_number, peek_page


def test_it_tells_a_next_page_from_one_row_more():
    rows = list(range(7))
    first = peek_page(rows, 1, per_page=3)
    assert (first.object_list, first.has_next, first.has_previous) == ([0, 1, 2], True, False)
    last = peek_page(rows, 3, per_page=3)
    assert (last.object_list, last.has_next, last.has_previous) == ([6], False, True)
    assert (last.start_index, last.previous_page_number) == (7, 2)
    assert peek_page(rows, 2, per_page=5).has_next is False


def test_it_reads_any_page_number_a_query_string_brings():
    assert [page_number(value) for value in (None, "", "x", "-3", "0", "4", "10000000")] == [
        1,
        1,
        1,
        1,
        1,
        4,
        100_000,
    ]


def test_it_names_totals_with_the_plural_it_is_given():
    assert Total(3).describe("entry", "entries") == "3 entries"
    assert Total(1).describe("entry", "entries") == "1 entry"
    assert Total(1_234_567, exact=False).describe("annotation") == "about 1,200,000 annotations"
    assert Total(500, more=True).describe("match") == "more than 500 matches"


def test_it_counts_up_to_the_cap_in_the_querysets_order_when_asked(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from articles.paging import capped_count

    for i in range(3):
        Article.objects.create(title=f"A{i}", body=f"Text {i}.", content_hash=f"h{i}")
    newest = Article.objects.order_by("-created_at", "-id")
    with CaptureQueriesContext(connection) as captured:
        assert capped_count(newest, cap=2, ordered=True) == Total(2, more=True)
        assert capped_count(newest, cap=5) == Total(3)
    ordered, unordered = (q["sql"] for q in captured)
    assert "ORDER BY" in ordered and "ORDER BY" not in unordered
