"""HTMX endpoints of the reading page: create, edit, delete and undo annotations.

A successful response carries only what changed, as out-of-band swaps: the paragraphs
the annotation touches, its item in the side panel (inserted in text order, replaced or
removed), the count, and the message area. Its cost does not grow with the number of
annotations on the article, which is what keeps long, heavily tagged articles fluid.
"""

from functools import cache

from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from articles.analytics.reader import announce_change
from articles.models import Annotation, Article, Label
from articles.permissions import (
    can_annotate,
    can_change_annotation,
    restore_refusal,
    visible_annotations,
    visible_annotations_sql,
)
from articles.rows import fetch_instance, select_list
from articles.spans.annotating import (
    AnnotationConflict,
    AnnotationError,
    create_annotation,
    delete_annotation,
    restore_annotation,
    update_annotation,
)
from articles.spans.highlights import paragraph_bounds, paragraphs_touching, render_paragraphs
from articles.spans.panel import PanelRow, render_annotation_items
from articles.spans.reader import codebook, reader_context

PAGE = "articles/detail.html"
ANNOTATION_TABLE = Annotation._meta.db_table
LABEL_TABLE = Label._meta.db_table
INSERT, REPLACE, REMOVE = "insert", "replace", "remove"


def changed_paragraphs(article, annotation, user):
    """The paragraphs `annotation` touches, re-rendered with every span that reaches them."""
    text = article.body
    indexes = set(paragraphs_touching(text, annotation.start, annotation.end))
    bounds = paragraph_bounds(text)
    low = min(bounds[i][0] for i in indexes)
    high = max(bounds[i][1] for i in indexes)
    # Hand-written: building this query with the ORM cost more than running it (the
    # create path's profile); the category comes by a join, not from the whole codebook.
    visible, params = visible_annotations_sql(user, "a")
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT a.id, a.start, a."end", a.label_id, l.category_id FROM {ANNOTATION_TABLE} a '  # noqa: S608
            f"JOIN {LABEL_TABLE} l ON l.id = a.label_id WHERE a.article_id = %s "
            f'AND a.deleted_at IS NULL AND a.start < %s AND a."end" > %s AND {visible}',
            [article.pk, high, low, *params],
        )
        spans = cursor.fetchall()  # rows in a Span's order: render_paragraphs takes them as they are
    return "".join(html for _, html in render_paragraphs(text, spans, only=indexes, oob=True))


def count_and_following(user, article, annotation):
    """How many annotations of `article` the user sees, and the id of the one that follows
    `annotation` in text order (None when it is the last): one query."""
    visible, params = visible_annotations_sql(user, "a")
    live = f"a.article_id = %s AND a.deleted_at IS NULL AND {visible}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {ANNOTATION_TABLE} a WHERE {live}), "  # noqa: S608
            # A row value: the text-order index seeks to it instead of walking every
            # annotation before it.
            f"(SELECT a.id FROM {ANNOTATION_TABLE} a WHERE {live} "
            'AND (a.start, a."end", a.id) > (%s, %s, %s) ORDER BY a.start, a."end", a.id LIMIT 1)',
            [
                *(article.pk, *params),
                *(article.pk, *params),
                *(annotation.start, annotation.end, annotation.pk),
            ],
        )
        return cursor.fetchone()


def changed_panel_item(request, article, annotation, change):
    """The side panel's part of the change, as out-of-band swaps."""
    count, following = count_and_following(request.user, article, annotation)
    count_html = f'<span class="count" id="annotation-count" hx-swap-oob="true">{count}</span>'
    if change == REMOVE:
        return count_html + f'<li id="item-{annotation.pk}" hx-swap-oob="delete"></li>'
    # The annotation in hand is what was just saved: no need to read it back.
    row = PanelRow(*(getattr(annotation, field) for field in PanelRow.FIELDS))
    labels = {annotation.label_id: annotation.label}
    usernames = {annotation.author_id: annotation.author.get_username()}
    annotations_url = reverse("annotation_create", args=[article.pk])
    if change == REPLACE:
        return count_html + render_annotation_items([row], labels, usernames, annotations_url, oob=True)
    item = render_annotation_items([row], labels, usernames, annotations_url)
    where = f"beforebegin:#item-{following}" if following else "beforeend:#annotation-list"
    return count_html + f'<div hx-swap-oob="{where}">{item}</div>'


