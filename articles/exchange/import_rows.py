"""Reading exported annotations back in: parse, check every row against its article, save.

No HTTP here; the import command and the upload form both call `import_annotations`.
The rules (docs/export.md, "Import"):

- Rows are matched by annotation_id (UUID). One that exists here already is left as it
  is, so importing a file twice adds nothing. One that exists but was deleted (soft
  delete) is restored with the file's values: the person importing asked for it back.
- Each row is placed in its article by position plus quote, else by quote with its
  prefix and suffix (articles.offsets.anchor_quote); a row that cannot be placed is bad.
- Everything is written in one transaction. Any bad row fails the whole import, nothing
  written, unless skip_bad is set: then the good rows go in and the bad ones are listed.
"""

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models import FETCH_PEERS
from django.utils import timezone

from articles.exchange.import_attributions import (
    AttributionPlan,
    BadAttribution,
    check_links,
    plan_attribution,
    resolve_entities,
    w3c_fields,
    w3c_link,
    write_links,
)
from articles.exchange.staging import set_staged_entities, stage, swap_in, unstage
from articles.exchange.writers import ANNOTATION_IRI_PREFIX, ARTICLE_IRI_PREFIX, unescape_cell
from articles.guards.encoding import TextDecodeError, decode_text
from articles.guards.values import utc_moment
from articles.models import Annotation, Article, Label
from articles.permissions import import_row_refusal
from articles.spans.annotating import AnnotationError, check_note
from articles.spans.offsets import anchor_quote, context_around

FORMAT_FOR_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonld": "w3c", ".json": "w3c"}
FORMATS = ("csv", "jsonl", "w3c")
REQUIRED_COLUMNS = ("annotation_id", "article_id", "category", "label", "start", "end", "quote", "author")
STATUSES = dict(Annotation.STATUS_CHOICES)
BATCH = 500
# Offsets are 32-bit columns; no article id or offset in a real file comes near this.
LARGEST_NUMBER = 2**31 - 1


