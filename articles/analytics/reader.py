"""The figures strip at the top of the reading page (templates/analytics/_article_summary.html)."""

from django.utils.functional import SimpleLazyObject

from articles.analytics.aggregation import article_summary
from articles.permissions import can_view_analytics


def summary_for(user, article):
    """The article's summary, computed only if the page shows it (the reader's partial
    responses don't), or None for a user who may not see analytics."""
    if not can_view_analytics(user):
        return None
    # Blind coding: article_summary counts only what `user` may see.
    return SimpleLazyObject(lambda: article_summary(article, user))
