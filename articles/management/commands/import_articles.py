import os
import sys
import time

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError

from articles.ingest.pipeline import SUPPORTED_SUFFIXES, IngestError, ingest_file, store_articles

PROGRESS_THRESHOLD = 20
# Articles per transaction: bulk inserts and history rows in bulk (docs/scaling.md).
BATCH = 200


def expand_paths(paths):
    """Files named directly, plus every supported file under named folders, sorted; as
    strings: a Path parses itself on first use, a hundredth of a bulk import's time."""
    for raw in paths:
        if os.path.isdir(raw):
            yield from supported_files(raw)
        else:
            yield os.fspath(raw)


def supported_files(folder):
    """The supported files under `folder` as `rglob("*")` finds them (symlinked folders not
    followed), in Path order. scandir's entries know their type, so no file is stat()ed
    on its own: with pathlib that was a tenth of a thousand-file import's time."""
    found, folders = [], [os.fspath(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                    found.append(entry.path)
    # Path order compares the parts, not the whole string ("a/x" before "a-b/x").
    return sorted(found, key=lambda name: name.split(os.sep))


class Command(BaseCommand):
    help = "Import articles from .txt and .html files and folders; one line per file."
    # Every system check but the URL ones: those import every view module, and with them
    # numpy and trafilatura, a third of a second this command never needs.
    requires_system_checks = [
        tag for name, tag in vars(Tags).items() if not name.startswith("_") and tag != Tags.urls
    ]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--outlet", default="", help="outlet to record for every article")
        parser.add_argument("--url", nargs="+", default=[], metavar="URL", help="fetch and import web pages")
        parser.add_argument("--url-file", metavar="FILE", help="a file of URLs to fetch, one per line")
        parser.add_argument(
            "--enqueue", action="store_true", help="with --url: queue the import as a job for the worker"
        )

    def handle(self, *args, paths, outlet, url, url_file, enqueue, **options):
        if url or url_file:
            if paths:
                raise CommandError("give either paths or --url/--url-file, not both")
            from articles.web.command import import_urls_command

            return import_urls_command(self, url, url_file, outlet=outlet, enqueue=enqueue)
        if not paths:
            raise CommandError("give files or folders to import, or --url / --url-file")
        began = time.perf_counter()
        files = list(expand_paths(paths))
        if not files:
            raise CommandError("no .txt or .html files found in the given paths")
        counts = {"imported": 0, "duplicate": 0, "failed": 0}
        show_progress = len(files) >= PROGRESS_THRESHOLD and sys.stderr.isatty()
        for start in range(0, len(files), BATCH):
            batch = []
            for path in files[start : start + BATCH]:
                try:
                    try:
                        with open(path, "rb") as file:
                            data = file.read()
                    except FileNotFoundError:
                        raise IngestError("no such file") from None
                    batch.append((path, ingest_file(data, os.path.basename(path))))
                except (IngestError, OSError) as exc:
                    counts["failed"] += 1
                    self.stdout.write(f"failed     {path}: {exc}")
            stored = store_articles([ingested for _, ingested in batch], outlet=outlet or None)
            for (path, _), (article, created) in zip(batch, stored, strict=True):
                outcome = "imported" if created else "duplicate"
                counts[outcome] += 1
                self.stdout.write(f"{outcome:<10} {path}: #{article.pk} {article.title}")
            if show_progress:
                number = min(start + BATCH, len(files))
                done = int(30 * number / len(files))
                sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {number}/{len(files)}")
                sys.stderr.flush()
        if show_progress:
            sys.stderr.write("\n")
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files failed ({summary})")
        # The import's own time (reading, cleaning, storing), without the process start.
        self.stdout.write(f"{summary} in {time.perf_counter() - began:.2f} s")
