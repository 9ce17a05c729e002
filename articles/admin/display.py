"""How annotations and labels are drawn in admin lists and forms.

Inline styles are forbidden by the Content Security Policy, so colours are drawn as SVG
`fill` attributes (presentation attributes, which the policy does not cover).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from articles.models import COLOUR_RE, Annotation

CONTEXT_WORDS = 4
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


def _words_before(prefix, words):
    """The last few whole words of the stored prefix, "…" where the text goes on."""
    tokens = prefix.split()
    cut = len(prefix) >= Annotation.CONTEXT_CHARS
    if cut and tokens and not prefix[:1].isspace():
        tokens = tokens[1:]  # the prefix starts mid-word
    shown = tokens[-words:]
    more = cut or len(tokens) > len(shown)
    text = ("… " if more else "") + " ".join(shown)
    return text + (" " if shown and prefix[-1:].isspace() else "")


def _words_after(suffix, words):
    """The first few whole words of the stored suffix, "…" where the text goes on."""
    tokens = suffix.split()
    cut = len(suffix) >= Annotation.CONTEXT_CHARS
    if cut and tokens and not suffix[-1:].isspace():
        tokens = tokens[:-1]  # the suffix ends mid-word
    shown = tokens[:words]
    more = cut or len(tokens) > len(shown)
    text = " ".join(shown) + (" …" if more else "")
    return (" " if shown and suffix[:1].isspace() else "") + text


def quote_in_context(annotation, words=CONTEXT_WORDS):
    """A few words either side of the quote, the quote itself marked."""
    quote = annotation.quote
    if len(quote) > MAX_QUOTE_CHARS:
        quote = quote[: MAX_QUOTE_CHARS - 1] + "…"
    before = _words_before(annotation.prefix, words)
    after = _words_after(annotation.suffix, words)
    return format_html('<span class="in-context">{}<mark>{}</mark>{}</span>', before, quote, after)


class PlainSelect(forms.Select):
    """A <select> written in Python, the same HTML as Django's template-drawn one.

    An article's review page has a label and a status menu for each of its (up to
    1,000) annotations; drawing each option through a template was most of that page's
    time (docs/scaling.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Django's Select semantics, drawn with f-strings: only the first option that
        # matches is selected, a group's name heads an <optgroup>, values are escaped as
        # text and labels unless marked safe.
        values = self.format_value(value)
        found = False
        drawn = []
        for group_value, group_label in self.choices:
            if group_value is None:
                group_value = ""
            grouped = isinstance(group_label, (list, tuple))
            if grouped and group_value:
                drawn.append(f'<optgroup label="{conditional_escape(group_value)}">')
            for option_value, option_label in group_label if grouped else [(group_value, group_label)]:
                selected = not found and str(option_value) in values
                found |= selected
                drawn.append(
                    f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(option_label)}</option>"
                )
            if grouped and group_value:
                drawn.append("</optgroup>")
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(drawn)}</select>')  # noqa: S308
