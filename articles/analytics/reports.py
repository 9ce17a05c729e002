"""The analytics views' numbers as tables: what the page shows, the chart draws, the CSV
and JSON downloads hold and the `analytics` command prints — one source for all five.

Each view is a function of the filters returning a list of `Table`s. A table's cells
carry the number as shown (rounded as on the page), its text, the denominator behind it
(for the hover/focus title) and whether that denominator is small.
"""

from dataclasses import dataclass, field

from articles.analytics import aggregation as agg
from articles.models import Annotation, Category

SMALL_N = 10  # below this many, a figure is flagged
# Colour-blind-safe fallbacks when the codebook has fewer colours than a mix needs.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999",
           "#332288", "#88ccee", "#44aa99", "#aa4499"]  # fmt: skip


@dataclass
class Cell:
    value: object = None  # the number as shown (None: no data), or a text
    text: str = ""
    title: str = ""  # what the number is out of, shown on hover and focus
    n: int | None = None  # the count behind a share or mean
    href: str = ""

    @property
    def small(self):
        return self.n is not None and 0 < self.n < SMALL_N


@dataclass
class Column:
    key: str
    heading: str
    kind: str = "count"  # label, text, count, share, mean, ratio
    colour: str = ""


@dataclass
class Table:
    id: str
    title: str
    description: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cells, one per column
    chart: str = "bars"  # bars, stacked, diverging, lines, none
    plotted: tuple = ()  # the column keys the chart draws
    note: str = ""
    table_open: bool = False  # show the numbers under the chart without a click

    def column_index(self, key):
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def as_dict(self):
        """Each cell as its value, or [value, n] for shares and means (what it is out of)."""
        with_n = [column.kind in ("share", "mean", "ratio") for column in self.columns]
        return {
            "id": self.id,
            "title": self.title,
            "columns": [column.heading for column in self.columns],
            "rows": [
                [[cell.value, cell.n] if n else cell.value for cell, n in zip(row, with_n, strict=True)]
                for row in self.rows
            ],
        }


# Cells --------------------------------------------------------------------------------


def label(text, href=""):
    return Cell(value=text, text=text, href=href)


def count(n, what=""):
    return Cell(value=n, text=f"{n:,}", title=f"{n:,} {what}".strip())


def share(part, whole, what):
    if not whole:
        return Cell(text="–", title=f"no {what}", n=0)
    percent = round(100 * part / whole, 1)
    return Cell(value=percent, text=f"{percent:.1f}%", title=f"{part:,} of {whole:,} {what}", n=whole)


def mean(total, n, what):
    if not n:
        return Cell(text="–", title=f"no {what}", n=0)
    value = round(total / n, 2)
    return Cell(value=value, text=signed(value), title=f"mean of {n:,} {what}", n=n)


def per(part, whole, what, of):
    if not whole:
        return Cell(text="–", title=f"no {of}", n=0)
    value = round(part / whole, 2)
    return Cell(value=value, text=f"{value:.2f}", title=f"{part:,} {what} in {whole:,} {of}", n=whole)


def signed(value):
    return f"{value:+.2f}".replace("-", "−") if value else "0.00"


# Colours from the codebook ------------------------------------------------------------


def kind_colours(codebook, kind):
    return [label.colour for label in codebook.labels.values() if label.category.kind == kind]


def palette(preferred, count_):
    colours = list(dict.fromkeys([*preferred, *PALETTE]))
    return colours[:count_]


# Views --------------------------------------------------------------------------------


def _outlet_rows(rows, total_row=True):
    """The per-outlet rows with an "All outlets" row first (when more than one)."""
    if total_row and len(rows) > 1:
        return [agg.merge(rows, outlet="All outlets"), *rows]
    return rows


