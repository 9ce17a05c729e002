from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exchange.import_rows import (
    FORMATS,
    AnnotationImportError,
    format_for_filename,
    import_annotations,
)


class Command(BaseCommand):
    help = (
        "Import annotations from a CSV, JSON Lines or W3C file made by export_annotations. "
        "All or nothing, unless --skip-bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--format", choices=FORMATS, dest="import_format", help="default: from the extension"
        )
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good rows and list the bad ones"
        )
        parser.add_argument(
            "--raw", action="store_true", help="CSV exported with --raw: do not undo spreadsheet escaping"
        )

    def handle(self, *args, file, import_format, skip_bad, raw, **options):
        path = Path(file)
        try:
            import_format = import_format or format_for_filename(path.name)
            data = path.read_bytes()
            report = import_annotations(data, import_format, skip_bad=skip_bad, raw=raw)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        except AnnotationImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"bad {error}")
            raise CommandError(str(exc)) from None
        for error in report.skipped:
            self.stderr.write(f"skipped {error}")
        self.stdout.write(report.summary())
