"""The CSV / JSON Lines / W3C writers and spreadsheet escaping, on plain rows (no database)."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from articles.exchange.writers import (
    CSV_COLUMNS,
    FORMULA_STARTS,
    csv_chunks,
    escape_cell,
    iso_utc,
    jsonl_chunks,
    needs_escape,
    unescape_cell,
    w3c_annotation,
    w3c_chunks,
)

DATA = {
    "annotation_id": "6f1c1a52-6a4e-4a8e-9d55-2b8d8f1f0c11",
    "article_id": 7,
    "article_title": "Title, with “quotes”",
    "article_url": "https://example.org/story",
    "outlet": "ABC News",
    "category": "Claim",
    "label": "factual",
    "start": 10,
    "end": 20,
    "quote": "=HYPERLINK(x)",
    "prefix": "before\nline",
    "suffix": '"after"',
    "note": "-3 points",
    "author": "alice",
    "created_at": "2026-01-01T00:00:00.000000Z",
    "updated_at": "2026-01-02T00:00:00.000000Z",
    "start_utf16": 11,
    "end_utf16": 21,
    "status": "accepted",
    "reviewed_by": "bob",
    "reviewed_at": "2026-01-02T03:04:05.000006Z",
    "kind": "claim",
    "attributed_to": "0b6a8f7e-1111-4c2d-9e3f-222233334444;0b6a8f7e-5555-4c2d-9e3f-666677778888",
    "attribution_cue": "said;told ABC News",
    "attribution_form": "direct;indirect",
    "source_entity_id": None,
    "source_entity_name": None,
    "source_type": None,
    "anonymity": None,
    "tone_intensity": None,
    "tone_score": None,
    "tone_target": None,
    "coder": "alice",
    "gold": "false",
}
ROW = tuple(DATA.values())


def row_with(**changes):
    return tuple({**DATA, **changes}.values())


text_cells = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)
formula_cells = st.builds(
    lambda first, rest: first + rest, st.sampled_from(sorted(FORMULA_STARTS) + ["'"]), text_cells
)


def read_csv(text):
    """Strict RFC 4180 reading, as pandas' C parser does: a stray quote is an error."""
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def test_it_writes_a_header_and_one_rfc4180_row_per_annotation():
    text = "".join(csv_chunks([ROW, ROW]))
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = read_csv(text)
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 3
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    # A field with a newline or a quote is quoted, quotes doubled; rows end in CRLF.
    assert '"before\nline"' in text
    assert '"""after"""' in text
    assert text.endswith("\r\n")


def test_it_escapes_formula_cells_by_default_and_not_in_raw_mode():
    safe = read_csv("".join(csv_chunks([ROW])))[1]
    raw = read_csv("".join(csv_chunks([ROW], escape=False)))[1]
    quote, note = CSV_COLUMNS.index("quote"), CSV_COLUMNS.index("note")
    assert safe[quote] == "'=HYPERLINK(x)"
    assert safe[note] == "'-3 points"
    assert raw[quote] == "=HYPERLINK(x)"
    assert raw[note] == "-3 points"
    # Numbers and ordinary text are untouched either way.
    assert safe[CSV_COLUMNS.index("start")] == "10"
    assert safe[CSV_COLUMNS.index("author")] == "alice"


def test_it_adds_a_bom_only_with_the_excel_option():
    assert "".join(csv_chunks([ROW], bom=True)).startswith("\ufeffannotation_id,")
    assert not "".join(csv_chunks([ROW])).startswith("\ufeff")
    assert not "".join(csv_chunks([ROW], escape=False)).startswith("\ufeff")


def test_it_sends_the_header_before_reading_any_row():
    def rows():
        raise AssertionError("a row was read before the header went out")
        yield ROW

    assert next(csv_chunks(rows())).startswith("annotation_id,")


def test_it_writes_none_as_an_empty_cell():
    row = row_with(reviewed_by=None, reviewed_at=None)
    written = read_csv("".join(csv_chunks([row])))[1]
    assert written[CSV_COLUMNS.index("reviewed_by")] == ""
    assert written[CSV_COLUMNS.index("reviewed_at")] == ""


@given(text_cells)
def test_it_undoes_its_escaping_exactly(cell):
    assert unescape_cell(escape_cell(cell)) == cell


@given(formula_cells)
def test_it_never_leaves_a_formula_at_the_start_of_a_cell(cell):
    escaped = escape_cell(cell)
    assert escaped[:1] not in FORMULA_STARTS
    if cell[:1] in FORMULA_STARTS:
        assert escaped == "'" + cell


@given(text_cells)
def test_it_leaves_cells_without_a_formula_start_alone(cell):
    if not needs_escape(cell):
        assert escape_cell(cell) == cell
        assert unescape_cell(cell) == cell


