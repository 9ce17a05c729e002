"""HTMX endpoints of the reading page: create, edit, delete and undo annotations.

Each successful response re-renders the article body (the request's target) and, out of
band, the side panel and the message area, so the page never reloads.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from articles.annotating import (
    AnnotationError,
    create_annotation,
    delete_annotation,
    restore_annotation,
    update_annotation,
)
from articles.models import Annotation, Article
from articles.permissions import can_annotate, can_change_annotation
from articles.views.reader import codebook, reader_context

PAGE = "articles/detail.html"


def refreshed_reader(request, article, **extra):
    context = reader_context(request, article, oob=True, **extra)
    html = "".join(
        render_to_string(f"{PAGE}#{partial}", context, request=request)
        for partial in ("article_body", "panel", "messages_oob")
    )
    return HttpResponse(html)


def error_response(request, message, status):
    """Show `message` in the page's message area instead of swapping the article body."""
    html = render_to_string(f"{PAGE}#error_message", {"error": message}, request=request)
    response = HttpResponse(html, status=status)
    return reswap(retarget(response, "#messages"), "innerHTML")


def annotation_in_article(article_pk, annotation_pk, *, include_deleted=False):
    manager = Annotation.all_objects if include_deleted else Annotation.objects
    return get_object_or_404(
        manager.select_related("label__category", "author"), pk=annotation_pk, article_id=article_pk
    )


@require_POST
def annotation_create(request, pk):
    article = get_object_or_404(Article.objects.defer("original"), pk=pk)
    if not can_annotate(request.user):
        return error_response(request, "Your role can read annotations but not add them.", 403)
    try:
        create_annotation(
            article,
            request.user,
            label_id=request.POST.get("label"),
            start_u16=request.POST.get("start"),
            end_u16=request.POST.get("end"),
            quote=request.POST.get("quote", ""),
            note=request.POST.get("note", ""),
        )
    except AnnotationError as exc:
        return error_response(request, f"Not saved: {exc}.", 400)
    return refreshed_reader(request, article)


@require_GET
def annotation_edit(request, pk, annotation_pk):
    annotation = annotation_in_article(pk, annotation_pk)
    context = {
        "article": annotation.article,
        "annotation": annotation,
        "editable": can_change_annotation(request.user, annotation),
        "codebook": codebook(),
    }
    return render(request, f"{PAGE}#popover", context)


def _changeable(request, pk, annotation_pk, *, include_deleted=False):
    annotation = annotation_in_article(pk, annotation_pk, include_deleted=include_deleted)
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
        update_annotation(annotation, label_id=request.POST.get("label"), note=request.POST.get("note"))
    except AnnotationError as exc:
        return error_response(request, f"Not saved: {exc}.", 400)
    return refreshed_reader(request, annotation.article, notice="Annotation updated.")


@require_POST
def annotation_delete(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk)
    if denied:
        return denied
    delete_annotation(annotation)
    return refreshed_reader(request, annotation.article, undo_annotation=annotation)


@require_POST
def annotation_restore(request, pk, annotation_pk):
    annotation, denied = _changeable(request, pk, annotation_pk, include_deleted=True)
    if denied:
        return denied
    if annotation.is_deleted:
        restore_annotation(annotation)
    return refreshed_reader(request, annotation.article, notice="Annotation restored.")
