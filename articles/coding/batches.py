"""Creating a coding batch, and moving assignments along (no HTTP)."""

from django.db import connection, transaction
from django.utils import timezone

from articles.coding.dealing import deal
from articles.coding.models import Assignment, BatchArticle, CodingBatch


class CodingError(ValueError):
    """A request the coding rules refuse in the current state (409); str() is for the user."""


class CodingInputError(CodingError):
    """A request with values that can never work (400)."""


@transaction.atomic
def create_batch(
    *, name, article_ids, analysts, coders_per_article, blind, seed, due_date=None, created_by=None
):
    """The batch, its articles and its assignments, dealt by articles/coding/dealing.py."""
    pairs = deal(article_ids, [user.pk for user in analysts], coders_per_article, seed)
    batch = CodingBatch.objects.create(
        name=name,
        blind=blind,
        coders_per_article=coders_per_article,
        seed=seed,
        due_date=due_date,
        created_by=created_by,
    )
    batch.analysts.set(analysts)
    BatchArticle.objects.bulk_create(
        BatchArticle(batch=batch, article_id=pk) for pk in sorted(set(article_ids))
    )
    Assignment.objects.bulk_create(
        Assignment(batch=batch, article_id=article_id, analyst_id=analyst_id)
        for article_id, analyst_id in pairs
    )
    return batch


def is_adjudicated(batch_id, article_id):
    return BatchArticle.objects.filter(
        batch_id=batch_id, article_id=article_id, adjudicated_at__isnull=False
    ).exists()


def set_done(assignment, done):
    """Mark an assignment done, or take it back to in progress; refused once adjudicated."""
    if is_adjudicated(assignment.batch_id, assignment.article_id):
        raise CodingError("this article has been adjudicated; its assignments are closed")
    if done:
        assignment.status, assignment.done_at = Assignment.DONE, timezone.now()
    else:
        assignment.status, assignment.done_at = Assignment.IN_PROGRESS, None
    assignment.started_at = assignment.started_at or timezone.now()
    assignment.save(update_fields=["status", "done_at", "started_at"])
    return assignment


def start_on_first_annotation(article_id, author_id):
    """An analyst's first annotation on an assigned article puts it in progress."""
    # Hand-written: every annotation create runs it, and the ORM's update costs more
    # than the statement itself (the create path's profile, docs/scaling.md).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Assignment._meta.db_table} SET status = %s, started_at = %s "  # noqa: S608
            "WHERE article_id = %s AND analyst_id = %s AND status = %s",
            [
                Assignment.IN_PROGRESS,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                article_id,
                author_id,
                Assignment.TODO,
            ],
        )


def reassign(assignment, analyst):
    if assignment.analyst_id == analyst.pk:
        return assignment
    if Assignment.objects.filter(
        batch=assignment.batch_id, article=assignment.article_id, analyst=analyst
    ).exists():
        raise CodingError(f"{analyst} already codes this article in this batch")
    assignment.analyst = analyst
    assignment.status, assignment.started_at, assignment.done_at = Assignment.TODO, None, None
    assignment.save()
    return assignment
