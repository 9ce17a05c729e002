"""Export speed: 1,000,000 annotations streamed as CSV, next to PostgreSQL's own COPY.

Seeds a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set; never
the developer's data) with BENCH_ROWS annotations (default 1,000,000) over 2,000
articles, one in ten with emoji. Then a fresh process streams the web export's CSV
(articles.exchange.export_rows.export_stream, as the view calls it, encoded to UTF-8) to
/dev/null and reports rows per second and its peak memory (ru_maxrss). On PostgreSQL,
`COPY (SELECT …the same columns…) TO STDOUT WITH CSV` is timed too, as the physical
limit, and the ratio printed. Targets: peak memory < 150 MB, rate >= half of COPY's.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
# Measure with production settings (DEBUG off: no query log).
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", ALLOWED_HOSTS="testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402

from articles.ingest.pipeline import ingest  # noqa: E402
from articles.models import Article, Label, content_hash  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
ARTICLES = 2_000
SPANS = 50  # distinct passages per article text the annotations cycle through
CHILD_FLAG = "--export-in-this-process"

# One annotation in twenty attributed to the next one of its article (attribution links).
LINKS_SQL = """
INSERT INTO articles_attribution (uuid, claim_id, source_id, cue, form, author_id, created_at, updated_at)
SELECT {uuid}, a.id, b.id, 'said', 'direct', a.author_id, {now}, {now}
FROM articles_annotation a JOIN articles_annotation b ON b.id = a.id + 1 AND b.article_id = a.article_id
WHERE a.id % 20 = 0
"""

COPY_SQL = """
COPY (
  SELECT a.uuid, a.article_id, ar.title, ar.url, ar.outlet, c.name, l.name, a.start, a."end",
         a.start, a."end",  -- stand-ins for the UTF-16 offsets, which SQL cannot cheaply compute
         a.quote, a.prefix, a.suffix, a.note, u.username, a.status, r.username,
         to_char(a.reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         to_char(a.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         c.kind,
         (SELECT string_agg(s.uuid::text || chr(31) || t.cue || chr(31) || t.form, chr(30)
                 ORDER BY s.start, s."end", s.id)
            FROM articles_attribution t JOIN articles_annotation s ON s.id = t.source_id
           WHERE t.claim_id = a.id AND s.deleted_at IS NULL),
         CASE WHEN a.own_voice THEN 'own_voice' END,
         coalesce(a.source_entity_id, a.tone_target_entity_id), coalesce(se.name, te.name),
         coalesce(se.source_type, te.source_type), nullif(a.anonymity, ''), a.tone_intensity,
         l.polarity * a.tone_intensity, coalesce(te.name, nullif(a.tone_target_text, ''))
  FROM articles_annotation a
  JOIN articles_article ar ON ar.id = a.article_id
  JOIN articles_label l ON l.id = a.label_id
  JOIN articles_category c ON c.id = l.category_id
  JOIN auth_user u ON u.id = a.author_id
  LEFT JOIN auth_user r ON r.id = a.reviewed_by_id
  LEFT JOIN articles_source se ON se.id = a.source_entity_id
  LEFT JOIN articles_source te ON te.id = a.tone_target_entity_id
  WHERE a.deleted_at IS NULL
  ORDER BY a.article_id, a.start, a."end", a.id
) TO STDOUT WITH CSV HEADER
"""


def article_texts():
    sample = (ROOT / "articles" / "samples" / "pakistan-us-rift.txt").read_text(encoding="utf-8")
    body = ingest(sample).body
    for number in range(ARTICLES):
        # Distinct texts (content_hash is unique); every tenth with astral characters,
        # which sends its rows down the slower UTF-16 conversion.
        marker = f"\n\nStory {number} 🇵🇰 update 😀." if number % 10 == 0 else f"\n\nStory {number} update."
        yield f"Story {number}", body + marker


def spans(body):
    """SPANS word spans (start, length) spread over the text, in code points."""
    words, position = [], 0
    for word in body.split():
        position = body.index(word, position)
        words.append((position, len(word)))
        position += len(word)
    step = max(1, len(words) // SPANS)
    return words[::step][:SPANS]


def seed():
    user = User.objects.create_user("bench", password=None)
    labels = list(Label.objects.values_list("pk", flat=True))
    articles = Article.objects.bulk_create(
        Article(title=title, body=body, content_hash=content_hash(body), outlet="Bench Wire", url="")
        for title, body in article_texts()
    )
    first_article = min(article.pk for article in articles)
    passages = spans(articles[1].body)  # the shared text: the same spans work in every article
    per_article = -(-ROWS // ARTICLES)
    params = {
        "rows": ROWS,
        "per_article": per_article,
        "first_article": first_article,
        "articles": ARTICLES,
        "user": user.pk,
    }
    starts = ",".join(str(start) for start, _ in passages)
    lengths = ",".join(str(length) for _, length in passages)
    labels_list = ",".join(str(label) for label in labels)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                INSERT INTO articles_annotation (uuid, article_id, label_id, start, "end", quote, prefix, suffix,
                    note, author_id, status, created_at, updated_at, anonymity, own_voice, tone_target_text)
                SELECT gen_random_uuid(), art, lab, st, st + len,
                    substr(ar.body, st + 1, len), substr(ar.body, greatest(1, st - 31), least(st, 32)),
                    substr(ar.body, st + len + 1, 32),
                    CASE WHEN i %% 10 = 0 THEN '=note ' || i ELSE '' END,
                    %(user)s, (ARRAY['pending','accepted','rejected'])[1 + i %% 3],
                    now() - (i || ' seconds')::interval, now(), '', false, ''
                FROM (
                    SELECT i, %(first_article)s + (i / %(per_article)s) AS art,
                        (ARRAY[{labels_list}])[1 + i %% {len(labels)}] AS lab,
                        (ARRAY[{starts}])[1 + i %% {len(passages)}] AS st,
                        (ARRAY[{lengths}])[1 + i %% {len(passages)}] AS len
                    FROM generate_series(0, %(rows)s - 1) AS i
                ) AS s JOIN articles_article ar ON ar.id = s.art
                """,
                params,
            )
            cursor.execute(LINKS_SQL.format(uuid="gen_random_uuid()", now="now()"))
            cursor.execute("ANALYZE")
        else:  # SQLite: no generate_series or arrays; a recursive series and JSON arrays
            starts_json, lengths_json, labels_json = f"[{starts}]", f"[{lengths}]", f"[{labels_list}]"
            cursor.execute(
                f"""
                WITH RECURSIVE series(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM series WHERE i < %s - 1),
                s AS (
                    SELECT i, %s + (i / %s) AS art,
                        json_extract('{labels_json}', '$[' || (i % {len(labels)}) || ']') AS lab,
                        json_extract('{starts_json}', '$[' || (i % {len(passages)}) || ']') AS st,
                        json_extract('{lengths_json}', '$[' || (i % {len(passages)}) || ']') AS len
                    FROM series
                )
                INSERT INTO articles_annotation (uuid, article_id, label_id, start, "end", quote, prefix, suffix,
                    note, author_id, status, created_at, updated_at, anonymity, own_voice, tone_target_text)
                SELECT lower(hex(randomblob(16))), art, lab, st, st + len,
                    substr(ar.body, st + 1, len), substr(ar.body, max(1, st - 31), min(st, 32)),
                    substr(ar.body, st + len + 1, 32),
                    CASE WHEN i % 10 = 0 THEN '=note ' || i ELSE '' END,
                    %s, CASE i % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' ELSE 'rejected' END,
                    strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-' || i || ' seconds'),
                    strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now'), '', 0, ''
                FROM s JOIN articles_article ar ON ar.id = s.art
                """,
                [ROWS, first_article, per_article, user.pk],
            )
            cursor.execute(LINKS_SQL.format(uuid="lower(hex(randomblob(16)))", now="CURRENT_TIMESTAMP"))
            cursor.execute("ANALYZE")


def check_seed():
    """The seeded offsets must really point at their quotes, or the figures mean little."""
    from articles.models import Annotation

    sample = Annotation.objects.select_related("article").order_by("?")[:200]
    wrong = [a.pk for a in sample if a.article.body[a.start : a.end] != a.quote or not a.quote.strip()]
    if wrong:
        raise SystemExit(f"seeding is wrong: annotations {wrong[:5]} do not match their text")


def peak_kib():
    """This process's peak resident memory in KiB.

    VmHWM where Linux has it: ru_maxrss of a process started by exec also carries the
    peak of the process that forked it (here the seeding parent), which is not ours.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def export_in_this_process():
    """The child: stream the CSV export to /dev/null; print rows, seconds, peak memory."""
    from articles.exchange.export_rows import annotations_for_export, export_stream

    connection.settings_dict["NAME"] = os.environ["BENCH_DATABASE"]
    baseline = peak_kib()
    started = time.perf_counter()
    cpu_started = time.process_time()
    first_chunk = None
    written = 0
    with open(os.devnull, "wb") as sink:
        for chunk in export_stream(annotations_for_export(), "csv"):
            if first_chunk is None:
                first_chunk = time.perf_counter() - started
            data = chunk.encode("utf-8")
            written += len(data)
            sink.write(data)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = peak_kib()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "first_chunk": first_chunk,
                "bytes": written,
                "peak_kib": peak,
                "baseline_kib": baseline,
            }
        )
    )


def copy_seconds():
    connection.ensure_connection()
    started = time.perf_counter()
    written = 0
    with (
        open(os.devnull, "wb") as sink,
        connection.connection.cursor() as cursor,
        cursor.copy(COPY_SQL) as copy,
    ):
        for block in copy:
            written += len(block)
            sink.write(block)
    return time.perf_counter() - started, written


def main():
    settings = connection.settings_dict
    tmp = None
    if connection.vendor == "sqlite":
        # A file, not SQLite's in-memory test database: the export runs in another process.
        tmp = tempfile.mkdtemp(prefix="bench-export-")
        settings["TEST"]["NAME"] = os.path.join(tmp, "bench.sqlite3")
    else:
        # Not the name pytest uses, so a test run at the same time is not disturbed.
        settings["TEST"]["NAME"] = f"test_{settings['NAME']}_bench_export"
    old_name = settings["NAME"]
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        seed()
        print(f"{connection.vendor}: seeded {ROWS:,} annotations in {time.perf_counter() - started:.1f} s")
        check_seed()
        connection.close()
        child = subprocess.run(
            [sys.executable, __file__, CHILD_FLAG],
            env={**os.environ, "BENCH_DATABASE": database},
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        rate = ROWS / result["seconds"]
        peak_mb = result["peak_kib"] / 1024
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CSV export CPU: "
            f"{ROWS / result['cpu_seconds']:,.0f} rows per CPU-second ({result['cpu_seconds']:.2f} s), "
            "SQLite's or psycopg's work in this process included, the server's not"
        )
        print(
            f"CSV export: {rate:,.0f} rows/s ({result['seconds']:.2f} s, {result['bytes'] / 1e6:,.0f} MB); "
            f"peak memory {peak_mb:.0f} MB (of which {result['baseline_kib'] / 1024:.0f} MB before the export); "
            f"first bytes after {result['first_chunk'] * 1000:.1f} ms"
        )
        verdicts = [f"peak memory {'OK' if peak_mb < 150 else 'OVER'} (< 150 MB)"]
        if connection.vendor == "postgresql":
            seconds, written = copy_seconds()
            copy_rate = ROWS / seconds
            ratio = rate / copy_rate
            print(f"PostgreSQL COPY: {copy_rate:,.0f} rows/s ({seconds:.2f} s, {written / 1e6:,.0f} MB)")
            print(f"export / COPY = {ratio:.2f}")
            verdicts.append(f"rate {'OK' if ratio >= 0.5 else 'UNDER'} (>= half of COPY)")
        else:
            print("(COPY comparison needs PostgreSQL: set DATABASE_URL)")
        print("; ".join(verdicts))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if CHILD_FLAG in sys.argv:
        export_in_this_process()
    else:
        main()
