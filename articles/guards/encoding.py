"""Reading uploaded bytes as text: UTF-8 (with or without a byte order mark), UTF-16 and
UTF-32 with a byte order mark; anything else is refused with its name or the bad byte."""

import codecs

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]
REPLACEMENT_CHARACTER = "\ufffd"
UTF16_WITHOUT_MARK = "looks like UTF-16 without a byte order mark: save it as UTF-8 (or UTF-16 with a BOM)"


class TextDecodeError(ValueError):
    """Bytes that are not text we read; str() is a one-line reason for the user."""


def decode_text(data):
    for mark, codec, name in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise TextDecodeError(f"not valid {name} text (bad bytes at position {exc.start})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_like_utf16(data):
            raise TextDecodeError(UTF16_WITHOUT_MARK) from None
        raise TextDecodeError(f"not UTF-8 text (bad byte at position {exc.start})") from None
    # ASCII written as UTF-16 is valid UTF-8 too: a NUL in every other character.
    if "\x00" in text and _looks_like_utf16(data):
        raise TextDecodeError(UTF16_WITHOUT_MARK)
    return text


def _looks_like_utf16(data):
    """Mostly-ASCII UTF-16 has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4


def has_replaced_bytes(text):
    """Django decodes form fields with errors="replace": bytes that were not UTF-8 arrive as
    U+FFFD. A text holding it was damaged on its way in (or before), so it is refused."""
    return REPLACEMENT_CHARACTER in text