def overview(filters, codebook=None):
    codebook = codebook or agg.Codebook.load()
    sourcing = agg.sourcing(filters, codebook=codebook)
    tones = {row.outlet: row for row in agg.tone(filters, codebook=codebook)}
    source_colour = (kind_colours(codebook, Category.SOURCE) or PALETTE)[1:2] or [PALETTE[1]]
    tone_colours = {label.polarity: label.colour for label in codebook.tone_labels() if label.polarity}
    table = Table(
        "outlets",
        "Outlets at a glance",
        "Per outlet: coded articles, claims, how claims are attributed, how often sources are "
        "anonymous, and the mean tone score.",
        [
            Column("outlet", "Outlet", "label"),
            Column("articles", "Articles", "count"),
            Column("claims", "Claims", "count"),
            Column("claims_per_article", "Claims per article", "ratio"),
            Column("attributed", "Attributed %", "share"),
            Column("own_voice", "Own voice %", "share"),
            Column("anonymous", "Anonymous sources %", "share"),
            Column("anonymous_officials", "Anonymous officials %", "share"),
            Column("tones", "Tone annotations", "count"),
            Column("mean_tone", "Mean tone score", "mean"),
        ],
        chart="none",
    )
    officials = Table(
        "anonymous-officials",
        "Reliance on anonymous officials",
        "Share of each outlet's claim → source attributions that go to anonymous government, "
        "military, intelligence or diplomatic sources.",
        [
            Column("outlet", "Outlet", "label"),
            Column("links", "Attributions", "count"),
            Column("anonymous_officials", "Anonymous officials %", "share", source_colour[0]),
        ],
        plotted=("anonymous_officials",),
    )
    scores = Table(
        "tone",
        "Mean signed tone score",
        "Polarity times intensity, averaged over the outlet's scored tone annotations (−3 to +3).",
        [
            Column("outlet", "Outlet", "label"),
            Column("scored", "Scored", "count"),
            Column("mean", "Mean score", "mean", tone_colours.get(1, PALETTE[2])),
        ],
        chart="diverging",
        plotted=("mean",),
        note=tone_colours.get(-1, PALETTE[5]),
    )
    total_tone = agg.merge(tones.values(), outlet="All outlets")
    for row in _outlet_rows(sourcing):
        tone_row = (total_tone if row.outlet == "All outlets" else tones.get(row.outlet)) or agg.ToneRow(
            row.outlet
        )
        outlet = label(row.outlet)
        officials_share = share(row.anonymous_officials, row.links, "attributions to anonymous officials")
        mean_tone = mean(tone_row.score_sum, tone_row.scored, "scored tone annotations")
        table.rows.append(
            [
                outlet,
                count(row.articles, "articles with a counted annotation"),
                count(row.claims, "claims"),
                per(row.claims, row.articles, "claims", "articles"),
                share(row.attributed, row.claims, "claims attributed to a source"),
                share(row.own_voice, row.claims, "claims in the outlet's own voice"),
                share(row.anonymity[Annotation.ANONYMOUS], row.links, "attributions to anonymous sources"),
                officials_share,
                count(tone_row.tones, "tone annotations"),
                mean_tone,
            ]
        )
        officials.rows.append([outlet, count(row.links, "attributions"), officials_share])
        scores.rows.append([outlet, count(tone_row.scored, "scored tone annotations"), mean_tone])
    return [table, officials, scores]


def sourcing(filters, codebook=None):
    codebook = codebook or agg.Codebook.load()
    rows = _outlet_rows(agg.sourcing(filters, codebook=codebook))
    claim_colours = palette(kind_colours(codebook, Category.CLAIM), 3)
    source_colours = kind_colours(codebook, Category.SOURCE)
    per_article = Table(
        "claims",
        "Claims per article",
        "Counted claims divided by coded articles, per outlet.",
        [
            Column("outlet", "Outlet", "label"),
            Column("articles", "Articles", "count"),
            Column("claims", "Claims", "count"),
            Column("claims_per_article", "Claims per article", "ratio", claim_colours[0]),
        ],
        plotted=("claims_per_article",),
    )
    attribution = Table(
        "attribution",
        "Whose voice: attributed claims and the outlet's own voice",
        "Share of claims attributed to at least one source, told in the outlet's own voice, or "
        "not yet coded either way.",
        [
            Column("outlet", "Outlet", "label"),
            Column("claims", "Claims", "count"),
            Column("attributed", "Attributed %", "share", claim_colours[0]),
            Column("own_voice", "Own voice %", "share", claim_colours[1]),
            Column("uncoded", "Not coded %", "share", "#c8c6c0"),
        ],
        chart="stacked",
        plotted=("attributed", "own_voice", "uncoded"),
    )
    anonymity = _mix_table(
        "anonymity",
        "Named or anonymous: the sources of attributed claims",
        "Claim → source attributions by how openly the source is named.",
        rows,
        lambda r: r.anonymity,
        agg.ANONYMITIES,
        agg.ANONYMITY_NAMES,
        palette(source_colours, len(agg.ANONYMITIES)),
    )
    types = _mix_table(
        "types",
        "Source types",
        "Claim → source attributions by the type of the cited entity.",
        rows,
        lambda r: r.source_types,
        agg.SOURCE_TYPES,
        agg.SOURCE_TYPE_NAMES,
        palette([], len(agg.SOURCE_TYPES)),
    )
    forms = _mix_table(
        "forms",
        "Direct, indirect or paraphrase",
        "Claim → source attributions by form.",
        rows,
        lambda r: r.forms,
        agg.FORMS,
        agg.FORM_NAMES,
        palette(claim_colours, len(agg.FORMS)),
    )
    for row in rows:
        per_article.rows.append(
            [
                label(row.outlet),
                count(row.articles, "articles"),
                count(row.claims, "claims"),
                per(row.claims, row.articles, "claims", "articles"),
            ]
        )
        attribution.rows.append(
            [
                label(row.outlet),
                count(row.claims, "claims"),
                share(row.attributed, row.claims, "claims attributed"),
                share(row.own_voice, row.claims, "claims in the outlet's own voice"),
                share(row.uncoded, row.claims, "claims not coded"),
            ]
        )
    return [per_article, attribution, anonymity, types, forms]


