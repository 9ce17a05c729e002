import os
import tempfile
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError

from articles.coding.gold import gold_only
from articles.exchange.export_rows import (
    FORMATS,
    ExportFilterError,
    annotations_for_export,
    collection_iri,
    export_stream,
    parse_export_filter,
)


class Command(BaseCommand):
    help = (
        "Export live annotations as CSV, JSON Lines or W3C Web Annotation, or the source registry "
        "(sources) or the claim → source links (attributions) as CSV (stdout by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="export_format")
        parser.add_argument("--article", action="append", default=[], metavar="ID", help="repeatable")
        parser.add_argument(
            "--label", action="append", default=[], help='label name, "Category: name" or id; repeatable'
        )
        parser.add_argument("--author", action="append", default=[], metavar="USERNAME", help="repeatable")
        parser.add_argument("--since", default="", metavar="DATE", help="created or changed on/after (UTC)")
        parser.add_argument("--raw", action="store_true", help="CSV: no spreadsheet escaping")
        parser.add_argument("--excel", action="store_true", help="CSV: start with a UTF-8 BOM for Excel")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--gold", action="store_true", help="only adjudicated gold annotations")

    def handle(self, *args, export_format, article, label, author, since, raw, excel, output, **options):
        try:
            export_filter = parse_export_filter(articles=article, labels=label, authors=author, since=since)
        except ExportFilterError as exc:
            raise CommandError(str(exc)) from None
        description = urlencode(
            [("article", a) for a in article]
            + [("label", v) for v in label]
            + [("author", v) for v in author]
            + ([("since", since)] if since else [])
            + ([("gold", "1")] if options["gold"] else []),
        )
        annotations = annotations_for_export(export_filter)
        chunks = export_stream(
            gold_only(annotations) if options["gold"] else annotations,
            export_format,
            raw=raw,
            excel=excel,
            collection_id=collection_iri(description),
        )
        if output:
            try:
                write_whole(output, chunks)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc.strerror}") from None
            finally:
                chunks.close()  # not left to the garbage collector, after the connection closed
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()


def write_whole(path, chunks):
    """Write `chunks` to `path` whole or not at all: into a new file beside it, put in its
    place once the export has finished, so an export that fails midway leaves a file that
    was there as it was. A path that is not a regular file (/dev/stdout, a pipe) is
    written directly."""
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.writelines(chunks)
        return
    folder, name = os.path.split(os.path.abspath(path))
    umask = os.umask(0)
    os.umask(umask)
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~umask
    descriptor, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    try:
        os.fchmod(descriptor, mode)
        # newline="" keeps the CSV's CRLF row ends as they are.
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.writelines(chunks)
        os.replace(partial, path)
    except BaseException:
        os.unlink(partial)
        raise
