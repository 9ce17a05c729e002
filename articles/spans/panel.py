"""The side panel's list of annotations, rendered in Python.

A thousand items through the template engine (or a thousand model instances with their
labels and authors) cost hundreds of milliseconds; plain rows and this loop cost a few.
The markup is what reader.js and the tests expect of `.annotation-item`.
"""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Annotation

STATUS_NAMES = dict(Annotation.STATUS_CHOICES)
MONTHS = [""] + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True, slots=True)
class PanelRow:
    id: int
    start: int
    end: int
    label_id: int
    author_id: int
    quote: str
    note: str
    status: str
    created_at: datetime

    FIELDS = ("id", "start", "end", "label_id", "author_id", "quote", "note", "status", "created_at")


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_annotation_items(rows, labels, usernames, annotations_url, oob=False):
    """HTML <li> items for `rows` (PanelRow); `labels` by id with their category loaded,
    `usernames` by user id; `annotations_url` is the article's annotations URL ending in '/'.
    With `oob`, each item replaces the item of the same id in the page (htmx)."""
    oob_attribute = ' hx-swap-oob="true"' if oob else ""
    zone = timezone.get_current_timezone()
    label_html = {
        label.id: f'<span class="item-label"><span class="swatch sw{label.id}" aria-hidden="true"></span>'
        f"{escape(label.category.name)}: {escape(label.name)}</span>"
        for label in labels.values()
    }
    author_html = {user_id: escape(name) for user_id, name in usernames.items()}
    out = []
    for row in rows:
        category_id = labels[row.label_id].category_id
        created = row.created_at.astimezone(zone)
        note = f'<span class="item-note">{escape(shorten(row.note, 140))}</span>' if row.note else ""
        out.append(
            f'<li class="annotation-item c{category_id}" id="item-{row.id}" data-id="{row.id}" '
            f'data-status="{row.status}" data-label="{row.label_id}" data-category="{category_id}" '
            f'data-author="{row.author_id}"{oob_attribute}>'
            f'<button type="button" class="item-button" data-id="{row.id}" '
            f'hx-get="{annotations_url}{row.id}/edit/" hx-target="#popover" hx-swap="innerHTML">'
            f'{label_html[row.label_id]}<q class="item-quote">{escape(shorten(row.quote, 90))}</q>{note}'
            f'<span class="item-meta">{author_html.get(row.author_id, "")} · '
            f'<time datetime="{created.isoformat()}">{created.day} {MONTHS[created.month]}, '
            f"{created.hour:02d}:{created.minute:02d}</time> · "
            f'<span class="status status-{row.status}">{STATUS_NAMES[row.status]}</span></span>'
            f"</button></li>"
        )
    return mark_safe("".join(out))  # noqa: S308 -- every value is escaped above
