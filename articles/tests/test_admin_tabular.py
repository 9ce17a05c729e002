"""The article review page's inline rows, drawn in Python (articles/admin/tabular.py), are
the HTML Django's own tabular template draws for the same forms: for a curator (menus),
for staff who may only look (text and "View" links), and with a rejected post's errors."""

import pytest
from django.template.loader import render_to_string
from django.test.html import parse_html

from articles.models import Label

from .admin_helpers import ARTICLES_URL, many_annotations
from .test_admin_articles import inline_form


def both_drawings(response, row_error=None):
    [inline] = [fs for fs in response.context["inline_admin_formsets"] if fs.formset.prefix == "annotations"]
    if row_error:
        inline.formset.forms[0].add_error(None, row_error)
    context = {"inline_admin_formset": inline}
    request = response.wsgi_request
    ours = render_to_string(inline.opts.template, context, request=request)
    djangos = render_to_string("admin/edit_inline/tabular.html", context, request=request)
    return ours, djangos


def test_it_draws_the_rows_django_draws_for_a_curator(client, curator, analyst, sample_article):
    many_annotations(sample_article, analyst, 3)
    Label.objects.filter(name="factual").update(active=False)  # a retired label stays on its rows
    response = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/")
    ours, djangos = both_drawings(response)
    assert ours.count('class="form-row has_original"') == 3
    assert "inlinechangelink" in ours and "<select" in ours
    assert parse_html(ours) == parse_html(djangos)


def test_it_draws_the_rows_django_draws_for_staff_who_may_only_look(
    client, make_user, analyst, sample_article
):
    from django.contrib.auth.models import Permission

    viewer = make_user("vic", None, is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "view_annotation", "view_label"])
    )
    many_annotations(sample_article, analyst, 2)
    client.force_login(viewer)
    response = client.get(f"{ARTICLES_URL}{sample_article.pk}/change/")
    assert response.status_code == 200
    ours, djangos = both_drawings(response)
    assert "inlineviewlink" in ours and "<select" not in ours
    assert parse_html(ours) == parse_html(djangos)


def test_it_draws_the_errors_of_a_rejected_post(client, curator, analyst, sample_article):
    annotations = many_annotations(sample_article, analyst, 2)
    data = inline_form(sample_article, annotations, **{"annotations-1-label": "999999"})
    response = client.post(f"{ARTICLES_URL}{sample_article.pk}/change/", data)
    assert response.status_code == 200
    ours, djangos = both_drawings(response, row_error="A row's own error & more.")
    assert "Select a valid choice." in ours
    assert '<tr class="row-form-errors"><td colspan="8"><ul class="errorlist nonfield">' in ours
    assert parse_html(ours) == parse_html(djangos)


@pytest.mark.parametrize("can_add", [True, False])
def test_it_marks_the_empty_form_the_add_permission_brings(rf, curator, analyst, sample_article, can_add):
    """Django's inline draws an "empty-form" row last when rows may be added; the review
    inline adds none, so this draws the generic case on its own."""
    from django.contrib.admin import site

    from articles.models import Article

    many_annotations(sample_article, analyst, 1)
    article_admin = site._registry[Article]
    request = rf.get("/")
    request.user = curator
    inline = next(
        i
        for i in article_admin.get_inline_instances(request, sample_article)
        if i.model.__name__ == "Annotation"
    )
    inline.has_add_permission = lambda request, obj=None: can_add
    inline.extra = 1 if can_add else 0
    formsets, inlines = article_admin._create_formsets(request, sample_article, change=True)
    [admin_formset] = [
        fs
        for fs in article_admin.get_inline_formsets(request, formsets, [inline], sample_article)
        if fs.formset.prefix == "annotations"
    ]
    context = {"inline_admin_formset": admin_formset}
    ours = render_to_string(inline.template, context, request=request)
    djangos = render_to_string("admin/edit_inline/tabular.html", context, request=request)
    assert ("empty-form" in ours) is can_add
    assert parse_html(ours) == parse_html(djangos)
