import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = io.StringIO()
    call_command("analytics", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_views_first_table_as_csv(cov):
    lines = run("overview", "--status", "accepted").splitlines()
    assert lines[0].startswith("Outlet,Articles,Claims,Claims per article")
    assert lines[2].startswith("Alpha Post,2,1,")


def test_it_prints_every_table_as_json_with_the_filters(cov):
    data = json.loads(run("sourcing", "--format", "json", "--outlet", "Beta Times"))
    assert data["filters"] == [["outlet", "Beta Times"]]
    assert [t["id"] for t in data["tables"]] == ["claims", "attribution", "anonymity", "types", "forms"]
    assert data["tables"][0]["rows"] == [["Beta Times", 1, 1, [1.0, 1]]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "unknown view “nope”"),
        (["tone", "--from", "March"], "cannot filter: from “March” is not a date"),
        (["tone", "--table", "x"], "has no table “x”"),
        (["voices", "--author", "ghost"], "unknown author “ghost”"),
    ],
)
def test_it_fails_with_a_one_line_reason(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
