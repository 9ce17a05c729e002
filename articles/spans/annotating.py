"""Creating, changing, deleting and restoring annotations: the rules, without HTTP."""

import uuid
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from articles.guards.values import parse_id
from articles.history import record_history
from articles.models import Annotation, Category, Label
from articles.permissions import change_voids_review
from articles.rows import instance_from_row, model_fields, select_list
from articles.sources.attributing import kind_change_refusal
from articles.spans.highlights import paragraphs_touching
from articles.spans.offsets import OffsetError, passage_from_utf16


class AnnotationError(ValueError):
    """A request that cannot become or change an annotation; str() is for the user."""


class AnnotationConflict(AnnotationError):
    """The request conflicts with an annotation that exists (one it names by uuid but may
    not be, or the same tag by the same author): answered with 409."""


# The history's change reason when an author's change undoes a curator's review.
REVIEW_VOIDED = "changed by its author after review"


def active_label(label_id):
    """The active label `label_id` with its category, or AnnotationError.

    One hand-written query instead of select_related: every create asks, and building the
    ORM query cost several times what running it did (the create path's profile)."""
    label_id = parse_id(label_id) if label_id is not None else None
    row = None
    if label_id:
        with connection.cursor() as cursor:
            cursor.execute(label_with_category_sql(), [label_id])
            row = cursor.fetchone()
    if row is None:
        raise AnnotationError("unknown label")
    width = len(model_fields(Label))
    label = instance_from_row(Label, row[:width], connection)
    label.category = instance_from_row(Category, row[width:], connection)
    if not label.active:
        raise AnnotationError(f"the label “{label.name}” is retired and can no longer be used")
    return label


@cache
def label_with_category_sql():
    quote = connection.ops.quote_name
    return (
        f"SELECT {select_list(Label, connection, 'l')}, {select_list(Category, connection, 'c')} "  # noqa: S608
        f"FROM {quote(Label._meta.db_table)} l "
        f"JOIN {quote(Category._meta.db_table)} c ON c.id = l.category_id WHERE l.id = %s"
    )


def long_tag(text, passage):
    """(characters, paragraphs) of `passage` when it is longer than a tag usually is, else None."""
    paragraphs = len(paragraphs_touching(text, passage.start, passage.end))
    characters = passage.end - passage.start
    if characters > settings.ANNOTATOR_LONG_TAG_CHARS or paragraphs > settings.ANNOTATOR_LONG_TAG_PARAGRAPHS:
        return characters, paragraphs
    return None


def clean_note(note):
    """A note from a form as stored (stripped), or AnnotationError when no path may store it."""
    return check_note((note or "").strip())


def check_note(note):
    """`note` unchanged, or AnnotationError when no path may store it (imports keep it exact)."""
    if "\x00" in note:
        raise AnnotationError("the note contains a NUL character")
    limit = settings.ANNOTATOR_MAX_NOTE_CHARS
    if len(note) > limit:
        raise AnnotationError(f"the note is longer than {limit:,} characters ({len(note):,})")
    return note


def parse_client_uuid(value):
    """The optional client-generated id of a new annotation; None when not sent."""
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise AnnotationError("the uuid is not a valid UUID") from None


def annotation_with_uuid(value):
    return Annotation.all_objects.filter(uuid=value).first()


def same_tag(article, author, label, passage):
    """The author's live annotation with this label on exactly this passage, if any."""
    return (
        Annotation.objects.filter(
            article=article, author=author, label=label, start=passage.start, end=passage.end
        )
        .only("pk", "uuid", "article_id", "author_id", "deleted_at")
        .first()
    )


def _earlier_create(existing, article, author):
    """A repeated create (a retry after a lost response): the annotation it already made."""
    if existing.author_id != author.pk or existing.article_id != article.pk:
        raise AnnotationConflict("that uuid is already used by another annotation")
    if existing.is_deleted:
        raise AnnotationConflict("this annotation was saved and has since been deleted")
    return existing


@cache
def insert_sql(model, vendor):
    """INSERT of one `model` row, every concrete field but the primary key, returning it."""
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(model._meta.pk.column)}"
    )
    return sql, fields


def insert_row(instance):
    """What save(force_insert=True) does for a new row of a model without inheritance —
    pre_save, each field's pre_save and database value, the INSERT, post_save — with the
    statement built once: composing it through the ORM cost more than running it."""
    model = type(instance)
    if not connection.features.can_return_columns_from_insert:
        instance.save(force_insert=True)
        return
    pre_save.send(sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None)
    sql, fields = insert_sql(model, connection.vendor)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=connection.alias
    )


def insert_with_history(annotation):
    """Insert `annotation` and its history row ("+", by its author) as simple-history
    would, with one INSERT … SELECT instead of its post_save handler (articles/history.py).
    Other post_save receivers (coding batches) run as usual."""
    annotation.skip_history_when_saving = True
    try:
        insert_row(annotation)
    finally:
        del annotation.skip_history_when_saving
    record_history(Annotation, [annotation.pk], history_type="+", user_id=annotation.author_id)
    return annotation


