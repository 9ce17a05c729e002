"""Rendering article text with overlapping highlight spans.

The text is cut at every span boundary and at every paragraph break; each run is
wrapped in one element listing the ids of all spans that cover it. Runs carry their
UTF-16 start offset (`data-u`) so the browser can turn a selection back into offsets
without counting characters itself.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from heapq import heappop, heappush
from html import escape
from typing import NamedTuple

from django.utils.safestring import mark_safe

from articles.spans.offsets import Utf16Index

PARAGRAPH_BREAK = "\n\n"
DEPTH_CLASSES = {1: "run hl depth-1", 2: "run hl depth-2", 3: "run hl depth-3"}


@dataclass(frozen=True)
class Span:
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


def segment(text, spans):
    """Return a list of paragraphs, each a list of Runs, covering `text` exactly.

    Paragraph breaks themselves belong to no run; every other code point is in one.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = {0, len(text)}
    for span in spans:
        cuts.add(span.start)
        cuts.add(span.end)
    paragraphs = []
    position = 0
    for piece in text.split(PARAGRAPH_BREAK):
        cuts.add(position)
        cuts.add(position + len(piece))
        position += len(piece) + len(PARAGRAPH_BREAK)
    ordered_cuts = sorted(cuts)

    by_start = sorted(spans, key=lambda s: s.start)
    # Innermost first: each span's rank by (length, id), so runs sort by a dict lookup.
    rank = {s.id: r for r, s in enumerate(sorted(spans, key=lambda s: (s.end - s.start, s.id)))}
    active = {}
    ending = []  # (end, id) of the active spans: the next to end on top
    next_span = 0
    paragraph_start = 0
    for piece in text.split(PARAGRAPH_BREAK):
        paragraph_end = paragraph_start + len(piece)
        runs = []
        bounds = ordered_cuts[
            bisect_left(ordered_cuts, paragraph_start) : bisect_right(ordered_cuts, paragraph_end)
        ]
        for run_start, run_end in zip(bounds, bounds[1:], strict=False):
            while ending and ending[0][0] <= run_start:
                del active[heappop(ending)[1]]
            while next_span < len(by_start) and by_start[next_span].start <= run_start:
                span = by_start[next_span]
                if span.end > run_start:
                    active[span.id] = span
                    heappush(ending, (span.end, span.id))
                next_span += 1
            covering = tuple(sorted(active, key=rank.__getitem__))
            runs.append(Run(run_start, run_end, text[run_start:run_end], covering))
        if not runs:
            runs.append(Run(paragraph_start, paragraph_start, "", ()))
        paragraphs.append(runs)
        paragraph_start = paragraph_end + len(PARAGRAPH_BREAK)
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
    fragments = {s.id: (s.category_id, f"c{s.category_id} l{s.label_id}") for s in spans}
    u16 = Utf16Index(text)
    classes_for = {}
    oob_attribute = ' hx-swap-oob="true"' if oob else ""
    rendered = []
    for index, paragraph in enumerate(segment(text, spans)):
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
                classes = classes_for[span_ids] = run_classes(span_ids, fragments)
            ids = " ".join(map(str, span_ids))
            out.append(f'<mark class="{classes}" data-u="{u16(start)}" data-ids="{ids}">{body}</mark>')
        out.append("</p>")
        rendered.append((index, "".join(out)))
    return rendered


def render_highlights(text, spans):
    """HTML for the whole article body: a <p> per paragraph, a <span>/<mark> per run."""
    html = "".join(html for _, html in render_paragraphs(text, spans))
    return mark_safe(html)  # noqa: S308 -- every run is escaped in render_paragraphs


def run_classes(span_ids, fragments):
    """CSS classes of a run: its stacking depth, then for each category covering it the
    category and the label of its innermost span, so each category keeps its own drawing
    style and colour where spans of several categories stack.

    `fragments` maps a span id to (category id, "c<category> l<label>").
    """
    classes = [DEPTH_CLASSES[min(len(span_ids), 3)]]
    seen_categories = set()
    for span_id in span_ids:
        category_id, fragment = fragments[span_id]
        if category_id not in seen_categories:
            seen_categories.add(category_id)
            classes.append(fragment)
    return " ".join(classes)