class AnnotationImportError(ValueError):
    """An import that wrote nothing. str() is one line for the user; `errors` lists bad rows."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


@dataclass(frozen=True)
class RowError:
    number: int
    message: str
    unit: str = "line"  # W3C files have no useful line numbers; they count annotations

    def __str__(self):
        return f"{self.unit} {self.number}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    restored: int = 0
    unchanged: int = 0
    moved: int = 0
    links: int = 0
    skipped: list = field(default_factory=list)

    def summary(self):
        parts = [f"{self.created} created", f"{self.restored} restored", f"{self.unchanged} already present"]
        if self.links:
            parts.append(f"{self.links} attribution links added")
        if self.moved:
            parts.append(f"{self.moved} re-anchored by their context")
        if self.skipped:
            parts.append(f"{len(self.skipped)} bad rows skipped")
        return ", ".join(parts)


class _BadRow(ValueError):
    pass


def format_for_filename(filename):
    suffix = Path(filename or "").suffix.lower()
    if suffix not in FORMAT_FOR_SUFFIX:
        raise AnnotationImportError(
            f"cannot tell the format from “{suffix or filename or '(no name)'}”: "
            "use .csv, .jsonl or .jsonld, or name the format"
        )
    return FORMAT_FOR_SUFFIX[suffix]


def decode(data):
    try:
        return decode_text(data)
    except TextDecodeError as exc:
        position = re.search(r"position (\d+)", str(exc))
        line = f"line {data[: int(position.group(1))].count(b'\n') + 1}: " if position else ""
        raise AnnotationImportError(f"{line}{exc}") from None


# Parsing: each reader yields (number, record or RowError); a record is a dict keyed
# by the CSV column names.


def read_csv(text, *, raw=False):
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise AnnotationImportError("the file is empty") from None
    except csv.Error as exc:
        raise AnnotationImportError(f"line 1: malformed CSV header ({exc})") from None
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise AnnotationImportError(f"line 1: the header lacks the column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise AnnotationImportError("line 1: the header names a column twice")
    line = reader.line_num
    while True:
        start_line = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield start_line, RowError(start_line, f"malformed CSV ({exc})")
            continue
        line = reader.line_num
        if not cells:
            continue
        if len(cells) != len(header):
            yield start_line, RowError(start_line, f"{len(cells)} cells where the header has {len(header)}")
            continue
        if not raw:
            cells = [unescape_cell(cell) for cell in cells]
        yield start_line, dict(zip(header, cells, strict=True))


def read_jsonl(text):
    # Split on \n only: JSON escapes newlines inside strings, but not U+2028 and friends,
    # which str.splitlines() would also split on.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield number, RowError(number, "not valid JSON (nested too deeply)")
            continue
        except ValueError:  # a number of 4,300+ digits, which int() refuses
            yield number, RowError(number, "not valid JSON (a number is too long)")
            continue
        if not isinstance(record, dict):
            yield number, RowError(number, "not a JSON object")
            continue
        yield number, record


def read_w3c(text):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationImportError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise AnnotationImportError("not valid JSON: nested too deeply") from None
    except ValueError:  # a number of 4,300+ digits, which int() refuses
        raise AnnotationImportError("not valid JSON: a number is too long") from None
    items = _w3c_items(document)
    for number, item in enumerate(items, 1):
        try:
            yield number, w3c_record(item)
        except _BadRow as exc:
            yield number, RowError(number, str(exc), unit="annotation")


def _w3c_items(document):
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise AnnotationImportError("not a W3C annotation, list of annotations or AnnotationCollection")
    if document.get("type") == "Annotation":
        return [document]
    if document.get("type") == "AnnotationCollection":
        first = document.get("first")
        if first is None:
            return []
        if not isinstance(first, dict) or not isinstance(first.get("items"), list):
            raise AnnotationImportError("the collection's pages must be embedded (first.items)")
        return first["items"]
    if document.get("type") == "AnnotationPage" and isinstance(document.get("items"), list):
        return document["items"]
    raise AnnotationImportError("not a W3C annotation, list of annotations or AnnotationCollection")


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _person(value):
    if isinstance(value, dict):
        return value.get("nickname") or value.get("name") or ""
    return value if isinstance(value, str) else ""


def w3c_record(item):
    """A W3C Annotation as written by export_writers.w3c_annotation, as a CSV-style record."""
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        raise _BadRow("not an object of type Annotation")
    if item.get("motivation") == "linking":
        return {"_link": item}  # a claim → source link (import_attributions.w3c_link)
    identifier = item.get("id") or ""
    if not isinstance(identifier, str) or not identifier.startswith(ANNOTATION_IRI_PREFIX):
        raise _BadRow(f"id “{identifier}” is not a urn:uuid: IRI")
    targets = _as_list(item.get("target"))
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise _BadRow("needs exactly one target with selectors")
    target = targets[0]
    source = target.get("source")
    source_id, title = (
        (source.get("id"), source.get("label", "")) if isinstance(source, dict) else (source, "")
    )
    if not isinstance(source_id, str) or not source_id.startswith(ARTICLE_IRI_PREFIX):
        raise _BadRow(f"target source “{source_id}” is not an Annotator article ({ARTICLE_IRI_PREFIX}N)")
    record = {
        "annotation_id": identifier.removeprefix(ANNOTATION_IRI_PREFIX),
        "article_id": source_id.removeprefix(ARTICLE_IRI_PREFIX),
        "article_title": title,
        "author": _person(item.get("creator")),
        "created_at": item.get("created"),
        "updated_at": item.get("modified"),
    }
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector":
            record.update(
                quote=selector.get("exact"),
                prefix=selector.get("prefix", ""),
                suffix=selector.get("suffix", ""),
            )
        elif selector.get("type") == "TextPositionSelector":
            record.update(start=selector.get("start"), end=selector.get("end"))
    if "quote" not in record:
        raise _BadRow("has no TextQuoteSelector")
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict):
            continue
        purpose = body.get("purpose")
        if purpose == "tagging":
            record["label"] = body.get("value")
        elif purpose == "classifying":
            record["category"] = body.get("value")
        elif purpose == "commenting":
            record["note"] = body.get("value")
        elif purpose == "assessing":
            record.update(
                status=body.get("value"),
                reviewed_by=_person(body.get("creator")),
                reviewed_at=body.get("created"),
            )
    if "label" not in record or "category" not in record:
        raise _BadRow("needs a tagging body (the label) and a classifying body (its category)")
    w3c_fields(item, record)
    return record


READERS = {"csv": read_csv, "jsonl": read_jsonl, "w3c": read_w3c}


# Checking records against the database.


@dataclass
class PlannedAnnotation:
    number: int
    uuid: uuid.UUID
    article_id: int
    label_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    note: str
    author_id: int
    status: str
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    moved: bool
    author_name: str = ""
    reviewer_name: str = ""
    attribution: AttributionPlan = None  # entity, anonymity, tone, links (import_attributions)

    FIELDS = (
        "article_id",
        "label_id",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "author_id",
        "status",
        "reviewed_by_id",
        "reviewed_at",
        "created_at",
        "updated_at",
    )

    def values(self):
        return {name: getattr(self, name) for name in self.FIELDS} | self.attribution.values


def _text(record, name, default=""):
    value = record.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _BadRow(f"{name} must be text")
    if "\x00" in value:
        raise _BadRow(f"{name} contains a NUL character")
    return value


def _whole_number(record, name):
    value = record.get(name)
    if isinstance(value, bool) or value is None or value == "":
        raise _BadRow(f"{name} is missing")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        if len(value.strip()) > len(str(LARGEST_NUMBER)):
            raise _BadRow(f"{name} is too large")
        value = int(value.strip())
    if isinstance(value, int) and value > LARGEST_NUMBER:
        raise _BadRow(f"{name} is too large")
    if isinstance(value, int) and value >= 0:
        return value
    raise _BadRow(f"{name} “{value}” is not a whole number ≥ 0")


def _moment(record, name, *, default=None):
    value = record.get(name)
    if value in (None, ""):
        return default
    if not isinstance(value, str):
        raise _BadRow(f"{name} must be an ISO 8601 date-time")
    try:
        return utc_moment(datetime.fromisoformat(value.strip()))
    except ValueError:
        raise _BadRow(f"{name} “{_short(value)}” is not an ISO 8601 date-time in the calendar") from None


def _short(text, size=40):
    return text if len(text) <= size else text[: size - 1] + "…"


class _Lookups:
    """Articles, labels and users by the names a file uses, each looked up once."""

    def __init__(self):
        self.articles, self.labels, self.users = {}, {}, {}
        self.bodies = {}

    def article(self, article_id, title, url):
        key = (article_id, title, url)
        if key not in self.articles:
            self.articles[key] = self._find_article(article_id, title, url)
        found = self.articles[key]
        if found is None:
            number = "" if article_id is None else f" #{article_id}"
            raise _BadRow(f"unknown article{number}" + (f" “{_short(title)}”" if title else ""))
        return found

    def _find_article(self, article_id, title, url):
        # Ids differ between instances, so the id counts only if the title agrees; else
        # the article is found by its URL, then by its title, if exactly one matches.
        articles = Article.objects.values_list("pk", "title")
        by_id = articles.filter(pk=article_id).first() if article_id is not None else None
        if by_id and (not title or by_id[1] == title):
            return by_id[0]
        for lookup, value in (("url", url), ("title", title)):
            if value:
                matches = list(articles.filter(**{lookup: value})[:2])
                if len(matches) == 1:
                    return matches[0][0]
        return None

    def body(self, article_id):
        if article_id not in self.bodies:
            self.bodies[article_id] = Article.objects.values_list("body", flat=True).get(pk=article_id)
        return self.bodies[article_id]

    def label(self, category, name):
        key = (category, name)
        if key not in self.labels:
            self.labels[key] = (
                Label.objects.filter(category__name=category, name=name).values_list("pk", flat=True).first()
            )
        if self.labels[key] is None:
            raise _BadRow(f"unknown label “{category}: {name}”")
        return self.labels[key]

    def user(self, username, column):
        if username not in self.users:
            self.users[username] = (
                get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
            )
        if self.users[username] is None:
            raise _BadRow(f"{column} “{username}” is not a user here")
        return self.users[username]


def plan_row(number, record, lookups, now):
    """Check one record; a PlannedAnnotation, or _BadRow with the reason."""
    raw_uuid = _text(record, "annotation_id").strip()
    try:
        annotation_uuid = uuid.UUID(raw_uuid)
    except ValueError:
        raise _BadRow(f"annotation_id “{raw_uuid}” is not a UUID") from None
    try:
        article_id = _whole_number(record, "article_id")
    except _BadRow:
        article_id = None  # still findable by URL or title
    article_pk = lookups.article(article_id, _text(record, "article_title"), _text(record, "article_url"))
    label_id = lookups.label(_text(record, "category"), _text(record, "label"))
    quote = _text(record, "quote")
    if not quote:
        raise _BadRow("quote is empty")
    has_position = record.get("start") not in (None, "") or record.get("end") not in (None, "")
    start = end = None
    if has_position:
        start, end = _whole_number(record, "start"), _whole_number(record, "end")
        if start >= end:
            raise _BadRow(f"start {start} is not before end {end}")
        if end - start != len(quote):
            raise _BadRow(f"start–end spans {end - start} characters but the quote has {len(quote)}")
    body = lookups.body(article_pk)
    placed = anchor_quote(body, quote, _text(record, "prefix"), _text(record, "suffix"), start)
    if placed is None:
        where = f"at {start}–{end} nor " if has_position else ""
        raise _BadRow(
            f"cannot place “{_short(quote)}” in article #{article_pk}: "
            f"not {where}at one place its prefix and suffix point to"
        )
    prefix, suffix = context_around(body, *placed)
    status = _text(record, "status") or Annotation.PENDING
    if status not in STATUSES:
        raise _BadRow(f"status “{status}” is not one of {', '.join(STATUSES)}")
    author = _text(record, "author")
    if not author:
        raise _BadRow("author is empty")
    reviewer = _text(record, "reviewed_by")
    try:
        note = check_note(_text(record, "note"))
    except AnnotationError as exc:
        raise _BadRow(str(exc)) from None
    created_at = _moment(record, "created_at", default=now)
    return PlannedAnnotation(
        number=number,
        uuid=annotation_uuid,
        article_id=article_pk,
        label_id=label_id,
        start=placed[0],
        end=placed[1],
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        note=note,
        author_id=lookups.user(author, "author"),
        status=status,
        reviewed_by_id=lookups.user(reviewer, "reviewed_by") if reviewer else None,
        reviewed_at=_moment(record, "reviewed_at"),
        created_at=created_at,
        updated_at=_moment(record, "updated_at", default=max(now, created_at)),
        moved=has_position and placed[0] != start,
        author_name=author,
        reviewer_name=reviewer,
        attribution=_attribution(record, label_id),
    )


def _attribution(record, label_id):
    try:
        return plan_attribution(record, label_id)
    except BadAttribution as exc:
        raise _BadRow(str(exc)) from None


def plan(data, export_format, *, raw=False, links=None):
    """Parse and check a whole file: (planned annotations, row errors). W3C link
    annotations go to `links` as (number, claim uuid, PlannedLink)."""
    if export_format not in READERS:
        raise AnnotationImportError(f"unknown format “{export_format}”: use one of {', '.join(FORMATS)}")
    text = decode(data)
    reader = READERS[export_format](text, raw=raw) if export_format == "csv" else READERS[export_format](text)
    lookups, now = _Lookups(), timezone.now()
    planned, errors, seen = [], [], {}
    for number, record in reader:
        if isinstance(record, RowError):
            errors.append(record)
            continue
        unit = "annotation" if export_format == "w3c" else "line"
        try:
            if "_link" in record:
                if links is not None:
                    links.append((number, *w3c_link(record["_link"], lambda i, n: _moment(i, n))))
                continue
            row = plan_row(number, record, lookups, now)
            if row.uuid in seen:
                raise _BadRow(f"annotation {row.uuid} appears twice (first at {unit} {seen[row.uuid]})")
        except (_BadRow, BadAttribution) as exc:
            errors.append(RowError(number, str(exc), unit=unit))
            continue
        seen[row.uuid] = number
        planned.append(row)
    return planned, errors


def _existing(uuids):
    """Annotations here (deleted or not) with these UUIDs, by UUID."""
    found = {}
    uuids = list(uuids)
    for index in range(0, len(uuids), BATCH):
        batch = (
            Annotation.all_objects.filter(uuid__in=uuids[index : index + BATCH])
            .only("pk", "uuid", "article_id", "author_id", "deleted_at", "deleted_by_id")
            # Matching needs these fields, and a restore sets every other one. Should the
            # model gain a field this import does not set, the history row of a restore
            # reads it: FETCH_PEERS then loads it for the whole batch in one query.
            .fetch_mode(FETCH_PEERS)
        )
        found.update((annotation.uuid, annotation) for annotation in batch)
    return found


def import_annotations(data, export_format, *, skip_bad=False, raw=False, user=None):
    """Import a file's annotations; an ImportReport, or AnnotationImportError and nothing written."""
    links = []
    planned, errors = plan(data, export_format, raw=raw, links=links)
    unit = "annotation" if export_format == "w3c" else "line"
    bad_links = check_links(planned, links, user)
    errors += [RowError(number, message, unit) for number, message in bad_links]
    bad_numbers = {number for number, _ in bad_links}
    planned = [row for row in planned if row.number not in bad_numbers]
    links = [link for link in links if link[0] not in bad_numbers]
    report = ImportReport()
    to_create, to_restore = [], []
    existing = _existing(row.uuid for row in planned)
    unit = "annotation" if export_format == "w3c" else "line"
    for row in planned:
        current = existing.get(row.uuid)
        if current is not None and current.article_id != row.article_id:
            errors.append(
                RowError(
                    row.number, f"annotation {row.uuid} exists here on article #{current.article_id}", unit
                )
            )
            continue
        if current is not None and current.deleted_at is None:
            report.unchanged += 1  # nothing is written, so nothing to refuse
            continue
        refusal = import_row_refusal(
            user, author=row.author_name, status=row.status, reviewed_by=row.reviewer_name, existing=current
        )
        if refusal:
            errors.append(RowError(row.number, refusal, unit))
        elif current is None:
            to_create.append(row)
        else:
            to_restore.append((row, current))
    errors.sort(key=lambda error: error.number)
    if errors and not skip_bad:
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise AnnotationImportError(f"nothing imported: {errors[0]}{more}", errors)
    report.skipped = errors
    # New rows are staged in short transactions first; one short transaction then swaps
    # them in with the restores (articles/exchange/staging.py): a big import no longer
    # holds the write lock while it writes.
    token = stage(to_create) if to_create else None
    try:
        with transaction.atomic():
            # Entities are found or created here, inside the transaction, so a failed
            # import leaves none behind; the staged rows learn their ids before the swap.
            resolve_entities(to_create + [row for row, _ in to_restore], user)
            if token is not None:
                set_staged_entities(token, to_create)
                swap_in(token, user=user, reason="import")
            _restore(to_restore, user)
            report.links = write_links(planned, links, user)
    except DatabaseError as exc:
        raise AnnotationImportError(f"nothing imported: the database refused it ({exc})") from None
    finally:
        if token is not None:
            unstage(token)  # nothing left after a swap; the rows of a failed one
    report.created, report.restored = len(to_create), len(to_restore)
    report.moved = sum(row.moved for row in to_create) + sum(row.moved for row, _ in to_restore)
    return report


def _restore(to_restore, user):
    written = []
    for row, annotation in to_restore:
        for name, value in row.values().items():
            setattr(annotation, name, value)
        annotation.deleted_at = None
        annotation.deleted_by = None
        annotation._change_reason = "import (restored)"
        annotation.save()
        written.append((annotation, row))
    # updated_at is auto_now, so saving stamped the import time on every row; a lossless
    # import keeps the file's. bulk_update writes values as given and adds no history row.
    for annotation, row in written:
        annotation.updated_at = row.updated_at
    Annotation.all_objects.bulk_update(
        [annotation for annotation, _ in written], ["updated_at"], batch_size=BATCH
    )
