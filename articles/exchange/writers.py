"""Turning export rows into CSV, JSON Lines and W3C Web Annotation text, in chunks.

An export row is a plain tuple in `CSV_COLUMNS` order (see articles/annotation_export.py
for where rows come from): strings, whole numbers, and None for an empty reviewed_by /
reviewed_at. Nothing here knows about HTTP or the ORM, so the web export, the admin
actions and the management command all write byte-for-byte the same files.
"""

import csv
import io
import json
from datetime import UTC

CSV_COLUMNS = (
    "annotation_id",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "category",
    "label",
    "start",
    "end",
    "start_utf16",
    "end_utf16",
    "quote",
    "prefix",
    "suffix",
    "note",
    "author",
    "status",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
    # Coding batches (docs/coding.md): who coded it (for gold, the coders it came from), and
    # whether it is an adjudicated gold annotation ("true"/"false").
    "coder",
    "gold",
)
COLUMN_INDEX = {name: index for index, name in enumerate(CSV_COLUMNS)}
INTEGER_COLUMNS = frozenset({"article_id", "start", "end", "start_utf16", "end_utf16"})

# OWASP's CSV-injection advice: a spreadsheet treats a cell starting with one of these
# as a formula (or, for tab and CR, may shift it into one), so such cells get a leading '.
FORMULA_STARTS = frozenset("=+-@\t\r")
UTF8_BOM = "\ufeff"

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_IRI_PREFIX = "urn:annotator:article:"
ANNOTATION_IRI_PREFIX = "urn:uuid:"

# Rows per chunk handed to the caller: big enough that per-chunk overhead (a StringIO
# round trip, one write to the socket) is negligible, small enough to stay a few hundred KB.
ROWS_PER_CHUNK = 500


def iso_utc(moment):
    """ISO 8601 in UTC with microseconds and a Z, so every timestamp has one spelling."""
    if moment is None:
        return None
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    # isoformat() of an aware datetime is "YYYY-MM-DDTHH:MM:SS.ffffff+00:00".
    return moment.isoformat(timespec="microseconds")[:26] + "Z"


def needs_escape(cell):
    """True for a cell a spreadsheet could read as a formula, and for a cell that already
    looks escaped (quotes before a formula character), so escaping can always be undone."""
    first = cell[:1]
    if first in FORMULA_STARTS:
        return True
    return first == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS


def escape_cell(cell):
    return "'" + cell if needs_escape(cell) else cell


def unescape_cell(cell):
    """Undo escape_cell exactly: escape_cell(x) == y if and only if unescape_cell(y) == x."""
    return cell[1:] if cell[:1] == "'" and needs_escape(cell[1:]) else cell


# First characters worth a closer look; everything else is left alone without a call.
_ESCAPE_CANDIDATES = FORMULA_STARTS | {"'"}
# Columns that can hold text a person typed or chose. The others (the UUID, numbers,
# ISO timestamps) never start with a formula character, so are not looked at.
_TEXT_COLUMNS = tuple(
    COLUMN_INDEX[name]
    for name in (
        "article_title",
        "article_url",
        "outlet",
        "category",
        "label",
        "quote",
        "prefix",
        "suffix",
        "note",
        "author",
        "status",
        "reviewed_by",
    )
)

_TEXT_COLUMNS += (COLUMN_INDEX["coder"],)


def _spreadsheet_safe(row):
    # Nearly every row needs no change; it goes out as it came, without a copy.
    for index in _TEXT_COLUMNS:
        cell = row[index]
        if cell and cell[0] in _ESCAPE_CANDIDATES:
            return [escape_cell(cell) if cell.__class__ is str else cell for cell in row]
    return row


def csv_chunks(rows, *, escape=True, bom=False):
    """RFC 4180 CSV (CRLF line ends, minimal quoting) with a header, in text chunks.

    None becomes an empty cell. `escape` makes formula-like cells inert for spreadsheets;
    `bom` starts the file with a UTF-8 byte order mark so Excel reads it as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(UTF8_BOM)
    writer.writerow(CSV_COLUMNS)
    # The header goes out on its own, before the first row is fetched, so the download
    # starts at once even when the query is slow.
    yield _drain(buffer)
    batch = []
    for row in rows:
        batch.append(_spreadsheet_safe(row) if escape else row)
        if len(batch) >= ROWS_PER_CHUNK:
            writer.writerows(batch)
            batch.clear()
            yield _drain(buffer)
    if batch:
        writer.writerows(batch)
        yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def row_as_dict(row):
    return dict(zip(CSV_COLUMNS, row, strict=True))


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def jsonl_chunks(rows):
    """One JSON object per line with the CSV's columns as keys; no spreadsheet escaping."""
    lines = []
    for row in rows:
        lines.append(_json(row_as_dict(row)))
        if len(lines) >= ROWS_PER_CHUNK:
            yield "\n".join(lines) + "\n"
            lines.clear()
    if lines:
        yield "\n".join(lines) + "\n"


def w3c_annotation(row):
    """One annotation in the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/).

    The label is a `tagging` body and its category a `classifying` body; the note, when
    there is one, a `commenting` body; a review (status other than pending, or a
    reviewer) an `assessing` body whose creator and created are the reviewer and time.
    TextPositionSelector counts code points, as Annotator does.
    """
    data = row_as_dict(row)
    body = [
        {"type": "TextualBody", "purpose": "classifying", "value": data["category"]},
        {"type": "TextualBody", "purpose": "tagging", "value": data["label"]},
    ]
    if data["note"]:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": data["note"]})
    if data["status"] != "pending" or data["reviewed_by"] or data["reviewed_at"]:
        assessment = {"type": "TextualBody", "purpose": "assessing", "value": data["status"]}
        if data["reviewed_by"]:
            assessment["creator"] = {"type": "Person", "nickname": data["reviewed_by"]}
        if data["reviewed_at"]:
            assessment["created"] = data["reviewed_at"]
        body.append(assessment)
    return {
        "id": ANNOTATION_IRI_PREFIX + data["annotation_id"],
        "type": "Annotation",
        "created": data["created_at"],
        "modified": data["updated_at"],
        "creator": {"type": "Person", "nickname": data["author"]},
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": f"{ARTICLE_IRI_PREFIX}{data['article_id']}",
                "type": "Text",
                "format": "text/plain",
                "label": data["article_title"],
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": data["quote"],
                    "prefix": data["prefix"],
                    "suffix": data["suffix"],
                },
                {"type": "TextPositionSelector", "start": data["start"], "end": data["end"]},
            ],
        },
    }


def w3c_chunks(rows, *, collection_id, label="Annotator export"):
    """An AnnotationCollection with every annotation on its first (only) page, one per line.

    `total` comes last: it is counted while streaming, so no COUNT query delays the start.
    """
    yield (
        "{"
        f'"@context": {_json(W3C_CONTEXT)}, "id": {_json(collection_id)}, '
        f'"type": "AnnotationCollection", "label": {_json(label)}, '
        f'"first": {{"id": {_json(collection_id + "#page-1")}, "type": "AnnotationPage", '
        '"startIndex": 0, "items": ['
    )
    total = 0
    lines = []
    for row in rows:
        lines.append(("\n" if total == 0 else ",\n") + _json(w3c_annotation(row)))
        total += 1
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + f'\n]}}, "total": {total}}}\n'


WRITERS = {"csv": csv_chunks, "jsonl": jsonl_chunks, "w3c": w3c_chunks}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "w3c": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
}
FILE_EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "w3c": "jsonld"}
