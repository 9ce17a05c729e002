"""The one place that sanitises HTML.

nh3 (Python bindings to the Rust `ammonia` crate) is the maintained successor of bleach,
which reached end of life on 2026-06-05. Swapping the sanitiser means changing this file.
"""

import re

import nh3

# Structure we read text from. Everything else is unwrapped (its text kept) unless it
# is listed in DROPPED_WITH_CONTENT, whose content is removed along with the tag.
KEPT_TAGS = frozenset(
    {
        "title",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "br",
        "div",
        "section",
        "article",
        "main",
        "dd",
        "dt",
        "dl",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "figcaption",
        "hr",
    }
)
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "math",
        "noscript",
        "template",
        "object",
        "embed",
        "button",
        "select",
        "textarea",
        "canvas",
        "video",
        "audio",
    }
)


# nh3's time grows with the square of the nesting depth (100,000 nested <div> take 20 s),
# so the depth is bounded first by a linear scan. Real articles nest a few dozen levels.
MAX_HTML_DEPTH = 256
# Elements that never hold others, and ones the HTML parser closes by itself when the
# next one starts (<p>, <li>, <td>…): pages often leave those open, so they do not count.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_CLOSED_IMPLICITLY = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rp",
        "tbody",
        "thead",
        "tfoot",
        "colgroup",
        "caption",
        "html",
        "head",
        "body",
    ]
)
# [^<>]* rather than [^>]*: a match attempt never runs past the next "<", so a file of
# unterminated tags is still scanned in linear time.
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)[^<>]*>")


class HtmlNestingError(ValueError):
    """HTML nested more deeply than MAX_HTML_DEPTH; str() is for the user."""


def check_html_nesting(html, max_depth=MAX_HTML_DEPTH):
    """Refuse HTML nested more than `max_depth` levels, in one linear pass."""
    depth = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or name in _CLOSED_IMPLICITLY or match.group(0).endswith("/>"):
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > max_depth:
            raise HtmlNestingError(f"too deeply nested (more than {max_depth} levels of tags)")


def sanitize_html(html):
    """Return `html` with only KEPT_TAGS, no attributes, no scripts, no URLs."""
    check_html_nesting(html)
    return nh3.clean(
        html,
        tags=set(KEPT_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
