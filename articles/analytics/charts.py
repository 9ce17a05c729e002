"""Server-rendered inline SVG charts of a reports.Table: bars, stacked bars, diverging
bars, lines and small multiples.

No script and no style attributes (the CSP allows neither inline): geometry and colours
are SVG presentation attributes, the rest is classes styled in app.css. Each chart has a
<title> and <desc>; each mark is focusable and carries what it is out of (its <title>
shows on hover, its aria-label is read on focus). Marks whose count is under
reports.SMALL_N get the `small-n` class (grey) and their n.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH = 520  # viewBox units; the SVG scales to its container
ROW = 36  # a label line above each bar
BAR = 12
LINE_HEIGHT = 220
MULTIPLE_AT = 9  # more series than this: small multiples instead of one tangle of lines


def render(table):
    """The table's chart as SVG markup (safe), or "" for tables drawn as tables only."""
    drawer = {"bars": bars, "stacked": stacked, "diverging": diverging, "lines": lines}.get(table.chart)
    if drawer is None or not table.rows:
        return ""
    return mark_safe(drawer(table))  # noqa: S308 - every piece below is escaped


def _open(table, height, extra_class=""):
    return (
        f'<svg class="chart {extra_class}" viewBox="0 0 {WIDTH} {height}" role="graphics-document" '
        f'aria-labelledby="{table.id}-title {table.id}-desc" focusable="false">'
        f'<title id="{table.id}-title">{escape(table.title)}</title>'
        f'<desc id="{table.id}-desc">{escape(table.description)}</desc>'
    )


def _mark(shape, label, cell):
    """A focusable mark: its title and aria-label say the figure and what it is out of."""
    said = f"{label}: {cell.text}" + (f" ({cell.title})" if cell.title else "")
    classes = "mark small-n" if cell.small else "mark"
    return format_html(
        '<g class="{}" tabindex="0" role="graphics-symbol" aria-label="{}"><title>{}</title>{}</g>',
        classes,
        said,
        said,
        mark_safe(shape),  # noqa: S308 - built from numbers and escaped colours
    )


def _value_text(cell):
    return cell.text + (f" · n={cell.n}" if cell.small else "")


def bars(table):
    """One horizontal bar per row for the first plotted column, scaled to the largest."""
    index = table.column_index(table.plotted[0])
    column = table.columns[index]
    values = [row[index].value or 0 for row in table.rows]
    top = max(values) or 1
    parts = [_open(table, ROW * len(table.rows) + 6)]
    for i, row in enumerate(table.rows):
        y = i * ROW
        cell = row[index]
        width = max(0.0, (cell.value or 0) / top * (WIDTH - 120))
        shape = (
            f'<rect x="0" y="{y + 20}" width="{width:.1f}" height="{BAR}" rx="2" '
            f'fill="{escape(column.colour)}"/>'
            f'<text class="value" x="{width + 5:.1f}" y="{y + 30}">{escape(_value_text(cell))}</text>'
        )
        parts.append(f'<text class="row-label" x="0" y="{y + 15}">{escape(row[0].text)}</text>')
        parts.append(_mark(shape, row[0].text, cell))
    parts.append("</svg>")
    return "".join(parts)


def stacked(table):
    """One 100% bar per row, a segment per plotted share column, in the columns' colours."""
    indexes = [table.column_index(key) for key in table.plotted]
    parts = [_open(table, ROW * len(table.rows) + 6, "stacked")]
    for i, row in enumerate(table.rows):
        y = i * ROW
        total_cell = row[1]
        parts.append(
            f'<text class="row-label" x="0" y="{y + 15}">{escape(row[0].text)}'
            f'<tspan class="muted-text" dx="6">{escape(_value_text(total_cell))}</tspan></text>'
        )
        x = 0.0
        for index in indexes:
            cell = row[index]
            width = (cell.value or 0) / 100 * WIDTH
            if width <= 0:
                continue
            column = table.columns[index]
            shape = (
                f'<rect x="{x:.1f}" y="{y + 19}" width="{width:.1f}" height="{BAR + 2}" '
                f'fill="{escape(column.colour)}" stroke="#fff" stroke-width="0.5"/>'
            )
            parts.append(_mark(shape, f"{row[0].text}, {column.heading.removesuffix(' %')}", cell))
            x += width
        if x == 0:
            parts.append(f'<rect class="empty-bar" x="0" y="{y + 19}" width="{WIDTH}" height="{BAR + 2}"/>')
    parts.append("</svg>")
    return "".join(parts)


