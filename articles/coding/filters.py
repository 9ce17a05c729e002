"""The article list's coding filters: assigned to me, by batch, by assignment status (no HTTP).

The article list's form (articles/search/forms.py) parses them; articles/search/listing.py
applies them through `filter_by_assignment`.
"""

from articles.coding.models import Assignment


def filter_by_assignment(articles, user, *, assigned=False, batch=None, status=""):
    """Articles with an assignment that is the user's (assigned), in the batch, in the status."""
    if not (assigned or batch or status):
        return articles
    assignments = Assignment.objects.all()
    if assigned:
        assignments = assignments.filter(analyst_id=user.pk)
    if batch:
        assignments = assignments.filter(batch=batch)
    if status:
        assignments = assignments.filter(status=status)
    return articles.filter(pk__in=assignments.values("article_id"))
