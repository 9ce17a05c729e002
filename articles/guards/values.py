"""Ids, days and moments as people type them.

Python parses more than the databases hold: str.isdigit() accepts "²" and every other
Unicode digit that int() then refuses; a 19-digit id overflows a 64-bit column; a
moment at the edge of the calendar overflows when turned to UTC, and the last day
overflows when a range adds one to it. Each of those was a 500 or a traceback. Every
path that reads an id, a day or a moment from a user goes through here.
"""

from datetime import UTC, date

# Any number of 18 digits fits a 64-bit id; one of 19 may not.
MAX_ID_DIGITS = 18


def parse_id(value):
    """`value` (text or a number) as an id: ASCII digits that fit a 64-bit column; else None."""
    value = str(value).strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def utc_moment(moment):
    """An aware datetime in UTC (a naive one is taken as UTC); ValueError when it lies
    outside the calendar once turned to UTC (0001-01-01T00:00+01:00, say)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("it lies outside the calendar in UTC") from None


def parse_day(value):
    """A YYYY-MM-DD day that has a day before and after it (ranges step over their ends);
    ValueError otherwise."""
    day = date.fromisoformat(value)
    if not date.min < day < date.max:
        raise ValueError("it is at the very edge of the calendar")
    return day


class IdPathConverter:
    """<id:pk> in URL patterns: a number that fits a 64-bit id. A longer one does not
    match, so the URL answers 404 before any view compares a column with it."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
