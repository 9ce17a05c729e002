"""Analytics speed: every analytics view over a seeded archive.

PostgreSQL (DATABASE_URL set): 100,000 articles from 50 outlets over two years,
1,000,000 annotations (4 claims, 3 sources, 3 tones per article; 10% rejected, 2%
deleted), 5,000 source entities and 300,000 claim → source links, seeded with
INSERT … SELECT generate_series in a throwaway database. SQLite: a tenth of that.

Prints the server time of each view (the Django test client, DEBUG off; median of
RUNS after one warm-up) with the default filters and with one outlet and one month.
Target: under 300 ms per view on PostgreSQL.

BENCH_SCALE=0.1 seeds a tenth; BENCH_KEEP=1 keeps the database and reuses it next time.
"""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.analytics import aggregation, summary  # noqa: E402
from articles.models import Category, Label  # noqa: E402

POSTGRES = connection.vendor == "postgresql"
SCALE = float(os.environ.get("BENCH_SCALE", 1 if POSTGRES else 0.1))
ARTICLES = int(100_000 * SCALE)
OUTLETS = 50
ENTITIES = max(50, int(5_000 * SCALE))
PER_ARTICLE = 10  # annotations: 0-3 claims, 4-6 sources, 7-9 tone
LINKS_PER_ARTICLE = 3  # claim k → source 4 + k
RUNS = 5
KEEP = os.environ.get("BENCH_KEEP") == "1"
VIEWS = ["analytics_overview", "analytics_sourcing", "analytics_voices", "analytics_tone", "analytics_time"]
TYPES = ["government", "military", "intelligence", "politician", "diplomat", "expert", "media", "citizen",
         "document", "organisation", "other"]  # fmt: skip
TARGETS = ["the U.S.", "the ISI", "Pakistan", "the Taliban", "Washington", "the army", "NATO", "India"]


def seed():
    kinds = {kind: list(Label.objects.filter(category__kind=kind).values_list("pk", flat=True))
             for kind in (Category.CLAIM, Category.SOURCE, Category.TONE)}  # fmt: skip
    users = [User.objects.create_user(f"coder{i}").pk for i in range(5)]
    claim, source, tone = (
        ",".join(map(str, kinds[k])) for k in (Category.CLAIM, Category.SOURCE, Category.TONE)
    )
    user_ids = ",".join(map(str, users))
    targets = ",".join(f"'{t}'" for t in TARGETS)
    types = ",".join(f"'{t}'" for t in TYPES)
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                f"""
                INSERT INTO articles_source (id, name, aliases, source_type, affiliation, country, anonymous, created_at)
                SELECT i, 'Source ' || i, '', (ARRAY[{types}])[1 + i % 11], 'Affiliation ' || (i % 40),
                    'Country ' || (i % 25), i % 4 = 0, now()
                FROM generate_series(1, {ENTITIES}) AS i;
                SELECT setval(pg_get_serial_sequence('articles_source', 'id'), {ENTITIES});

                INSERT INTO articles_article (id, title, outlet, byline, url, canonical_url, published, body, original,
                    source_format, content_hash, created_at, updated_at)
                SELECT i, 'Article ' || i, 'Outlet ' || lpad((i % {OUTLETS})::text, 2, '0'), '', '', '',
                    CASE WHEN i % 10 = 0 THEN NULL ELSE date '2025-01-01' + (i % 730) END,
                    'Body of article ' || i || '.', '', 'text', md5('body ' || i),
                    timestamptz '2025-01-01' + (i % 730) * interval '1 day', now()
                FROM generate_series(1, {ARTICLES}) AS i;
                SELECT setval(pg_get_serial_sequence('articles_article', 'id'), {ARTICLES});

                INSERT INTO articles_annotation (id, uuid, article_id, label_id, start, "end", quote, prefix, suffix,
                    note, author_id, status, source_entity_id, anonymity, own_voice, tone_intensity,
                    tone_target_entity_id, tone_target_text, deleted_at, created_at, updated_at)
                SELECT i, gen_random_uuid(), art, lab, k * 10, k * 10 + 5, 'quote', '', '', '',
                    (ARRAY[{user_ids}])[1 + i % 5],
                    CASE WHEN i % 10 = 3 THEN 'rejected' WHEN i % 3 = 0 THEN 'accepted' ELSE 'pending' END,
                    CASE WHEN kind = 's' THEN 1 + (hash % {ENTITIES}) END,
                    CASE WHEN kind = 's' THEN (ARRAY['named', 'anonymous', 'anonymous', 'unattributed'])[1 + hash % 4]
                         ELSE '' END,
                    kind = 'c' AND k = 3 AND art % 2 = 0,
                    CASE WHEN kind = 't' AND hash % 5 <> 0 THEN 1 + hash % 3 END,
                    CASE WHEN kind = 't' AND hash % 7 = 0 THEN 1 + (hash % {ENTITIES}) END,
                    CASE WHEN kind = 't' AND hash % 7 <> 0 THEN (ARRAY[{targets}])[1 + hash % 8] ELSE '' END,
                    CASE WHEN i % 50 = 7 THEN now() END, now(), now()
                FROM (
                    SELECT i, 1 + (i - 1) / {PER_ARTICLE} AS art, (i - 1) % {PER_ARTICLE} AS k,
                        CASE WHEN (i - 1) % {PER_ARTICLE} < 4 THEN 'c'
                             WHEN (i - 1) % {PER_ARTICLE} < 7 THEN 's' ELSE 't' END AS kind,
                        abs(hashint4(i)) AS hash,
                        CASE WHEN (i - 1) % {PER_ARTICLE} < 4 THEN (ARRAY[{claim}])[1 + i % {len(kinds["claim"])}]
                             WHEN (i - 1) % {PER_ARTICLE} < 7 THEN (ARRAY[{source}])[1 + i % {len(kinds["source"])}]
                             ELSE (ARRAY[{tone}])[1 + i % {len(kinds["tone"])}] END AS lab
                    FROM generate_series(1, {ARTICLES} * {PER_ARTICLE}) AS i
                ) AS s;
                SELECT setval(pg_get_serial_sequence('articles_annotation', 'id'), {ARTICLES} * {PER_ARTICLE});

                INSERT INTO articles_attribution (uuid, claim_id, source_id, cue, form, author_id, created_at, updated_at)
                SELECT gen_random_uuid(), (a - 1) * {PER_ARTICLE} + k + 1, (a - 1) * {PER_ARTICLE} + 4 + k + 1,
                    'said', (ARRAY['direct', 'indirect', 'paraphrase'])[1 + (a + k) % 3], {users[0]}, now(), now()
                FROM generate_series(1, {ARTICLES}) AS a, generate_series(0, {LINKS_PER_ARTICLE - 1}) AS k;
                """
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            sqlite_seed(cursor, kinds, users)


