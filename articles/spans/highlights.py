"""Rendering article text with overlapping highlight spans.

The text is cut at every span boundary and at every paragraph break; each run is
wrapped in one element listing the ids of all spans that cover it. Runs carry their
UTF-16 start offset (`data-u`) so the browser can turn a selection back into offsets
without counting characters itself.
"""

from bisect import insort
from html import escape
from typing import NamedTuple

from django.utils.safestring import mark_safe

from articles.spans.offsets import Utf16Index

PARAGRAPH_BREAK = "\n\n"
DEPTH_CLASSES = {1: "run hl depth-1", 2: "run hl depth-2", 3: "run hl depth-3"}


class Span(NamedTuple):
    # A tuple, not a dataclass: a create builds one per span of the paragraphs it
    # re-renders (hundreds where spans stack), and a tuple is several times cheaper.
    id: int
    start: int
    end: int
    label_id: int
    category_id: int


class Run(NamedTuple):
    start: int
    end: int
    text: str
    span_ids: tuple  # covering spans, innermost (shortest) first


def segment(text, spans, only=None):
    """Return a list of paragraphs, each a list of Runs, covering `text` exactly.

    Paragraph breaks themselves belong to no run; every other code point is in one.
    With `only` (paragraph indexes), the other paragraphs come back as empty lists.
    `spans` are Spans or tuples in their order (rows as the database returns them).
    """
    length = len(text)
    bounds = paragraph_bounds(text)
    # Each span as its sort key, (length, id): innermost first, ties in a fixed order.
    starting, ending = {}, {}
    for span_id, start, end, _label_id, _category_id in spans:
        if 0 <= start < end <= length:
            key = (end - start, span_id)
            starting.setdefault(start, []).append(key)
            ending.setdefault(end, []).append(key)
    cuts = {0, length, *starting, *ending}
    for paragraph_start, paragraph_end in bounds:
        cuts.add(paragraph_start)
        cuts.add(paragraph_end)
    ordered_cuts = sorted(cuts)
    ordered_cuts.append(length)  # a sentinel: the last cut has no run after it

    active = []  # keys of the spans covering the current cut, kept in order
    position = 0

    def reach(cut):
        for key in ending.get(cut, ()):
            active.remove(key)
        for key in starting.get(cut, ()):
            insort(active, key)

    paragraphs = []
    for index, (paragraph_start, paragraph_end) in enumerate(bounds):
        # Spans may start or end inside a paragraph break.
        while ordered_cuts[position] < paragraph_start:
            reach(ordered_cuts[position])
            position += 1
        runs = []
        wanted = only is None or index in only
        while ordered_cuts[position] < paragraph_end:
            run_start, run_end = ordered_cuts[position], ordered_cuts[position + 1]
            reach(run_start)
            if wanted:
                covering = tuple([key[1] for key in active])
                runs.append(Run(run_start, run_end, text[run_start:run_end], covering))
            position += 1
        if wanted and not runs:
            runs.append(Run(paragraph_start, paragraph_start, "", ()))
        paragraphs.append(runs)
    return paragraphs


def paragraph_bounds(text):
    """(start, end) of each paragraph of canonical text, in order."""
    bounds = []
    start = 0
    for piece in text.split(PARAGRAPH_BREAK):
        bounds.append((start, start + len(piece)))
        start += len(piece) + len(PARAGRAPH_BREAK)
    return bounds


def paragraphs_touching(text, start, end):
    """Indexes of the paragraphs that hold any of the code points in [start, end)."""
    return [
        index
        for index, (p_start, p_end) in enumerate(paragraph_bounds(text))
        if p_start < end and start < max(p_end, p_start + 1)
    ]


def render_paragraphs(text, spans, only=None, oob=False):
    """HTML of each paragraph as (index, html), for all paragraphs or the `only` ones.

    Every <p> carries id="p<index>", so one paragraph can be swapped in place (`oob`)
    when an annotation in it changes, instead of the whole article.
    """
    spans = list(spans)
    by_id = {span[0]: span for span in spans}
    u16 = Utf16Index(text)
    classes_for = {}
    oob_attribute = ' hx-swap-oob="true"' if oob else ""
    rendered = []
    for index, paragraph in enumerate(segment(text, spans, only)):
        if only is not None and index not in only:
            continue
        out = [f'<p class="para" id="p{index}"{oob_attribute}>']
        for start, _end, run_text, span_ids in paragraph:
            body = escape(run_text, quote=False)
            if not span_ids:
                out.append(f'<span class="run" data-u="{u16(start)}">{body}</span>')
                continue
            classes = classes_for.get(span_ids)
            if classes is None:
                classes = classes_for[span_ids] = run_classes(span_ids, by_id)
            ids = " ".join(map(str, span_ids))
            out.append(f'<mark class="{classes}" data-u="{u16(start)}" data-ids="{ids}">{body}</mark>')
        out.append("</p>")
        rendered.append((index, "".join(out)))
    return rendered


def render_highlights(text, spans):
    """HTML for the whole article body: a <p> per paragraph, a <span>/<mark> per run."""
    html = "".join(html for _, html in render_paragraphs(text, spans))
    return mark_safe(html)  # noqa: S308 -- every run is escaped in render_paragraphs


def run_classes(span_ids, by_id):
    """CSS classes of a run: its stacking depth, then for each category covering it the
    category and the label of its innermost span, so each category keeps its own drawing
    style and colour where spans of several categories stack.

    `by_id` maps a span id to its Span (or tuple in a Span's order).
    """
    classes = [DEPTH_CLASSES[min(len(span_ids), 3)]]
    seen_categories = set()
    for span_id in span_ids:
        _id, _start, _end, label_id, category_id = by_id[span_id]
        if category_id not in seen_categories:
            seen_categories.add(category_id)
            classes.append(f"c{category_id} l{label_id}")
    return " ".join(classes)
