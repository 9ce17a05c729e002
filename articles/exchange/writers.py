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
from itertools import chain, islice
from urllib.parse import quote

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
    "quote",
    "prefix",
    "suffix",
    "note",
    "author",
    "created_at",
    "updated_at",
    "start_utf16",
    "end_utf16",
    "status",
    "reviewed_by",
    "reviewed_at",
    # Who said what (articles/sources/; docs/export.md, "Attribution columns").
    "kind",
    "attributed_to",
    "attribution_cue",
    "attribution_form",
    "source_entity_id",
    "source_entity_name",
    "source_type",
    "anonymity",
    "tone_intensity",
    "tone_score",
    "tone_target",
    # Coding batches (docs/coding.md): who coded it (for gold, the coders it came from), and
    # whether it is an adjudicated gold annotation ("true"/"false").
    "coder",
    "gold",
)
COLUMN_INDEX = {name: index for index, name in enumerate(CSV_COLUMNS)}
INTEGER_COLUMNS = frozenset(
    {
        "article_id",
        "start",
        "end",
        "start_utf16",
        "end_utf16",
        "source_entity_id",
        "tone_intensity",
        "tone_score",
    }
)

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
        "attribution_cue",
        "source_entity_name",
        "tone_target",
    )
)

_TEXT_COLUMNS += (COLUMN_INDEX["coder"],)


def _any_cell_safe(row):
    return [escape_cell(cell) if cell.__class__ is str else cell for cell in row]


def _spreadsheet_safe(row):
    # Nearly every row needs no change; it goes out as it came, without a copy. Only the
    # text columns are looked at (and escaped): no other column can start with a formula
    # character, so this is _any_cell_safe's result for a tenth of its work.
    copy = None
    for index in _TEXT_COLUMNS:
        cell = row[index]
        if cell and cell[0] in _ESCAPE_CANDIDATES and (escaped := escape_cell(cell)) is not cell:
            if copy is None:
                copy = list(row)
            copy[index] = escaped
    return row if copy is None else copy


def csv_chunks(rows, *, escape=True, bom=False, columns=CSV_COLUMNS):
    """RFC 4180 CSV (CRLF line ends, minimal quoting) with a header, in text chunks.

    None becomes an empty cell. `escape` makes formula-like cells inert for spreadsheets;
    `bom` starts the file with a UTF-8 byte order mark so Excel reads it as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(UTF8_BOM)
    writer.writerow(columns)
    # Other tables (sources, attributions) are small: every cell is looked at.
    safe = _spreadsheet_safe if columns is CSV_COLUMNS else _any_cell_safe
    # The header goes out on its own, before the first row is fetched, so the download
    # starts at once even when the query is slow.
    yield _drain(buffer)
    rows = iter(rows)
    # A chunk's rows taken and written in bulk: no per-row list or length bookkeeping.
    while batch := list(islice(rows, ROWS_PER_CHUNK)):
        writer.writerows(map(safe, batch) if escape else batch)
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


LINK_SEPARATOR = ";"
OWN_VOICE = "own_voice"
FIRST_ATTRIBUTION_COLUMN = COLUMN_INDEX["kind"]


def links_of(data):
    """[(source annotation UUID, cue, form)] of a row's attribution columns."""
    if not data["attributed_to"]:
        return []
    return list(
        zip(
            data["attributed_to"].split(LINK_SEPARATOR),
            (data["attribution_cue"] or "").split(LINK_SEPARATOR),
            (data["attribution_form"] or "").split(LINK_SEPARATOR),
            strict=False,
        )
    )