def _mix_table(id_, title, description, rows, counter, keys, names, colours):
    keys = [key for key in keys if any(counter(row)[key] for row in rows)] or keys[:1]
    table = Table(
        id_,
        title,
        description,
        [
            Column("outlet", "Outlet", "label"),
            Column("links", "Attributions", "count"),
            *(
                Column(key or "none", f"{names[key]} %", "share", colours[i % len(colours)])
                for i, key in enumerate(keys)
            ),
        ],
        chart="stacked",
        plotted=tuple(key or "none" for key in keys),
    )
    for row in rows:
        mix = counter(row)
        table.rows.append(
            [
                label(row.outlet),
                count(row.links, "attributions"),
                *(share(mix[key], row.links, f"attributions: {names[key].lower()}") for key in keys),
            ]
        )
    return table


def voices(filters, codebook=None, entity_url=None):
    rows = agg.voices(filters, codebook=codebook)
    source_colour = (kind_colours(codebook or agg.Codebook.load(), Category.SOURCE) or PALETTE)[0]
    table = Table(
        "voices",
        f"The most cited voices (top {agg.VOICES_SHOWN})",
        "Source entities by the number of counted source annotations naming them, with the "
        "claims attributed to them and the articles and outlets citing them.",
        [
            Column("name", "Source", "label"),
            Column("type", "Type", "text"),
            Column("affiliation", "Affiliation", "text"),
            Column("country", "Country", "text"),
            Column("citations", "Citations", "count", source_colour),
            Column("claims", "Claims", "count"),
            Column("articles", "Articles", "count"),
            Column("outlets", "Outlets", "count"),
        ],
        plotted=("citations",),
        table_open=True,
    )
    for row in rows:
        table.rows.append(
            [
                label(row.name, entity_url(row.entity_id) if entity_url else ""),
                label(agg.SOURCE_TYPE_NAMES.get(row.source_type, row.source_type)),
                label(row.affiliation),
                label(row.country),
                count(row.citations, "source annotations"),
                count(row.claims, "claims attributed"),
                count(row.articles, "articles"),
                count(row.outlets, "outlets"),
            ]
        )
    return [table]


