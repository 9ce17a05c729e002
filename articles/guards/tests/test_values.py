"""Ids, days and moments as people type them (articles/guards/values.py)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.guards.values import parse_day, parse_id, utc_moment


@pytest.mark.parametrize("value", ["1", " 42 ", 7, "000123", "9" * 18])
def test_it_reads_ids(value):
    assert parse_id(value) == int(str(value).strip())


@pytest.mark.parametrize("value", ["", "²", "١٢", "-1", "1.5", "1e3", "abc", "9" * 19, "9" * 5000, "#1"])
def test_it_refuses_what_is_not_an_id(value):
    assert parse_id(value) is None


@given(st.text(max_size=30))
def test_it_gives_an_int_the_database_can_hold_or_none(value):
    parsed = parse_id(value)
    assert parsed is None or 0 <= parsed < 2**63


def test_it_turns_moments_to_utc():
    assert utc_moment(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)
    plus_one = timezone(timedelta(hours=1))
    assert utc_moment(datetime(2026, 1, 1, 12, tzinfo=plus_one)) == datetime(2026, 1, 1, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-1))),
    ],
)
def test_it_refuses_moments_outside_the_calendar_in_utc(moment):
    with pytest.raises(ValueError, match="outside the calendar"):
        utc_moment(moment)


def test_it_reads_days_a_range_can_step_over():
    assert parse_day("2026-01-31") == date(2026, 1, 31)
    for edge in ("9999-12-31", "0001-01-01"):
        with pytest.raises(ValueError, match="edge of the calendar"):
            parse_day(edge)
    with pytest.raises(ValueError):
        parse_day("2026-02-30")
