"""Small helpers for the annotation view tests, and static files collected as in production."""

from articles.models import Label
from articles.spans.offsets import codepoint_to_utf16

HTMX = {"HX-Request": "true"}


def label(name="factual"):
    return Label.objects.get(name=name)


def selection(article, phrase, occurrence=0):
    """POST data for selecting `phrase` in `article`, offsets in UTF-16 as a browser sends."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(phrase, start + 1)
    return {
        "start": codepoint_to_utf16(article.body, start),
        "end": codepoint_to_utf16(article.body, start + len(phrase)),
        "quote": phrase,
    }


def collect_static(root, settings):
    """Our own static files collected as in production (hashed, precompressed), without
    the admin's hundreds: a client whose whitenoise serves `root`."""
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = root
    settings.WHITENOISE_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "articles.assets.StaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0", "--ignore", "admin", "--ignore", "articles")
    return Client()
