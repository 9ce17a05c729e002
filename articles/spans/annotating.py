"""Creating, changing, deleting and restoring annotations: the rules, without HTTP."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Annotation, Label
from articles.spans.highlights import paragraphs_touching
from articles.spans.offsets import OffsetError, passage_from_utf16


class AnnotationError(ValueError):
    """A request that cannot become or change an annotation; str() is for the user."""


def active_label(label_id):
    try:
        label = Label.objects.select_related("category").get(pk=int(label_id))
    except (Label.DoesNotExist, TypeError, ValueError):
        raise AnnotationError("unknown label") from None
    if not label.active:
        raise AnnotationError(f"the label “{label.name}” is retired and can no longer be used")
    return label


def long_tag(text, passage):
    """(characters, paragraphs) of `passage` when it is longer than a tag usually is, else None."""
    paragraphs = len(paragraphs_touching(text, passage.start, passage.end))
    characters = passage.end - passage.start
    if characters > settings.ANNOTATOR_LONG_TAG_CHARS or paragraphs > settings.ANNOTATOR_LONG_TAG_PARAGRAPHS:
        return characters, paragraphs
    return None


def create_annotation(article, author, *, label_id, start_u16, end_u16, quote, note="", confirmed=False):
    """Check a browser selection against the article text and save it.

    A long passage (see long_tag) is saved only when the request says the analyst
    `confirmed` it, so a runaway selection never becomes a tag silently.
    """
    label = active_label(label_id)
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


def update_annotation(annotation, *, label_id=None, note=None):
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
        annotation.save(update_fields=fields)
    return annotation


def delete_annotation(annotation):
    """Soft delete: gone from the reader and exports, restorable by undo or a curator."""
    annotation.deleted_at = timezone.now()
    annotation.save(update_fields=["deleted_at", "updated_at"])


def restore_annotation(annotation):
    annotation.deleted_at = None
    annotation.save(update_fields=["deleted_at", "updated_at"])


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
