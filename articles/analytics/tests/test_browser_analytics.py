"""An analyst narrows the overview to two outlets and one month with the filter form,
opens the table view and downloads the numbers as CSV."""

import csv
import io
from pathlib import Path

import pytest

from articles.analytics.tests.fixtures import coverage, make_article, tag

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("debug", [False, True])
def test_it_narrows_the_overview_shows_the_table_and_downloads_csv(
    logged_in_page, live_server, annotator_user, settings, debug
):
    settings.DEBUG = debug
    coverage(annotator_user)
    tag(make_article("Gamma Daily", title="Elsewhere"), "factual", annotator_user)
    page = logged_in_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/analytics/")
    assert page.locator("tbody th", has_text="Gamma Daily").count() >= 1
    page.get_by_role("checkbox", name="Alpha Post").check()
    page.get_by_role("checkbox", name="Beta Times").check()
    page.get_by_label("From", exact=True).fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(
        "**/analytics/?from=2026-03-01&to=2026-03-31&outlet=Alpha+Post&outlet=Beta+Times&status=all&author="
    )

    glance = page.locator("#panel-outlets")
    assert glance.locator("tbody th").all_inner_texts() == ["All outlets", "Alpha Post", "Beta Times"]
    officials = page.locator("#panel-anonymous-officials")
    table = officials.locator("table.figures")
    assert not table.is_visible()
    officials.locator("summary", has_text="Table").click()
    assert table.is_visible()
    # Alpha Post in March: c1 → s1 (named), c2 → s2 (an anonymous military official).
    alpha = table.locator("tr", has=page.locator("th", has_text="Alpha Post"))
    assert alpha.locator("td").all_inner_texts() == ["2", "50.0% n=2"]
    cell = alpha.locator("td").nth(1)
    assert cell.get_attribute("title") == "1 of 2 attributions to anonymous officials"
    cell.focus()

    with page.expect_download() as download:
        officials.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Outlet", "Attributions", "Anonymous officials %", "Anonymous officials % n"],
        ["All outlets", "4", "25.0", "4"],
        ["Alpha Post", "2", "50.0", "2"],
        ["Beta Times", "2", "0.0", "2"],
    ]
    assert errors == []
