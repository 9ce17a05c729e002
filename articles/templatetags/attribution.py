"""Template tags for who said what on the reading page (articles/sources/)."""

import json

from django import template

from articles.sources.reading import reader_data

register = template.Library()


@register.inclusion_tag("sources/_reader_data.html", takes_context=True)
def attribution_data(context, article):
    """The page's links, source entities and unattributed claims, for attribution.js."""
    return {"data": reader_data(article, context["request"].user)}


@register.filter
def as_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
