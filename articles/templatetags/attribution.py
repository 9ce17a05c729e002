"""Template tags for who said what on the reading page (articles/sources/)."""

import json

from django import template

from articles.sources.reading import reader_data

register = template.Library()


@register.inclusion_tag("sources/_reader_data.html")
def attribution_data(article):
    """The page's links, source entities and unattributed claims, for attribution.js."""
    return {"data": reader_data(article)}


@register.filter
def as_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
