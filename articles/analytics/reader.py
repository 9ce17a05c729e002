"""The figures strip at the top of the reading page (templates/analytics/_article_summary.html)."""

from django.urls import reverse

from articles.permissions import can_view_analytics


def figures_url(user, article):
    """Where the reading page fetches its figures strip from once it is shown (the
    article_figures view), or None for a user who may not see analytics."""
    if not can_view_analytics(user):
        return None
    return reverse("article_figures", args=[article.pk])
