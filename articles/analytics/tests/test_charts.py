import re

from articles.analytics import charts
from articles.analytics.reports import Column, Table, count, label, mean, share


def table(chart, plotted, rows, columns):
    return Table(
        "t", "A <title>", "What it shows", columns, rows, chart=chart, plotted=plotted, note="#d0312d"
    )


def shares_table():
    columns = [Column("outlet", "Outlet", "label"), Column("n", "Claims", "count"),
               Column("a", "Yes %", "share", "#111111"), Column("b", "No %", "share", "#222222")]  # fmt: skip
    rows = [
        [label("<Big>"), count(40), share(30, 40, "claims"), share(10, 40, "claims")],
        [label("Small"), count(4), share(1, 4, "claims"), share(3, 4, "claims")],
    ]
    return table("stacked", ("a", "b"), rows, columns)


def test_it_draws_stacked_bars_with_titles_denominators_and_small_counts():
    svg = charts.render(shares_table())
    assert svg.startswith('<svg class="chart stacked"')
    assert '<title id="t-title">A &lt;title&gt;</title><desc id="t-desc">What it shows</desc>' in svg
    assert 'aria-label="&lt;Big&gt;, Yes: 75.0% (30 of 40 claims)"' in svg
    assert 'width="390.0"' in svg and 'fill="#111111"' in svg  # 75% of 520
    small = re.findall(r'<g class="([^"]+)"[^>]*aria-label="Small, ', svg)
    assert small == ["mark small-n", "mark small-n"]
    assert "style=" not in svg and "<Big>" not in svg


def test_it_draws_bars_scaled_to_the_largest_with_the_n_of_small_ones():
    t = shares_table()
    t.chart, t.plotted = "bars", ("a",)
    svg = charts.render(t)
    assert 'width="400.0"' in svg  # the largest bar spans WIDTH - 120
    assert "75.0%" in svg and "25.0% · n=4" in svg


def test_it_draws_negative_scores_left_of_zero():
    columns = [
        Column("outlet", "Outlet", "label"),
        Column("n", "Scored", "count"),
        Column("m", "Mean", "mean", "#219653"),
    ]
    rows = [
        [label("Down"), count(12), mean(-18, 12, "tones")],
        [label("Up"), count(12), mean(12, 12, "tones")],
    ]
    svg = charts.render(table("diverging", ("m",), rows, columns))
    assert 'fill="#d0312d"' in svg and 'fill="#219653"' in svg
    assert 'text-anchor="end">−1.50</text>' in svg and ">+1.00</text>" in svg
    assert ">−3</text>" in svg and ">0</text>" in svg


def test_it_draws_lines_and_switches_to_small_multiples_when_many():
    columns = [Column("period", "Month", "label")] + [
        Column(f"s{i}", f"Outlet {i}", "ratio", "#000000") for i in range(9)
    ]
    rows = [
        [label("2026-03-01")] + [count(i) for i in range(9)],
        [label("2026-04-01")] + [count(i + 1) for i in range(9)],
    ]
    many = table("lines", tuple(f"s{i}" for i in range(9)), rows, columns)
    html = charts.render(many)
    assert html.startswith('<div class="multiples">') and html.count("<svg") == 9
    few = table("lines", ("s0", "s1"), rows, columns)
    assert charts.render(few).count("<polyline") == 2


def test_it_draws_nothing_for_table_only_or_empty_tables():
    t = shares_table()
    t.chart = "none"
    assert charts.render(t) == ""
    t.chart, t.rows = "stacked", []
    assert charts.render(t) == ""