def jsonl_record(row):
    """The CSV's columns as keys, with the attribution columns nested: `attributions` (a
    list of {source, cue, form}), `own_voice`, and `source_entity` ({id, name, type} or null;
    on a tone row, its target entity)."""
    data = row_as_dict(row)
    record = dict(zip(CSV_COLUMNS[:FIRST_ATTRIBUTION_COLUMN], row, strict=False))
    record["kind"] = data["kind"]
    record["attributions"] = [{"source": s, "cue": c, "form": f} for s, c, f in links_of(data)]
    record["own_voice"] = data["attribution_form"] == OWN_VOICE
    record["source_entity"] = (
        None
        if data["source_entity_id"] is None
        else {"id": data["source_entity_id"], "name": data["source_entity_name"], "type": data["source_type"]}
    )
    for name in ("anonymity", "tone_intensity", "tone_score", "tone_target"):
        record[name] = data[name]
    # Columns appended after these go out flat, as in the CSV.
    for name in CSV_COLUMNS[COLUMN_INDEX["tone_target"] + 1 :]:
        record[name] = data[name]
    return record


def jsonl_chunks(rows):
    """One JSON object per line (jsonl_record); no spreadsheet escaping."""
    lines = []
    for row in rows:
        lines.append(_json(jsonl_record(row)))
        if len(lines) >= ROWS_PER_CHUNK:
            yield "\n".join(lines) + "\n"
            lines.clear()
    if lines:
        yield "\n".join(lines) + "\n"


SOURCE_IRI_PREFIX = "urn:annotator:source:"
USER_IRI_PREFIX = "urn:annotator:user:"
# The codebook's words (labels, categories, kinds) are English; notes and cues are the
# analysts' own and carry no language.
CODEBOOK_LANGUAGE = "en"


def _agent(username):
    return {
        "id": USER_IRI_PREFIX + quote(username, safe=""),
        "type": "Person",
        "name": username,
        "nickname": username,
    }


def _text_body(purpose, value, language=None):
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}
    if language:
        body["language"] = language
    return body


def _entity(entity_id, name, source_type, purpose):
    return {
        "type": "SpecificResource",
        "purpose": purpose,
        "source": {"id": f"{SOURCE_IRI_PREFIX}{entity_id}", "label": name, "type": source_type},
    }


def w3c_annotation(row):
    """One annotation in the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/).

    The label is a `tagging` body and its category a `classifying` body; the note, when
    there is one, a `commenting` body; a review (status other than pending, or a
    reviewer) an `assessing` body whose creator and created are the reviewer and time.
    A source span's entity is a SpecificResource body with purpose `identifying`, a tone's
    target entity one with purpose `linking` (free text: a `linking` TextualBody);
    anonymity, tone intensity and the outlet's own voice are `describing` bodies.
    Each annotation carries its own @context, so it stands on its own.
    TextPositionSelector counts code points, as Annotator does.
    """
    data = row_as_dict(row)
    body = [
        _text_body("classifying", data["category"], CODEBOOK_LANGUAGE),
        _text_body("tagging", data["label"], CODEBOOK_LANGUAGE),
    ]
    if data["note"]:
        body.append(_text_body("commenting", data["note"]))
    if data["status"] != "pending" or data["reviewed_by"] or data["reviewed_at"]:
        assessment = _text_body("assessing", data["status"], CODEBOOK_LANGUAGE)
        if data["reviewed_by"]:
            assessment["creator"] = _agent(data["reviewed_by"])
        if data["reviewed_at"]:
            assessment["created"] = data["reviewed_at"]
        body.append(assessment)
    if data["source_entity_id"] is not None:
        purpose = "linking" if data["kind"] == "tone" else "identifying"
        body.append(
            _entity(data["source_entity_id"], data["source_entity_name"], data["source_type"], purpose)
        )
    elif data["tone_target"]:
        body.append(_text_body("linking", data["tone_target"]))
    if data["anonymity"]:
        body.append(_text_body("describing", f"anonymity: {data['anonymity']}", CODEBOOK_LANGUAGE))
    if data["tone_intensity"] is not None:
        body.append(_text_body("describing", f"intensity: {data['tone_intensity']}", CODEBOOK_LANGUAGE))
    if data["attribution_form"] == OWN_VOICE:
        body.append(_text_body("describing", "own voice", CODEBOOK_LANGUAGE))
    return {
        "@context": W3C_CONTEXT,
        "id": ANNOTATION_IRI_PREFIX + data["annotation_id"],
        "type": "Annotation",
        "motivation": "tagging",
        "created": data["created_at"],
        "modified": data["updated_at"],
        "creator": _agent(data["author"]),
        "body": body,
        "target": _span_target(data["article_id"], data["article_title"], data),
    }


