"""What the reading page shows: the article body with its highlights, the side panel
and the codebook toolbar. Shared by the page view and the annotation partials."""

from itertools import groupby

from django.db.models import FETCH_PEERS

from articles.highlights import Span, render_highlights
from articles.models import Annotation, Category, Label
from articles.permissions import can_annotate, can_change_annotation


def live_annotations(article):
    return (
        Annotation.objects.filter(article=article)
        .select_related("label__category", "author")
        .fetch_mode(FETCH_PEERS)
        .order_by("start", "end", "id")
    )


def codebook():
    """Active labels grouped by category, for the toolbar and the style block."""
    labels = Label.objects.active().select_related("category").order_by("category__order", "order", "name")
    return [(category, list(items)) for category, items in groupby(labels, key=lambda label: label.category)]


def reader_context(request, article, **extra):
    annotations = list(live_annotations(article))
    spans = [Span(a.id, a.start, a.end, a.label_id, a.label.category_id) for a in annotations]
    for annotation in annotations:
        annotation.editable = can_change_annotation(request.user, annotation)
    active_codebook = codebook()
    # Labels of existing annotations may be retired; they still need their colours.
    style_labels = {label.id: label for _, labels in active_codebook for label in labels}
    for annotation in annotations:
        style_labels.setdefault(annotation.label_id, annotation.label)
    return {
        "article": article,
        "annotations": annotations,
        "body_html": render_highlights(article.body, spans),
        "codebook": active_codebook,
        "categories": Category.objects.order_by("order", "name"),
        "style_labels": list(style_labels.values()),
        "can_annotate": can_annotate(request.user),
        **extra,
    }
