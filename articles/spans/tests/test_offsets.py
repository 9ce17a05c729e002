import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.spans.offsets import (
    OffsetError,
    anchor_quote,
    codepoint_to_utf16,
    passage_from_utf16,
    utf16_to_codepoint,
)

TEXT = "A 👍🏽 then e\u0301 and مرحبا 🇵🇰 end"


def test_it_converts_around_emoji():
    # "👍🏽" is two code points, four UTF-16 units.
    assert utf16_to_codepoint(TEXT, 2) == 2
    assert utf16_to_codepoint(TEXT, 6) == 4
    assert codepoint_to_utf16(TEXT, 4) == 6


def test_it_refuses_an_offset_inside_a_surrogate_pair():
    with pytest.raises(OffsetError, match="surrogate pair"):
        utf16_to_codepoint(TEXT, 3)


def test_it_refuses_offsets_out_of_range():
    with pytest.raises(OffsetError):
        utf16_to_codepoint(TEXT, -1)
    with pytest.raises(OffsetError):
        utf16_to_codepoint(TEXT, 10_000)


def test_it_checks_the_quote_after_emoji():
    start = codepoint_to_utf16(TEXT, TEXT.index("مرحبا"))
    passage = passage_from_utf16(TEXT, start, start + 5, "مرحبا")
    assert TEXT[passage.start : passage.end] == "مرحبا"
    assert passage.prefix == TEXT[: passage.start][-32:]
    assert passage.suffix == TEXT[passage.end :][:32]


def test_it_keeps_combining_marks_with_their_letter():
    start = TEXT.index("e\u0301")
    passage = passage_from_utf16(
        TEXT, codepoint_to_utf16(TEXT, start), codepoint_to_utf16(TEXT, start + 2), "e\u0301"
    )
    assert passage.quote == "e\u0301"


def test_it_refuses_a_mismatched_quote():
    with pytest.raises(OffsetError, match="does not match"):
        passage_from_utf16(TEXT, 0, 1, "B")


def test_it_refuses_empty_and_whitespace_selections():
    with pytest.raises(OffsetError, match="empty"):
        passage_from_utf16(TEXT, 1, 1, "")
    with pytest.raises(OffsetError, match="whitespace"):
        passage_from_utf16("a  b", 1, 3, "  ")


def test_it_trims_surrounding_whitespace():
    text = "one\n\ntwo three"
    passage = passage_from_utf16(text, 3, 8, "\n\ntwo")
    assert (passage.start, passage.end, passage.quote) == (5, 8, "two")


def test_it_reanchors_a_moved_quote_by_context():
    text = "the cat sat. the cat ran."
    assert anchor_quote(text, "cat", prefix="the ", suffix=" ran", start=0) == (17, 20)
    assert anchor_quote(text, "cat", prefix="the ", suffix=" sat", start=99) == (4, 7)
    assert anchor_quote(text, "cat", start=4) == (4, 7)
    assert anchor_quote(text, "cat") is None  # two equally good places
    assert anchor_quote(text, "dog") is None


@given(st.text(min_size=1), st.data())
def test_it_round_trips_any_codepoint_offset(text, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert utf16_to_codepoint(text, codepoint_to_utf16(text, offset)) == offset


@given(st.text(min_size=1), st.data())
def test_it_accepts_exactly_the_text_at_any_valid_selection(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    passage = passage_from_utf16(text, codepoint_to_utf16(text, start), codepoint_to_utf16(text, end), quote)
    assert text[passage.start : passage.end] == passage.quote == quote.strip()
