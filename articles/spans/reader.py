"""What the reading page shows: the article body with its highlights, the side panel
and the codebook toolbar. Shared by the page view and the annotation partials."""

from functools import partial
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.analytics.reader import figures_url
from articles.models import Annotation, Label
from articles.permissions import can_annotate, visible_annotations
from articles.sources.reading import SPAN_FIELDS, reader_data
from articles.spans.highlights import Span, render_highlights
from articles.spans.panel import PanelRow, render_annotation_items


def reading_rows(article, user):
    """The annotations `user` may see, in text order, read once for the whole page: a
    PanelRow each, and each one's who-said-what columns (SPAN_FIELDS)."""
    annotations = visible_annotations(user, Annotation.objects.filter(article=article))
    width = len(PanelRow.FIELDS)
    rows, who = [], []
    for row in annotations.in_text_order().values_list(*PanelRow.FIELDS, *SPAN_FIELDS):
        rows.append(PanelRow(*row[:width]))
        who.append(row[width:])
    return rows, who


def codebook(labels=None):
    """Active labels grouped by category, for the toolbar; `labels` as all_labels() gives."""
    if labels is None:
        labels = all_labels()
    return codebook_order(label for label in labels.values() if label.active)


def all_labels():
    # The whole codebook is a few dozen rows; retired labels are kept for old annotations.
    return {label.id: label for label in Label.objects.select_related("category")}


def legend(labels, in_use):
    """Labels by category for the legend and filters: the active ones, and retired ones
    still on this article's annotations."""
    shown = {label_id: label for label_id, label in labels.items() if label.active or label_id in in_use}
    return codebook_order(shown.values())


def codebook_order(labels):
    ordered = sorted(
        labels, key=lambda label: (label.category.order, label.category.name, label.order, label.name)
    )
    return [(category, list(items)) for category, items in groupby(ordered, key=lambda label: label.category)]


def reader_context(request, article, **extra):
    rows, who = reading_rows(article, request.user)
    labels = all_labels()
    usernames = dict(
        get_user_model()
        .objects.filter(id__in={row.author_id for row in rows})
        .values_list("id", get_user_model().USERNAME_FIELD)
    )
    spans = [Span(r.id, r.start, r.end, r.label_id, labels[r.label_id].category_id) for r in rows]
    annotations_url = reverse("annotation_create", args=[article.pk])
    authors = dict(usernames)
    if request.user.is_authenticated and can_annotate(request.user):
        authors.setdefault(request.user.pk, request.user.get_username())
    return {
        "article": article,
        "annotation_count": len(rows),
        "body_html": render_highlights(article.body, spans),
        "panel_items": render_annotation_items(rows, labels, usernames, annotations_url),
        "codebook": codebook(labels),
        "style_labels": list(labels.values()),
        "can_annotate": can_annotate(request.user),
        "figures_url": figures_url(request.user, article),
        # Called by the template only where it shows the data (the page, not the panel partial).
        "attribution": partial(
            reader_data,
            article,
            request.user,
            spans=[
                (row.id, labels[row.label_id].category.kind, row.quote, *columns)
                for row, columns in zip(rows, who, strict=True)
            ],
        ),
        "legend": legend(labels, {row.label_id for row in rows}),
        "authors": sorted(authors.items(), key=lambda pair: pair[1].lower()),
        "long_tag_chars": settings.ANNOTATOR_LONG_TAG_CHARS,
        "long_tag_paragraphs": settings.ANNOTATOR_LONG_TAG_PARAGRAPHS,
        **extra,
    }