def changed_passage(request, annotation, change, **messages):
    article = annotation.article
    html = (
        changed_paragraphs(article, annotation, request.user)
        + changed_panel_item(request, article, annotation, change)
        + render_to_string(f"{PAGE}#messages_oob", {"article": article, **messages}, request=request)
    )
    return announce_change(HttpResponse(html))


def error_response(request, message, status):
    """Show `message` in the page's message area instead of swapping the article body."""
    html = render_to_string(f"{PAGE}#error_message", {"error": message}, request=request)
    response = HttpResponse(html, status=status)
    return reswap(retarget(response, "#messages"), "innerHTML")


def annotation_in_article(user, article_pk, annotation_pk, *, include_deleted=False):
    manager = Annotation.all_objects if include_deleted else Annotation.objects
    annotations = visible_annotations(user, manager.select_related("label__category", "author"))
    return get_object_or_404(annotations, pk=annotation_pk, article_id=article_pk)


WITHOUT_ORIGINAL = ("original",)


def article_for_annotating(pk):
    """The article (without its `original`), or 404; by hand, as active_label, for the cost."""
    # pk fits a 64-bit id: the <id:> path converter takes no longer number.
    article = fetch_instance(Article, connection, article_sql(), [pk], exclude=WITHOUT_ORIGINAL)
    if article is None:
        raise Http404("No article matches the given query.")
    return article


@cache
def article_sql():
    columns = select_list(Article, connection, "a", exclude=WITHOUT_ORIGINAL)
    return f"SELECT {columns} FROM {connection.ops.quote_name(Article._meta.db_table)} a WHERE a.id = %s"  # noqa: S608


@require_POST
def annotation_create(request, pk):
    article = article_for_annotating(pk)
    if not can_annotate(request.user):
        return error_response(request, "Your role can read annotations but not add them.", 403)
    try:
        annotation = create_annotation(
            article,
            request.user,
            label_id=request.POST.get("label"),
            start_u16=request.POST.get("start"),
            end_u16=request.POST.get("end"),
            quote=request.POST.get("quote", ""),
            note=request.POST.get("note", ""),
            confirmed=request.POST.get("confirmed") == "1",
            client_uuid=request.POST.get("uuid"),
        )
    except AnnotationConflict as exc:
        return error_response(request, f"Not saved: {exc}.", 409)
    except AnnotationError as exc:
        return error_response(request, f"Not saved: {exc}.", 400)
    response = changed_passage(request, annotation, INSERT)
    # reader.js and its extensions (static/js/attribution.js offers the next step: attribute,
    # name the source, tone) hear of the new annotation once it is on the page.
    detail = {"id": annotation.pk, "uuid": str(annotation.uuid), "kind": annotation.label.category.kind}
    return trigger_client_event(response, "annotator:annotation-created", detail, after="settle")


@require_GET
def annotation_edit(request, pk, annotation_pk):
    annotation = annotation_in_article(request.user, pk, annotation_pk)
    context = {
        "article": annotation.article,
        "annotation": annotation,
        "editable": can_change_annotation(request.user, annotation),
        "codebook": codebook(),
    }
    return render(request, f"{PAGE}#popover", context)


def _changeable(request, pk, annotation_pk, *, include_deleted=False):
    annotation = annotation_in_article(request.user, pk, annotation_pk, include_deleted=include_deleted)
    if not can_change_annotation(request.user, annotation):
        return annotation, error_response(
            request, "Only the author or a curator can change this annotation.", 403
        )
    return annotation, None


@require_POST
def annotation_update(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    try:
        update_annotation(
            annotation, label_id=request.POST.get("label"), note=request.POST.get("note"), by=request.user
        )
    except AnnotationError as exc:
        return error_response(request, f"Not saved: {exc}.", 400)
    return changed_passage(request, annotation, REPLACE, notice="Annotation updated.")


@require_POST
def annotation_delete(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    delete_annotation(annotation, by=request.user)
    return changed_passage(request, annotation, REMOVE, undo_annotation=annotation)


@require_POST
def annotation_restore(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk, include_deleted=True)
    if denied:
        return denied
    if not annotation.is_deleted:
        return error_response(request, "That annotation is not deleted.", 409)
    refusal = restore_refusal(request.user, annotation)
    if refusal:
        return error_response(request, refusal, 403)
    restore_annotation(annotation)
    return changed_passage(request, annotation, INSERT, notice="Annotation restored.")


@require_GET
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.defer("original"), pk=pk)
    return render(request, "articles/detail.html", reader_context(request, article))
