"""Offsets into canonical article text.

A span is [start, end) in Unicode code points. Browsers count UTF-16 code units, so an
emoji before a passage shifts their numbers by one per astral character; these helpers
convert between the two and check that a claimed quote is really at its offsets.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass

CONTEXT_CHARS = 32


class OffsetError(ValueError):
    """Offsets that do not describe a passage of the text; str() is for the user."""


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Index:
    """UTF-16 offsets of code point positions in one text, without re-encoding it.

    Each character outside the Basic Multilingual Plane counts twice in UTF-16, so the
    UTF-16 offset of a position is the position plus the astral characters before it.
    """

    def __init__(self, text):
        self.astral = [match.start() for match in _ASTRAL.finditer(text)]

    def __call__(self, offset):
        return offset + bisect_left(self.astral, offset) if self.astral else offset


def utf16_to_codepoint(text, offset):
    """Code point index for a UTF-16 offset; refuses offsets inside a surrogate pair."""
    if offset < 0:
        raise OffsetError("offset is negative")
    encoded = text.encode("utf-16-le")
    if offset * 2 > len(encoded):
        raise OffsetError("offset is past the end of the text")
    try:
        return len(encoded[: offset * 2].decode("utf-16-le"))
    except UnicodeDecodeError:
        raise OffsetError("offset falls inside a surrogate pair (the middle of an emoji)") from None


def codepoint_to_utf16(text, offset):
    return utf16_length(text[:offset])


def context_around(text, start, end, size=CONTEXT_CHARS):
    """(prefix, suffix): up to `size` code points either side, as a TextQuoteSelector has."""
    return text[max(0, start - size) : start], text[end : end + size]


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def passage_from_utf16(text, start_u16, end_u16, quote):
    """Check a browser selection against the text and return it in code points, trimmed.

    `quote` is the text the browser saw selected. It must equal the text at the offsets;
    surrounding whitespace is then trimmed off the passage.
    """
    start = utf16_to_codepoint(text, start_u16)
    end = utf16_to_codepoint(text, end_u16)
    return passage_from_codepoints(text, start, end, quote)


def passage_from_codepoints(text, start, end, quote):
    if not 0 <= start < end <= len(text):
        raise OffsetError("the selection is empty or outside the article")
    if text[start:end] != quote:
        raise OffsetError("the selected text does not match the article at those offsets")
    stripped = quote.strip()
    if not stripped:
        raise OffsetError("the selection is only whitespace")
    start += len(quote) - len(quote.lstrip())
    end = start + len(stripped)
    prefix, suffix = context_around(text, start, end)
    return Passage(start, end, stripped, prefix, suffix)


def anchor_quote(text, quote, prefix="", suffix="", start=None):
    """Find where `quote` now is: at `start` if it still matches there, else by context.

    Returns (start, end) in code points, or None when the quote cannot be placed
    unambiguously. Used when annotations are imported into a text that may have moved.
    """
    if not quote:
        return None
    if start is not None and start >= 0 and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    candidates = []
    position = text.find(quote)
    while position != -1:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(quote) : position + len(quote) + len(suffix)]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        candidates.append((score, position))
        position = text.find(quote, position + 1)
    if not candidates:
        return None
    candidates.sort(reverse=True)
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None
    best = candidates[0][1]
    return best, best + len(quote)


def _common_prefix(a, b):
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a, b):
    return _common_prefix(a[::-1], b[::-1])
