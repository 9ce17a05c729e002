"""How annotations and labels are drawn in admin lists and forms.

Inline styles are forbidden by the Content Security Policy, so colours are drawn as SVG
`fill` attributes (presentation attributes, which the policy does not cover).
"""

from django.utils.html import format_html

from articles.models import COLOUR_RE

CONTEXT_WORDS = 5
MAX_QUOTE_CHARS = 160
FALLBACK_COLOUR = "#cccccc"


def colour_swatch(colour):
    if not colour or not COLOUR_RE.match(colour):
        colour = FALLBACK_COLOUR
    return format_html(
        '<svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
        '<rect width="14" height="14" rx="3" fill="{}"/></svg>',
        colour,
    )


def label_with_colour(label):
    retired = "" if label.active else " (retired)"
    return format_html('{} <span class="label-name">{}{}</span>', colour_swatch(label.colour), label, retired)


def _leading_words(text, count):
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _trailing_words(text, count):
    words = text.split()
    return ("… " if len(words) > count else "") + " ".join(words[-count:])


def quote_in_context(annotation, words=CONTEXT_WORDS):
    """A few words either side of the quote, the quote itself marked."""
    quote = annotation.quote
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[: MAX_QUOTE_CHARS - 1] + "…"
    before = _trailing_words(annotation.prefix, words)
    after = _leading_words(annotation.suffix, words)
    # Keep the separating space when the context ends or starts with one in the text.
    if before and annotation.prefix[-1:].isspace():
        before += " "
    if after and annotation.suffix[:1].isspace():
        after = " " + after
    return format_html('<span class="in-context">{}<mark>{}</mark>{}</span>', before, quote, after)