@transaction.atomic  # the annotation, its history row and what signals add commit together: one fsync
def create_annotation(
    article, author, *, label_id, start_u16, end_u16, quote, note="", confirmed=False, client_uuid=None
):
    """Check a browser selection against the article text and save it.

    A long passage (see long_tag) is saved only when the request says the analyst
    `confirmed` it, so a runaway selection never becomes a tag silently. With
    `client_uuid` the create is safe to retry: a repeat from the same author on the same
    article returns the annotation the first request made, even when both race.
    """
    client_uuid = parse_client_uuid(client_uuid)
    if client_uuid is not None and (existing := annotation_with_uuid(client_uuid)) is not None:
        return _earlier_create(existing, article, author)
    label = active_label(label_id)
    note = clean_note(note)
    try:
        passage = passage_from_utf16(article.body, int(start_u16), int(end_u16), quote)
    except (TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, OffsetError) else "offsets must be whole numbers"
        raise AnnotationError(message) from None
    size = None if confirmed else long_tag(article.body, passage)
    if size:
        raise AnnotationError(
            f"the passage is {size[0]} characters across {size[1]} paragraph{'s' if size[1] > 1 else ''}; "
            "a tag this long needs confirming"
        )
    if (twin := same_tag(article, author, label, passage)) is not None:
        if client_uuid is not None and twin.uuid == client_uuid:
            return _earlier_create(twin, article, author)  # this request's retry, after all
        # The same tag twice would count the passage twice in every figure and agreement.
        raise AnnotationConflict(f"you have tagged this passage as {label} already")
    fields = {
        "article": article,
        "label": label,
        "author": author,
        "start": passage.start,
        "end": passage.end,
        "quote": passage.quote,
        "prefix": passage.prefix,
        "suffix": passage.suffix,
        "note": note,
    }
    if client_uuid is None:
        return insert_with_history(Annotation(**fields))
    try:
        with transaction.atomic():  # a savepoint: the losing racer's transaction stays usable
            return insert_with_history(Annotation(uuid=client_uuid, **fields))
    except IntegrityError:
        existing = annotation_with_uuid(client_uuid)
        if existing is None:
            raise
        return _earlier_create(existing, article, author)


def update_annotation(annotation, *, label_id=None, note=None, by=None):
    """Change label and note; a change by `by` who is no curator voids a review (docs/curation.md)."""
    fields = ["updated_at"]
    if label_id not in (None, ""):
        label = active_label(label_id)
        if label.pk != annotation.label_id:
            if refusal := kind_change_refusal(annotation, label):
                raise AnnotationError(refusal)
            annotation.label = label
            fields.append("label")
    if note is not None and (note := clean_note(note)) != annotation.note:
        annotation.note = note
        fields.append("note")
    if len(fields) > 1:
        if by is not None and change_voids_review(by, annotation):
            fields += void_review(annotation)
        annotation.save(update_fields=fields)
    return annotation


def void_review(annotation):
    """Send a reviewed annotation back to pending (not saved); the fields it changed."""
    annotation.status = Annotation.PENDING
    annotation.reviewed_by = None
    annotation.reviewed_at = None
    annotation._change_reason = REVIEW_VOIDED
    return ["status", "reviewed_by", "reviewed_at"]


def delete_annotation(annotation, by=None):
    """Soft delete: gone from the reader and exports, restorable by undo or a curator."""
    annotation.deleted_at = timezone.now()
    annotation.deleted_by = by
    annotation.save(update_fields=["deleted_at", "deleted_by", "updated_at"])


def restore_annotation(annotation):
    annotation.deleted_at = None
    annotation.deleted_by = None
    annotation.save(update_fields=["deleted_at", "deleted_by", "updated_at"])


def stamp_review(annotation, reviewer, status, now=None):
    """Record a review on `annotation` (status, reviewer, time) without saving it.

    Shared by the bulk review below and the admin's change forms, so a review is
    recorded the same way wherever a curator makes it.
    """
    if status not in dict(Annotation.STATUS_CHOICES):
        raise AnnotationError(f"unknown review status {status!r}")
    annotation.status = status
    annotation.reviewed_by = reviewer
    annotation.reviewed_at = now or timezone.now()


@transaction.atomic
def review_annotations(annotations, reviewer, status):
    """Set the review status of several annotations, one history row each."""
    if status not in dict(Annotation.STATUS_CHOICES):
        raise AnnotationError(f"unknown review status {status!r}")
    now = timezone.now()
    count = 0
    for annotation in annotations:
        stamp_review(annotation, reviewer, status, now)
        annotation.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        count += 1
    return count