def tone(filters, codebook=None):
    codebook = codebook or agg.Codebook.load()
    rows = _outlet_rows(agg.tone(filters, codebook=codebook))
    tone_labels = codebook.tone_labels()
    if filters.label_ids:
        tone_labels = [t for t in tone_labels if t.id in filters.label_ids] or tone_labels
    distribution = Table(
        "distribution",
        "Tone labels per outlet",
        "Share of each tone label among the outlet's counted tone annotations.",
        [
            Column("outlet", "Outlet", "label"),
            Column("tones", "Tone annotations", "count"),
            *(Column(f"label{t.id}", f"{t.name} %", "share", t.colour) for t in tone_labels),
        ],
        chart="stacked",
        plotted=tuple(f"label{t.id}" for t in tone_labels),
    )
    polar = {t.polarity: t.colour for t in tone_labels if t.polarity}
    scores = Table(
        "scores",
        "Mean signed tone score per outlet",
        "Polarity (−1, 0, +1) times intensity (1–3), averaged over the tone annotations that "
        "have both; from −3 (strongly negative) to +3.",
        [
            Column("outlet", "Outlet", "label"),
            Column("scored", "Scored", "count"),
            Column("mean", "Mean score", "mean", polar.get(1, PALETTE[2])),
        ],
        chart="diverging",
        plotted=("mean",),
        note=polar.get(-1, PALETTE[5]),
    )
    for row in rows:
        distribution.rows.append(
            [
                label(row.outlet),
                count(row.tones, "tone annotations"),
                *(share(row.by_label[t.id], row.tones, f"tone annotations: {t.name}") for t in tone_labels),
            ]
        )
        scores.rows.append(
            [
                label(row.outlet),
                count(row.scored, "scored tone annotations"),
                mean(row.score_sum, row.scored, "scored tone annotations"),
            ]
        )
    targets, cells = agg.tone_targets(filters, codebook=codebook)
    by_cell = {(cell.outlet, (cell.entity_id, "" if cell.entity_id else cell.target.casefold())): cell
               for cell in cells}  # fmt: skip
    target_table = Table(
        "targets",
        "Tone toward each target: mean score (n) per outlet",
        f"The {agg.TARGETS_SHOWN} most frequent tone targets; each cell is the mean signed "
        "score of the outlet's tone annotations toward that target.",
        [
            Column("outlet", "Outlet", "label"),
            *(Column(f"t{i}", name, "mean") for i, (_, name) in enumerate(targets)),
        ],
        chart="none",
    )
    for outlet in sorted({cell.outlet for cell in cells}, key=str.casefold):
        row = [label(outlet)]
        for key, name in targets:
            cell = by_cell.get((outlet, (key[0], "" if key[0] else name.casefold())))
            row.append(
                mean(cell.score_sum, cell.scored, f"tone annotations toward {name}")
                if cell
                else mean(0, 0, f"tone annotations toward {name}")
            )
        target_table.rows.append(row)
    return [distribution, scores, target_table]


def over_time(filters, codebook=None):
    measure, periods, series = agg.over_time(filters, codebook=codebook)
    colours = palette([], len(series)) if len(series) <= len(PALETTE) else [PALETTE[0]] * len(series)
    period_name = agg.PERIODS[filters.period].lower()
    table = Table(
        "series",
        f"{measure.name} per {period_name}",
        f"{measure.name}, one line per outlet, by the {period_name} of the article's date "
        "(published, else added).",
        [
            Column("period", agg.PERIODS[filters.period], "label"),
            *(
                Column(f"s{i}", s.outlet, "share" if measure.percent else "ratio", colours[i])
                for i, s in enumerate(series)
            ),
        ],
        chart="lines",
        plotted=tuple(f"s{i}" for i in range(len(series))),
    )
    for index, period in enumerate(periods):
        row = [label(period.isoformat())]
        for s in series:
            _, value, base = s.points[index]
            row.append(_measure_cell(measure, value, base, s.outlet, period))
        table.rows.append(row)
    return [table]


def _measure_cell(measure, value, base, outlet, period):
    what = f"{measure.base_name} ({outlet}, {period:%Y-%m-%d})"
    if value is None:
        return Cell(text="–", title=f"no {what}", n=0)
    if measure.percent:
        percent = round(100 * value, 1)
        return Cell(value=percent, text=f"{percent:.1f}%", title=f"of {base:,} {what}", n=base)
    shown = round(value, 2)
    text = signed(shown) if measure.name.startswith("Mean") else f"{shown:,.2f}".rstrip("0").rstrip(".")
    return Cell(value=shown, text=text, title=f"from {base:,} {what}", n=base)


VIEWS = {
    "overview": ("Overview", overview),
    "sourcing": ("Sourcing", sourcing),
    "voices": ("Voices", voices),
    "tone": ("Tone", tone),
    "time": ("Over time", over_time),
}


# Downloads ----------------------------------------------------------------------------


def table_csv(table):
    """The table as CSV: its headings, then each row's numbers exactly as shown, each
    share or mean followed by its n (what it is out of; the page shows it on hover). Text
    cells are escaped against spreadsheet formulas, as the annotation export does."""
    import csv
    import io

    from articles.exchange.writers import escape_cell

    with_n = [column.kind in ("share", "mean", "ratio") for column in table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headings = []
    for column, n in zip(table.columns, with_n, strict=True):
        headings += [escape_cell(column.heading), *([f"{column.heading} n"] if n else [])]
    writer.writerow(headings)
    for row in table.rows:
        values = []
        for cell, n in zip(row, with_n, strict=True):
            value = "" if cell.value is None else cell.value
            values += [escape_cell(value) if isinstance(value, str) else value, *([cell.n] if n else [])]
        writer.writerow(values)
    return buffer.getvalue()


def tables_json(view, filters, tables):
    return {
        "view": view,
        "filters": [[key, value] for key, value in filters.query_items()],
        "tables": [table.as_dict() for table in tables],
    }
