"""PlainSelect draws the same menu as Django's template-drawn Select, faster
(the article review page has two menus per annotation)."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from articles.admin.display import PlainSelect

from .admin_helpers import ARTICLES_URL, many_annotations


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        ([(1, "a <b>"), (2, "b & c")], 2, {"aria-label": 'Label of “x"y”', "id": "id_f"}),
        ([("", "---"), ("x", "X")], None, {"required": True, "disabled": False}),
        ([("Group", [(1, "one"), (2, "two")]), (3, "three")], 1, {}),
        ([("", [(1, "one")]), ("G & H", [(2, "two")]), (None, "none")], "", {"class": "x"}),
        ([(1, "first"), (1, "again"), ("<b>", mark_safe("<i>safe</i>"))], 1, {"multiple": False}),
        ([(1, "one"), (2, "two")], "<b>", {}),
    ],
)
def test_it_draws_the_same_menu_as_djangos_select(choices, value, attrs):
    expected = forms.Select(choices=choices).render("field", value, dict(attrs))
    assert parse_html(PlainSelect(choices=choices).render("field", value, dict(attrs))) == parse_html(
        expected
    )


def test_it_draws_the_review_pages_menus(client, curator, sample_article):
    [annotation] = many_annotations(sample_article, curator, 1)
    response = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/")
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert isinstance(form.fields["label"].widget, PlainSelect)
    assert isinstance(form.fields["status"].widget, PlainSelect)
    html = response.content.decode()
    assert f'aria-label="Review status of “{annotation.short_quote}”"' in html
    assert '<option value="pending" selected>Pending</option>' in html