def sqlite_seed(cursor, kinds, users):
    """The same shape on SQLite: recursive series, JSON arrays for the choices."""
    pick = "json_extract('{}', '$[' || ({}) || ']')".format
    claim, source, tone = (str(kinds[k]) for k in (Category.CLAIM, Category.SOURCE, Category.TONE))
    types = str(TYPES).replace("'", '"')
    targets = str(TARGETS).replace("'", '"')
    series = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {})".format
    cursor.execute(f"""{series(ENTITIES)}
        INSERT INTO articles_source (id, name, aliases, source_type, affiliation, country, anonymous, created_at)
        SELECT i, 'Source ' || i, '', {pick(types, "i % 11")}, 'Affiliation ' || (i % 40),
            'Country ' || (i % 25), i % 4 = 0, datetime('now') FROM s""")
    cursor.execute(f"""{series(ARTICLES)}
        INSERT INTO articles_article (id, title, outlet, byline, url, canonical_url, published, body, original,
            source_format, content_hash, created_at, updated_at)
        SELECT i, 'Article ' || i, 'Outlet ' || substr('0' || (i % {OUTLETS}), -2), '', '', '',
            CASE WHEN i % 10 = 0 THEN NULL ELSE date('2025-01-01', '+' || (i % 730) || ' days') END,
            'Body of article ' || i || '.', '', 'text', 'hash ' || i,
            datetime('2025-01-01', '+' || (i % 730) || ' days'), datetime('now') FROM s""")
    cursor.execute(f"""{series(ARTICLES * PER_ARTICLE)},
        t AS (SELECT i, 1 + (i - 1) / {PER_ARTICLE} AS art, (i - 1) % {PER_ARTICLE} AS k,
                     (i * 2654435761) % 2147483647 AS hash FROM s)
        INSERT INTO articles_annotation (id, uuid, article_id, label_id, start, "end", quote, prefix, suffix,
            note, author_id, status, source_entity_id, anonymity, own_voice, tone_intensity,
            tone_target_entity_id, tone_target_text, deleted_at, created_at, updated_at)
        SELECT i, lower(hex(randomblob(16))), art,
            CASE WHEN k < 4 THEN {pick(claim, f"i % {len(kinds['claim'])}")}
                 WHEN k < 7 THEN {pick(source, f"i % {len(kinds['source'])}")}
                 ELSE {pick(tone, f"i % {len(kinds['tone'])}")} END,
            k * 10, k * 10 + 5, 'quote', '', '', '', {pick(str(users), "i % 5")},
            CASE WHEN i % 10 = 3 THEN 'rejected' WHEN i % 3 = 0 THEN 'accepted' ELSE 'pending' END,
            CASE WHEN k BETWEEN 4 AND 6 THEN 1 + hash % {ENTITIES} END,
            CASE WHEN k BETWEEN 4 AND 6 THEN {pick('["named","anonymous","anonymous","unattributed"]', "hash % 4")}
                 ELSE '' END,
            k = 3 AND art % 2 = 0,
            CASE WHEN k >= 7 AND hash % 5 <> 0 THEN 1 + hash % 3 END,
            CASE WHEN k >= 7 AND hash % 7 = 0 THEN 1 + hash % {ENTITIES} END,
            CASE WHEN k >= 7 AND hash % 7 <> 0 THEN {pick(targets, "hash % 8")} ELSE '' END,
            CASE WHEN i % 50 = 7 THEN datetime('now') END, datetime('now'), datetime('now')
        FROM t""")
    cursor.execute(f"""{series(ARTICLES * LINKS_PER_ARTICLE)}
        INSERT INTO articles_attribution (uuid, claim_id, source_id, cue, form, author_id, created_at, updated_at)
        SELECT lower(hex(randomblob(16))), ((i - 1) / 3) * {PER_ARTICLE} + (i - 1) % 3 + 1,
            ((i - 1) / 3) * {PER_ARTICLE} + 4 + (i - 1) % 3 + 1, 'said',
            {pick('["direct","indirect","paraphrase"]', "i % 3")}, {users[0]}, datetime('now'), datetime('now')
        FROM s""")
    cursor.execute("ANALYZE")