def _span_target(article_id, title, data, span_id=None):
    target = {"type": "SpecificResource"}
    if span_id:
        target["id"] = ANNOTATION_IRI_PREFIX + span_id
    target["source"] = {
        "id": f"{ARTICLE_IRI_PREFIX}{article_id}",
        "type": "Text",
        "format": "text/plain",
        "label": title,
    }
    target["selector"] = [
        {
            "type": "TextQuoteSelector",
            "exact": data["quote"],
            "prefix": data["prefix"],
            "suffix": data["suffix"],
        },
        {"type": "TextPositionSelector", "start": data["start"], "end": data["end"]},
    ]
    return target


# Rows of the `attributions` export (one per claim → source link), also what the W3C
# export turns into `linking` annotations.
ATTRIBUTION_COLUMNS = (
    "attribution_id",
    "article_id",
    "article_title",
    "outlet",
    "claim_id",
    "claim_quote",
    "source_id",
    "source_quote",
    "source_entity_id",
    "source_entity_name",
    "source_type",
    "anonymity",
    "cue",
    "form",
    "author",
    "created_at",
    "updated_at",
    # Offsets and context of both spans, for the W3C targets.
    "claim_start",
    "claim_end",
    "claim_prefix",
    "claim_suffix",
    "source_start",
    "source_end",
    "source_prefix",
    "source_suffix",
)


# Rows of the `sources` export: one per entity, with its use in the exported annotations.
SOURCE_COLUMNS = (
    "source_entity_id",
    "name",
    "aliases",
    "source_type",
    "affiliation",
    "country",
    "anonymous",
    "articles",
    "citations",
    "claims_attributed",
    "outlets",
    "first_seen",
    "last_seen",
)


def w3c_link_annotation(link):
    """An attribution as its own annotation: motivation `linking`, the claim span and the
    source span as its two targets (in that order), the cue and form as bodies."""
    data = dict(zip(ATTRIBUTION_COLUMNS, link, strict=True))
    body = [_text_body("classifying", f"form: {data['form']}", CODEBOOK_LANGUAGE)]
    if data["cue"]:
        body.insert(0, _text_body("describing", data["cue"]))
    spans = []
    for role in ("claim", "source"):
        span = {
            "quote": data[f"{role}_quote"],
            "prefix": data[f"{role}_prefix"],
            "suffix": data[f"{role}_suffix"],
            "start": data[f"{role}_start"],
            "end": data[f"{role}_end"],
        }
        spans.append(_span_target(data["article_id"], data["article_title"], span, data[f"{role}_id"]))
    return {
        "@context": W3C_CONTEXT,
        "id": ANNOTATION_IRI_PREFIX + data["attribution_id"],
        "type": "Annotation",
        "motivation": "linking",
        "created": data["created_at"],
        "modified": data["updated_at"],
        "creator": _agent(data["author"]),
        "body": body,
        "target": spans,
    }


def w3c_chunks(rows, *, collection_id, label="Annotator export", links=()):
    """An AnnotationCollection with every annotation on its first (only) page, one per line;
    then each attribution link (`links`: ATTRIBUTION_COLUMNS rows) as its own annotation.

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
    for item in chain((w3c_annotation(row) for row in rows), (w3c_link_annotation(link) for link in links)):
        lines.append(("\n" if total == 0 else ",\n") + _json(item))
        total += 1
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + f'\n]}}, "total": {total}}}\n'


WRITERS = {"csv": csv_chunks, "jsonl": jsonl_chunks, "w3c": w3c_chunks}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "sources": "text/csv; charset=utf-8",
    "attributions": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "w3c": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
}
FILE_EXTENSIONS = {
    "csv": "csv",
    "jsonl": "jsonl",
    "w3c": "jsonld",
    "sources": "sources.csv",
    "attributions": "attributions.csv",
}
