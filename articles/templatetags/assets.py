"""Stylesheets inlined into the page, so the text can be painted without a second request.

A fresh browser must otherwise wait for the document, then ask for the stylesheet and
wait again before it may paint anything (the reading page's "text visible", issue 11).
Inlined CSS costs about 5 KB more per full page (gzipped) and is not cached between
pages; partial (HTMX) responses carry none of it. The files must not use relative
`url()`s, which would resolve against the page instead of the stylesheet.
"""

from functools import cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.assets import strip_css_comments

register = template.Library()


def read_stylesheet(path):
    found = finders.find(path)
    if found is None:
        raise template.TemplateSyntaxError(f"no static file {path!r} to inline")
    with open(found, encoding="utf-8") as handle:
        css = strip_css_comments(handle.read())
    if "</" in css:
        raise template.TemplateSyntaxError(f"{path!r} cannot be inlined: it contains '</'")
    return css


cached_stylesheet = cache(read_stylesheet)


@register.simple_tag(takes_context=True)
def inline_stylesheet(context, path):
    """`<style nonce=…>` holding the static file at `path`; re-read on every page under
    DEBUG, so an edited stylesheet shows on reload."""
    css = read_stylesheet(path) if settings.DEBUG else cached_stylesheet(path)
    return format_html('<style nonce="{}">{}</style>', context.get("csp_nonce", ""), mark_safe(css))  # noqa: S308
