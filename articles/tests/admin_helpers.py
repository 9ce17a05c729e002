"""Helpers for the admin tests: staff users per role, many annotations, admin actions."""

import re

from articles.models import Annotation, Label
from articles.spans.offsets import context_around

ANNOTATIONS_URL = "/admin/articles/annotation/"
ARTICLES_URL = "/admin/articles/article/"
LABELS_URL = "/admin/articles/label/"
CATEGORIES_URL = "/admin/articles/category/"


def make_curator(make_user, username="carol"):
    return make_user(username, "Curator", is_staff=True)


def make_superuser(make_user, username="root"):
    return make_user(username, None, is_staff=True, is_superuser=True)


def many_annotations(article, author, count, *, label="factual"):
    """`count` one-word annotations over the article's words (cycling), bulk-created.

    bulk_create writes no history rows; these are for load and query-count tests.
    """
    words = list(re.finditer(r"\w+", article.body))
    label = Label.objects.get(name=label)
    rows = []
    for i in range(count):
        match = words[i % len(words)]
        prefix, suffix = context_around(article.body, match.start(), match.end())
        rows.append(
            Annotation(
                article=article,
                label=label,
                author=author,
                start=match.start(),
                end=match.end(),
                quote=match.group(),
                prefix=prefix,
                suffix=suffix,
            )
        )
    return Annotation.objects.bulk_create(rows)


def run_action(client, url, action, objects, **extra):
    """Post an admin changelist action for `objects`, as the action bar does."""
    data = {"action": action, "index": 0, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(url, data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


# The claim page's inline of attribution links (articles/admin/sources.py), empty.
NO_LINKS = {"attributions-TOTAL_FORMS": "0", "attributions-INITIAL_FORMS": "0"}
