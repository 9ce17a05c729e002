"""Big imports without holding the write lock: stage in batches, then swap in one go.

SQLite lets one writer at a time. Writing 50,000 annotations (and their history rows)
through the ORM in one transaction held the lock for 20 s, and every analyst's save
waited that long. Instead the checked rows go into StagedAnnotation in batches of BATCH,
each its own short transaction that nobody else reads; then one transaction copies them
into Annotation and its history with two INSERT … SELECT statements that run inside the
database; the staged rows are deleted afterwards, again in batches. On SQLite the batches
pause briefly so that waiting writers get their turn. The import stays all or nothing: until the swap commits
nothing is visible, and a failed swap leaves nothing behind. Rows of an import that was
killed while staging are invisible and are removed by the next import (STALE_AFTER).
"""

import datetime
import time
import uuid
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from articles.exchange.models import StagedAnnotation
from articles.history import record_history_where
from articles.models import Annotation

BATCH = 1000
# SQLite: a writer waiting for the lock retries every 100 ms at most (its busy handler), so a
# pause a little longer than that between batches lets every waiting save in.
PAUSE_BETWEEN_BATCHES = 0.11
STALE_AFTER = datetime.timedelta(hours=6)
# The Annotation columns an import sets; the rest keep their defaults (live, not deleted).
COPIED = [
    "uuid",
    "article_id",
    "label_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "note",
    "author_id",
    "status",
    "reviewed_by_id",
    "reviewed_at",
    "created_at",
    "updated_at",
    "source_entity_id",
    "anonymity",
    "own_voice",
    "tone_intensity",
    "tone_target_entity_id",
    "tone_target_text",
]
NOT_COPIED = {"id", "deleted_at", "deleted_by_id"}  # auto, and NULL: a new annotation is live


def stage(rows):
    """Write planned rows (PlannedAnnotation) to the staging table in short transactions."""
    token = uuid.uuid4()
    StagedAnnotation.objects.filter(staged_at__lt=timezone.now() - STALE_AFTER).delete()
    for index in range(0, len(rows), BATCH):
        # Built before the transaction: the lock is held for the INSERTs alone.
        batch = [
            StagedAnnotation(token=token, uuid=row.uuid, **row.values())
            for row in rows[index : index + BATCH]
        ]
        with transaction.atomic():
            StagedAnnotation.objects.bulk_create(batch)
        _let_others_write()
    return token


# Set by import_attributions.resolve_entities inside the swap's transaction, after staging.
ENTITY_FIELDS = ("source_entity_id", "tone_target_entity_id")


def set_staged_entities(token, rows):
    """Give staged rows the entity ids resolved after they were staged: one UPDATE per
    entity and field, not per row."""
    for name in ENTITY_FIELDS:
        uuids_by_entity = defaultdict(list)
        for row in rows:
            entity_id = row.values().get(name)
            if entity_id is not None:
                uuids_by_entity[entity_id].append(row.uuid)
        for entity_id, uuids in uuids_by_entity.items():
            for index in range(0, len(uuids), BATCH):
                StagedAnnotation.objects.filter(token=token, uuid__in=uuids[index : index + BATCH]).update(
                    **{name: entity_id}
                )


def _let_others_write():
    if connection.vendor == "sqlite":
        time.sleep(PAUSE_BETWEEN_BATCHES)


def unstage(token):
    """Remove an import's staged rows (after its swap, or after it failed), in batches."""
    staged = StagedAnnotation.objects.filter(token=token)
    while ids := list(staged.values_list("pk", flat=True)[:BATCH]):
        StagedAnnotation.objects.filter(pk__in=ids).delete()
        _let_others_write()


def swap_in(token, *, user, reason):
    """Inside the caller's transaction: create the staged annotations and their history rows."""
    quote = connection.ops.quote_name
    annotation = Annotation._meta.db_table
    staged = StagedAnnotation._meta.db_table
    columns = ", ".join(quote(name) for name in COPIED)
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the models' _meta, quoted; values are parameters.
            f"INSERT INTO {quote(annotation)} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM {quote(staged)} WHERE token = %s ORDER BY id",
            [StagedAnnotation._meta.get_field("token").get_db_prep_value(token, connection)],
        )
    # One "+" history row per new annotation, as bulk_create_with_history writes.
    record_history_where(
        Annotation,
        join=f"JOIN {quote(staged)} s ON s.uuid = row.uuid",
        where="s.token = %s",
        params=[StagedAnnotation._meta.get_field("token").get_db_prep_value(token, connection)],
        history_type="+",
        user_id=user.pk if user is not None else None,
        change_reason=reason,
    )
