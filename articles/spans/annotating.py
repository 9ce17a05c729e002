"""Creating, changing, deleting and restoring annotations: the rules, without HTTP."""

from django.db import transaction
from django.utils import timezone

from articles.models import Annotation, Label
from articles.permissions import change_voids_review
from articles.spans.offsets import OffsetError, passage_from_utf16


class AnnotationError(ValueError):
    """A request that cannot become or change an annotation; str() is for the user."""


# The history's change reason when an author's change undoes a curator's review.
REVIEW_VOIDED = "changed by its author after review"


def active_label(label_id):
    try:
        label = Label.objects.select_related("category").get(pk=int(label_id))
    except (Label.DoesNotExist, TypeError, ValueError):
        raise AnnotationError("unknown label") from None
    if not label.active:
        raise AnnotationError(f"the label “{label.name}” is retired and can no longer be used")
    return label


def create_annotation(article, author, *, label_id, start_u16, end_u16, quote, note=""):
    """Check a browser selection against the article text and save it."""
    label = active_label(label_id)
    try:
        passage = passage_from_utf16(article.body, int(start_u16), int(end_u16), quote)
    except (TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, OffsetError) else "offsets must be whole numbers"
        raise AnnotationError(message) from None
    return Annotation.objects.create(
        article=article,
        label=label,
        author=author,
        start=passage.start,
        end=passage.end,
        quote=passage.quote,
        prefix=passage.prefix,
        suffix=passage.suffix,
        note=note.strip(),
    )


def update_annotation(annotation, *, label_id=None, note=None, by=None):
    """Change label and note; a change by `by` who is no curator voids a review (docs/curation.md)."""
    fields = ["updated_at"]
    if label_id not in (None, ""):
        label = active_label(label_id)
        if label.pk != annotation.label_id:
            annotation.label = label
            fields.append("label")
    if note is not None and note.strip() != annotation.note:
        annotation.note = note.strip()
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
