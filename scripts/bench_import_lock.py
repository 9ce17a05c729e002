"""How long a big annotation import makes other writers wait (issue 8, item 9).

In a throwaway database (a SQLite file, or PostgreSQL when DATABASE_URL is set; never the
developer's data), imports BENCH_IMPORT_ROWS (default 50,000) JSONL annotations while a
second process, on its own connection, makes one small write (a note change, as an analyst
does) every 50 ms. Prints the import's time and the writer's waits: the longest, p95,
and how many writes it made. Target: the longest wait under one second.
"""

import json
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from articles.exchange.import_rows import import_annotations  # noqa: E402
from articles.ingest.pipeline import ingest, store_article  # noqa: E402
from articles.models import Annotation, Label  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 50_000))
WRITE_EVERY = 0.05


def seed():
    author = User.objects.create_user("bench", password=None)
    sample = (ROOT / "articles" / "samples" / "pakistan-us-rift.txt").read_text(encoding="utf-8")
    article, _ = store_article(ingest(sample))
    label = Label.objects.select_related("category").first()
    words = []
    position = 0
    for word in article.body.split():
        position = article.body.index(word, position)
        words.append((position, word))
        position += len(word)
    lines = []
    for number in range(ROWS):
        start, word = words[number % len(words)]
        record = {
            "annotation_id": str(uuid.uuid4()),
            "article_id": article.pk,
            "article_title": article.title,
            "category": label.category.name,
            "label": label.name,
            "start": start,
            "end": start + len(word),
            "quote": word,
            "author": author.username,
            "note": f"row {number}",
        }
        lines.append(json.dumps(record))
    # The interactive writer's row.
    target = Annotation.objects.create(
        article=article, label=label, author=author, start=0, end=1, quote=article.body[0]
    )
    return "\n".join(lines).encode(), target.pk


def write_every_so_often(pk, stop, results):
    """Another process (as another app server would be): an analyst saving a note every
    WRITE_EVERY seconds. Puts the list of how long each save took on `results`."""
    connections.close_all()  # never share the parent's connection
    waits, errors = [], 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with transaction.atomic():
                Annotation.objects.filter(pk=pk).update(note=f"saved at {started:.3f}")
        except Exception:  # noqa: BLE001 -- a lock timeout is a figure, not a crash
            errors += 1
        waits.append((time.perf_counter() - started, time.time()))
        time.sleep(WRITE_EVERY)
    connections.close_all()
    results.put((waits, errors))


def main():
    settings = connection.settings_dict
    tmp = None
    if connection.vendor == "sqlite":
        tmp = tempfile.mkdtemp(prefix="bench-import-lock-")
        settings["TEST"]["NAME"] = os.path.join(tmp, "bench.sqlite3")
    else:
        settings["TEST"]["NAME"] = f"test_{settings['NAME']}_bench_import_lock"
    old_name = settings["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        data, pk = seed()
        connections.close_all()
        context = multiprocessing.get_context("fork")
        stop, results = context.Event(), context.Queue()
        writer = context.Process(target=write_every_so_often, args=(pk, stop, results))
        writer.start()
        time.sleep(0.5)  # a few unhindered writes first
        started, import_started = time.perf_counter(), time.time()
        report = import_annotations(data, "jsonl")
        elapsed = time.perf_counter() - started
        time.sleep(0.5)
        stop.set()
        waits, errors = results.get(timeout=60)
        writer.join()
        if os.environ.get("BENCH_SHOW_WAITS"):
            for wait, at in waits:
                if wait > 0.5:
                    print(
                        f"  a save waited {wait:.2f} s, ending at {at - import_started:.2f} s into the import"
                    )
        waits = sorted(wait for wait, _ in waits)
        p95 = waits[int(len(waits) * 0.95)] if waits else 0
        print(f"{connection.vendor}: imported {ROWS:,} rows in {elapsed:.1f} s ({report.summary()})")
        print(
            f"interactive writer: {len(waits)} saves, longest wait {waits[-1] * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, errors {errors}"
        )
        print(f"longest writer wait: {waits[-1]:.2f} s ({'OK' if waits[-1] < 1 else 'OVER'}, target < 1 s)")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
