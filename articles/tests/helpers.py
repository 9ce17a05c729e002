"""Small helpers for the annotation view tests."""

from articles.models import Label
from articles.spans.offsets import codepoint_to_utf16

HTMX = {"HX-Request": "true"}


def label(name="factual"):
    return Label.objects.get(name=name)


def selection(article, phrase, occurrence=0):
    """POST data for selecting `phrase` in `article`, offsets in UTF-16 as a browser sends."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(phrase, start + 1)
    return {
        "start": codepoint_to_utf16(article.body, start),
        "end": codepoint_to_utf16(article.body, start + len(phrase)),
        "quote": phrase,
    }
