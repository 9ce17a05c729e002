"""Articles from the web: extraction time per page, and URL-import throughput through the worker.

1. Extraction: trafilatura + our cleaning (articles.web.extract.extract_page) on 200 news
   pages made from the test fixtures (articles/web/tests/fixtures/, 1x to 4x the story's
   length); prints the median and 90th percentile per page.
2. Import throughput: 1,000 distinct pages served by a local HTTP server on 127.0.0.1,
   queued as one job with `import_articles --enqueue --url-file`, then run by one
   `manage.py db_worker --batch` process (fetch under the SSRF guard, extract, clean,
   duplicate check, store article + compressed snapshot + job item per URL). Timed on a
   throwaway SQLite file and, when PostgreSQL answers at BENCH_PG_URL (default
   postgres://postgres@127.0.0.1:5432/), on a throwaway PostgreSQL database.

BENCH_URLS changes the number of URLs (default 1,000).
"""

import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from articles.web.extract import extract_page  # noqa: E402
from articles.web.tests.server import FIXTURES, FixtureServer, Response  # noqa: E402

URLS = int(os.environ.get("BENCH_URLS", 1000))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
NAMES = ["harbour-council", "drought-report", "minister-interview"]
PARAGRAPH = re.compile(r"(<p>)([^<]{80,})(</p>)")
CANONICAL = re.compile(r"https://[a-z.]+\.example/[\w/.-]+")


def make_page(number):
    """A distinct page: fixture `number % 3`, each story paragraph tagged with the number,
    the story repeated 1-4 times, its canonical URL made unique."""
    html = (FIXTURES / f"{NAMES[number % 3]}.html").read_text(encoding="utf-8")
    html = CANONICAL.sub(lambda m: f"{m.group(0)}-{number}", html)
    repeat = 1 + number % 4

    def tag(match):
        text = match.group(2)
        copies = [f"{text} (Bulletin {number}, part {k + 1}.)" for k in range(repeat)]
        return "".join(f"{match.group(1)}{copy}{match.group(3)}\n" for copy in copies)

    return PARAGRAPH.sub(tag, html)


def bench_extraction(pages=200):
    htmls = [make_page(n) for n in range(pages)]
    extract_page(htmls[0])  # warm-up: imports, lxml parsers
    times = []
    for html in htmls:
        start = time.perf_counter()
        page = extract_page(html)
        times.append(time.perf_counter() - start)
        assert page is not None and "Bulletin" in page.body
    sizes = sorted(len(h.encode()) for h in htmls)
    times.sort()
    print(
        f"extraction: {pages} pages ({sizes[0] // 1024}-{sizes[-1] // 1024} KB): "
        f"median {statistics.median(times) * 1000:.1f} ms, p90 {times[int(0.9 * pages)] * 1000:.1f} ms per page"
    )


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def bench_import(label, database_url, count_rows):
    env = {**os.environ, "DATABASE_URL": database_url, "ANNOTATOR_FETCH_ALLOW": "127.0.0.1", "DEBUG": "0"}
    manage(env, "migrate", "--noinput", "-v", "0")
    with FixtureServer() as server, tempfile.NamedTemporaryFile("w", suffix=".txt") as url_file:
        for n in range(URLS):
            server.routes[f"/story/{n}"] = Response(make_page(n).encode())
        url_file.write("\n".join(server.url(f"/story/{n}") for n in range(URLS)))
        url_file.flush()
        manage(env, "import_articles", "--enqueue", "--url-file", url_file.name)
        start = time.perf_counter()
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")
        elapsed = time.perf_counter() - start
    articles, done, failures = count_rows()
    print(
        f"import via db_worker, {label}: {URLS} URLs in {elapsed:.1f} s = {URLS / elapsed:.0f} URLs/s "
        f"({articles} articles stored, job {done}/{URLS} done, {failures} failed; one worker process)"
    )
    if articles != URLS or failures:
        raise SystemExit("the import did not store every page")


def main():
    bench_extraction()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"

        def sqlite_counts():
            with sqlite3.connect(path) as db:
                articles = db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
                return articles, *db.execute("SELECT done, failures FROM articles_job").fetchone()

        bench_import("SQLite", f"sqlite:///{path}", sqlite_counts)
    try:
        import psycopg

        admin = psycopg.connect(PG_URL + "postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        print(f"import via db_worker, PostgreSQL: skipped ({exc.__class__.__name__}: no server at {PG_URL})")
        return
    name = f"annotator_bench_web_{os.getpid()}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:

        def pg_counts():
            with psycopg.connect(PG_URL + name) as db:
                articles = db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
                return articles, *db.execute("SELECT done, failures FROM articles_job").fetchone()

        bench_import("PostgreSQL", PG_URL + name, pg_counts)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