def seeded():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article")
        return cursor.fetchone()[0] >= ARTICLES


def server_ms(client, url, query):
    client.get(url, query)  # warm-up: plans and caches, as a running server has them
    times, cpu = [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, query)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.median(cpu)


def main():
    settings = connection.settings_dict
    tmp = None
    if POSTGRES:
        settings["TEST"]["NAME"] = f"test_{settings['NAME']}_bench_analytics"
    else:
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-analytics.sqlite3"
        settings["TEST"]["NAME"] = str(tmp)
    old_name = settings["NAME"]
    if KEEP and (POSTGRES or tmp.exists()):
        settings["NAME"] = settings["TEST"]["NAME"]
        connection.close()
        try:
            connection.ensure_connection()
            reuse = seeded()
        except Exception:  # noqa: BLE001 - no database yet
            reuse = False
        if not reuse:
            settings["NAME"] = old_name
            connection.close()
    else:
        reuse = False
    if not reuse:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        started = time.perf_counter()
        seed()
        print(
            f"{connection.vendor}: seeded {ARTICLES:,} articles, {ARTICLES * PER_ARTICLE:,} annotations, "
            f"{ARTICLES * LINKS_PER_ARTICLE:,} links, {ENTITIES:,} entities in {time.perf_counter() - started:.0f} s"
        )
    else:
        print(f"{connection.vendor}: reusing the seeded database {settings['NAME']}")
    try:
        started = time.perf_counter()
        refreshed = summary.refresh()
        print(f"summary refresh of {refreshed:,} dirty articles: {time.perf_counter() - started:.1f} s")
        setup_test_environment()
        viewer = User.objects.create_user(f"bench-viewer-{time.time_ns()}")
        viewer.groups.add(Group.objects.get(name="Viewer"))
        client = Client()
        client.force_login(viewer)
        narrow = {"outlet": "Outlet 07", "from": "2025-06-01", "to": "2025-06-30"}
        print(
            f"{'view':<22}{'default filters':>18}{'one outlet, one month':>24}{'raw: default':>15}{'one/one':>10}"
        )
        worst = 0
        from_summary = aggregation._from_summary
        for name in VIEWS:
            url = reverse(name)
            aggregation._from_summary = from_summary
            (wide, wide_cpu), (small, small_cpu) = server_ms(client, url, {}), server_ms(client, url, narrow)
            raw = ""
            if not os.environ.get("BENCH_NO_RAW"):  # the same views without the summary tables
                aggregation._from_summary = lambda filters: False
                raw = f"{server_ms(client, url, {})[0]:>12.0f} ms{server_ms(client, url, narrow)[0]:>7.0f} ms"
            worst = max(worst, wide, small)
            # This process's CPU (Python); the database server's time is the rest of the wall time.
            cpu = f"   CPU {wide_cpu:.0f} / {small_cpu:.0f} ms"
            print(f"{name:<22}{wide:>15.0f} ms{small:>21.0f} ms{raw}{cpu}", flush=True)
        aggregation._from_summary = from_summary
        if POSTGRES:
            print(
                f"load average {os.getloadavg()[0]:.2f}; slowest {worst:.0f} ms: {'OK' if worst < 300 else 'OVER'} (target < 300 ms)"
            )
    finally:
        if not KEEP:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            if tmp and tmp.exists():
                tmp.unlink()


if __name__ == "__main__":
    main()
