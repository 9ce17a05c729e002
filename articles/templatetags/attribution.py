"""Template tags for who said what on the reading page (articles/sources/)."""

import json

from django import template
from django.utils.safestring import mark_safe

from articles.sources.reading import reader_data

register = template.Library()


@register.inclusion_tag("sources/_reader_data.html", takes_context=True)
def attribution_data(context, article):
    """The page's links, source entities and unattributed claims, for attribution.js."""
    return {"data": reader_data(article, context["request"].user)}


@register.filter
def json_text(value):
    """`value` as JSON for the text of an element. Not a <script> (json_script): htmx drops
    scripts from what it swaps in (allowScriptTags is off), and this data is swapped in
    out of band after every who-said-what change."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # As json_script escapes, so no <, > or & is left; replace() is many times faster than
    # translate() on the tens of KB a heavily tagged article has.
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return mark_safe(text)  # noqa: S308 -- no <, > or & remains
