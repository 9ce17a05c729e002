"""The one place that sanitises HTML.

nh3 (Python bindings to the Rust `ammonia` crate) is the maintained successor of bleach,
which reached end of life on 2026-06-05. Swapping the sanitiser means changing this file.
"""

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


def sanitize_html(html):
    """Return `html` with only KEPT_TAGS, no attributes, no scripts, no URLs."""
    return nh3.clean(
        html,
        tags=set(KEPT_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
