"""The figures strip at the top of the reading page (templates/analytics/_article_summary.html)."""

from django.urls import reverse
from django_htmx.http import trigger_client_event

from articles.permissions import can_view_analytics

# Sent with every change made on the reading page; the strip listens for it and counts
# again, so it never shows figures the analyst has just made wrong.
ANNOTATIONS_CHANGED = "annotator:annotations-changed"


def figures_url(user, article):
    """Where the reading page fetches its figures strip from once it is shown (the
    article_figures view), or None for a user who may not see analytics."""
    if not can_view_analytics(user):
        return None
    return reverse("article_figures", args=[article.pk])


def announce_change(response):
    """Tell the page (HX-Trigger-After-Settle) that its annotations changed."""
    return trigger_client_event(response, ANNOTATIONS_CHANGED, after="settle")