def diverging(table, domain=3):
    """Bars left (negative) or right (positive) of a zero line; the scale is ±domain."""
    index = table.column_index(table.plotted[0])
    positive, negative = table.columns[index].colour, table.note
    middle = WIDTH / 2
    height = ROW * len(table.rows) + 18
    parts = [_open(table, height)]
    for i, row in enumerate(table.rows):
        y = i * ROW
        cell = row[index]
        value = cell.value or 0
        width = min(abs(value), domain) / domain * (middle - 40)
        x = middle if value >= 0 else middle - width
        colour = positive if value >= 0 else negative
        anchor, tx = ("start", middle + width + 4) if value >= 0 else ("end", middle - width - 4)
        shape = (
            f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="{BAR}" rx="2" '
            f'fill="{escape(colour)}"/>'
            f'<text class="value" x="{tx:.1f}" y="{y + 30}" text-anchor="{anchor}">'
            f"{escape(_value_text(cell))}</text>"
        )
        parts.append(f'<text class="row-label" x="0" y="{y + 15}">{escape(row[0].text)}</text>')
        parts.append(_mark(shape, row[0].text, cell))
    axis_y = height - 4
    parts.append(f'<line class="axis" x1="{middle}" y1="0" x2="{middle}" y2="{axis_y - 10}"/>')
    for tick in (-domain, 0, domain):
        tx = middle + tick / domain * (middle - 40)
        parts.append(
            f'<text class="tick" x="{tx:.1f}" y="{axis_y}" text-anchor="middle">{_tick(tick)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _tick(value):
    return f"{value:+d}".replace("-", "−") if value else "0"


def lines(table):
    """One line per plotted column over the rows (periods); small multiples when many."""
    indexes = [table.column_index(key) for key in table.plotted]
    values = [row[i].value for row in table.rows for i in indexes if row[i].value is not None]
    low, high = min([0, *values]), max([0, *values]) or 1
    if len(indexes) < MULTIPLE_AT:
        svg = _line_panel(table, indexes, low, high, LINE_HEIGHT, table.id, table.title, table.description)
        return svg
    parts = ['<div class="multiples">']
    for index in indexes:
        name = table.columns[index].heading
        panel = _line_panel(
            table, [index], low, high, 120, f"{table.id}-{index}", name, f"{table.title}: {name}"
        )
        parts.append(f'<figure class="multiple"><figcaption>{escape(name)}</figcaption>{panel}</figure>')
    parts.append("</div>")
    return "".join(parts)


def _line_panel(table, indexes, low, high, height, id_, title, description):
    left, right, top, bottom = 44, 12, 10, 24
    span = (high - low) or 1
    count = len(table.rows)

    def x_at(i):
        return left + (i / (count - 1) if count > 1 else 0.5) * (WIDTH - left - right)

    def y_at(value):
        return top + (high - value) / span * (height - top - bottom)

    parts = [
        f'<svg class="chart lines" viewBox="0 0 {WIDTH} {height}" role="graphics-document" '
        f'aria-labelledby="{id_}-title {id_}-desc" focusable="false">'
        f'<title id="{id_}-title">{escape(title)}</title><desc id="{id_}-desc">{escape(description)}</desc>'
    ]
    for value in (low, high) if low != high else (high,):
        y = y_at(value)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    if low < 0 < high:
        y = y_at(0)
        parts.append(f'<line class="axis" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}"/>')
    for i in sorted({0, count - 1}):
        anchor = "start" if i == 0 and count > 1 else "end" if count > 1 else "middle"
        parts.append(
            f'<text class="tick" x="{x_at(i):.1f}" y="{height - 6}" text-anchor="{anchor}">'
            f"{escape(table.rows[i][0].text)}</text>"
        )
    for index in indexes:
        colour = escape(table.columns[index].colour)
        points = [
            (x_at(i), y_at(row[index].value))
            for i, row in enumerate(table.rows)
            if row[index].value is not None
        ]
        segments, current = [], []
        for i, row in enumerate(table.rows):  # a gap (no data) breaks the line
            if row[index].value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x_at(i):.1f},{y_at(row[index].value):.1f}")
        if current:
            segments.append(current)
        for segment in segments:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        del points
        for i, row in enumerate(table.rows):
            cell = row[index]
            if cell.value is None:
                continue
            shape = f'<circle cx="{x_at(i):.1f}" cy="{y_at(cell.value):.1f}" r="3.5" fill="{colour}"/>'
            parts.append(_mark(shape, f"{table.columns[index].heading}, {row[0].text}", cell))
    parts.append("</svg>")
    return "".join(parts)
