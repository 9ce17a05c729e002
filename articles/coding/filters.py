"""The article list's coding filters: mine, by batch, by assignment status (no HTTP)."""

from urllib.parse import urlencode

from articles.coding.batches import CodingInputError
from articles.coding.models import Assignment, CodingBatch

STATUSES = dict(Assignment.STATUS_CHOICES)


def coding_filters(params):
    """{"mine": bool, "batch": CodingBatch | None, "status": str} from the query string."""
    mine = params.get("mine") == "1"
    status = params.get("status", "")
    if status and status not in STATUSES:
        raise CodingInputError(f"unknown status “{status}”: use todo, in_progress or done")
    batch = None
    value = params.get("batch", "")
    if value:
        batch = CodingBatch.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if batch is None:
            raise CodingInputError(f"no coding batch “{value}”")
    return {"mine": mine, "batch": batch, "status": status}


def filter_articles(articles, user, *, mine, batch, status):
    """Articles with an assignment that is the user's (mine), in the batch, in the status."""
    if not (mine or batch or status):
        return articles
    assignments = Assignment.objects.all()
    if mine:
        assignments = assignments.filter(analyst_id=user.pk)
    if batch:
        assignments = assignments.filter(batch=batch)
    if status:
        assignments = assignments.filter(status=status)
    return articles.filter(pk__in=assignments.values("article_id"))


def filters_query(*, mine, batch, status):
    """The filters as query-string parameters, for the pager's links ("" when none)."""
    pairs = [("mine", "1")] if mine else []
    pairs += [("batch", batch.pk)] if batch else []
    pairs += [("status", status)] if status else []
    return urlencode(pairs)