@given(st.lists(st.tuples(text_cells, text_cells, st.integers(0, 10**6)), max_size=5), st.booleans())
def test_it_round_trips_any_text_through_csv(values, escape):
    rows = [
        row_with(
            quote=quote, prefix="", suffix="", note=note, status="pending", reviewed_by=None, reviewed_at=None
        )
        for quote, note, _ in values
    ]
    text = "".join(csv_chunks(rows, escape=escape))
    read = read_csv(text)[1:]
    assert len(read) == len(rows)
    undo = unescape_cell if escape else (lambda cell: cell)
    for row, cells in zip(rows, read, strict=True):
        assert undo(cells[CSV_COLUMNS.index("quote")]) == row[CSV_COLUMNS.index("quote")]
        assert undo(cells[CSV_COLUMNS.index("note")]) == row[CSV_COLUMNS.index("note")]


def test_it_writes_jsonl_with_the_csv_columns_and_no_escaping():
    lines = "".join(jsonl_chunks([ROW, ROW])).splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    nested = (
        "attributed_to",
        "attribution_cue",
        "attribution_form",
        "source_entity_id",
        "source_entity_name",
    )
    assert list(record)[:21] == list(CSV_COLUMNS)[:21]
    assert set(record) == set(CSV_COLUMNS) - set(nested) - {"source_type"} | {
        "attributions",
        "own_voice",
        "source_entity",
    }
    assert record["attributions"] == [
        {"source": "0b6a8f7e-1111-4c2d-9e3f-222233334444", "cue": "said", "form": "direct"},
        {"source": "0b6a8f7e-5555-4c2d-9e3f-666677778888", "cue": "told ABC News", "form": "indirect"},
    ]
    assert record["own_voice"] is False and record["source_entity"] is None
    assert record["quote"] == "=HYPERLINK(x)"
    assert record["start"] == 10 and isinstance(record["article_id"], int)


def test_it_writes_w3c_annotations_with_both_selectors_and_the_bodies():
    annotation = w3c_annotation(ROW)
    assert annotation["type"] == "Annotation"
    assert annotation["id"] == "urn:uuid:" + DATA["annotation_id"]
    assert annotation["creator"] == {
        "id": "urn:annotator:user:alice",
        "type": "Person",
        "name": "alice",
        "nickname": "alice",
    }
    assert annotation["created"] == DATA["created_at"] and annotation["modified"] == DATA["updated_at"]
    target = annotation["target"]
    assert target["source"]["id"] == "urn:annotator:article:7"
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": DATA["quote"],
        "prefix": DATA["prefix"],
        "suffix": DATA["suffix"],
    }
    assert position == {"type": "TextPositionSelector", "start": 10, "end": 20}
    purposes = {body["purpose"]: body for body in annotation["body"]}
    assert purposes["tagging"]["value"] == "factual"
    assert purposes["classifying"]["value"] == "Claim"
    assert purposes["commenting"]["value"] == "-3 points"
    assert purposes["assessing"]["value"] == "accepted"
    assert purposes["assessing"]["creator"]["nickname"] == "bob"
    assert all(body["type"] == "TextualBody" for body in annotation["body"])


def test_it_leaves_out_the_note_and_review_bodies_when_there_are_none():
    row = row_with(note="", status="pending", reviewed_by=None, reviewed_at=None)
    purposes = [body["purpose"] for body in w3c_annotation(row)["body"]]
    assert purposes == ["classifying", "tagging"]


def test_it_writes_a_w3c_annotation_collection():
    document = json.loads("".join(w3c_chunks([ROW, ROW], collection_id="https://example.org/export")))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["id"] == "https://example.org/export"
    assert document["total"] == 2
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    assert [item["type"] for item in page["items"]] == ["Annotation", "Annotation"]


def test_it_writes_an_empty_w3c_collection():
    document = json.loads("".join(w3c_chunks([], collection_id="urn:x")))
    assert document["total"] == 0 and document["first"]["items"] == []


def test_it_writes_every_timestamp_in_utc_with_microseconds_and_a_z():
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    assert iso_utc(moment) == "2026-03-04T03:06:07.000000Z"
    assert iso_utc(datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC)) == "2026-03-04T05:06:07.000089Z"
    assert iso_utc(None) is None


@given(
    # The columns people type or choose; the others hold ids, numbers and timestamps.
    st.sampled_from(["article_title", "outlet", "label", "quote", "prefix", "note", "reviewed_by", "coder"]),
    st.sampled_from(["=1+1", "-3 points", "'=quoted", "'plain", "@cmd", "\tTab", "plain"]),
)
def test_it_escapes_a_row_as_if_every_cell_were_looked_at(column, cell):
    from articles.exchange.writers import _any_cell_safe, _spreadsheet_safe

    for row in (row_with(**{column: cell}), row_with(**{"quote": "plain", "note": "", column: cell})):
        assert list(_spreadsheet_safe(row)) == _any_cell_safe(row)


def test_it_writes_every_row_across_chunks():
    from articles.exchange.writers import ROWS_PER_CHUNK

    rows = [row_with(note=f"=note {i}") for i in range(ROWS_PER_CHUNK * 2 + 3)]
    chunks = list(csv_chunks(iter(rows)))
    assert len(chunks) == 1 + 3  # the header alone, then two full chunks and the rest
    written = read_csv("".join(chunks))[1:]
    assert [line[CSV_COLUMNS.index("note")] for line in written] == [f"'=note {i}" for i in range(len(rows))]
