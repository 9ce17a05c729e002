"""Page speed at archive size: 100,000 articles (~600 words, 50 outlets) and 1,000,000
annotations, seeded into a throwaway test database (SQLite file, or PostgreSQL when
DATABASE_URL is set; never the developer's data).

Prints, per page, the server time through Django's test client (median of 5 after a
warm-up), the SQL query count and the response size: article list page 1 and page
2,000, filters, full-text search (rare word, common word, phrase, annotations), the
admin annotation and article changelists, and a reading page.

    scripts/bench_scale.py                       # 100,000 articles, 1,000,000 annotations
    scripts/bench_scale.py --articles 10000 --annotations 100000
    scripts/bench_scale.py --growth              # PostgreSQL: 10,000, 100,000 and 300,000 articles

Seeding is bulk: COPY on PostgreSQL, executemany in one transaction on SQLite; the
full-text index is built by the same generated column / triggers the app uses.
Targets: every page under 100 ms on PostgreSQL, under 150 ms on SQLite.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from articles.coding.models import Assignment, BatchArticle, CodingBatch  # noqa: E402
from articles.jobs.models import Job  # noqa: E402
from articles.models import Annotation, Article, Label, content_hash  # noqa: E402
from articles.sources.models import Source  # noqa: E402

RUNS = 5
OUTLETS = [f"Outlet {i:02d}" for i in range(50)]
RARE, COMMON, PHRASE = "zephyrine", "government", "coalition partner"
# The registry, team coding and jobs at a size a busy desk reaches (seed_extras).
SOURCES, CITED_EVERY = 2_000, 20
BATCH_ARTICLES, CODERS_PER_ARTICLE = 500, 2
JOBS = 200
SENTENCE_POOL = 20_000
SENTENCES_PER_ARTICLE = 40  # ~15 words each: ~600 words
BATCH = 2_000
SQLITE_DIR = "/tmp"
BASE_NAME = connection.settings_dict["NAME"]


def vocabulary(rng, size=6000):
    syllables = ["ka", "lo", "mi", "ne", "ra", "tu", "shi", "ven", "dor", "pel", "qua", "zim", "bre", "sto"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    common = [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "said",
        "that",
        "for",
        "on",
        "was",
        "with",
        "he",
        "it",
        "as",
        "at",
        "by",
        "from",
        "official",
        "minister",
    ]
    return common + sorted(words)


def sentence_pool(rng):
    words = vocabulary(rng)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)  # Zipf-like
        cumulative.append(total)
    pool = []
    for _ in range(SENTENCE_POOL):
        sentence = rng.choices(words, cum_weights=cumulative, k=rng.randint(10, 20))
        if rng.random() < 0.015:
            sentence.insert(rng.randrange(len(sentence)), COMMON)
        if rng.random() < 0.0005:
            sentence[rng.randrange(len(sentence)) :] = PHRASE.split()
        pool.append(" ".join(sentence).capitalize() + ".")
    return pool


def article_text(rng, pool, i):
    sentences = rng.sample(pool, SENTENCES_PER_ARTICLE)
    if i % 5000 == 17:
        sentences[5] = f"The {RARE} report was filed."
    sentences[0] = f"Dispatch {i}. " + sentences[0]  # every text is distinct (content_hash is unique)
    paragraphs = [" ".join(sentences[p : p + 4]) for p in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def annotation_rows(rng, article_id, body, count, labels, authors, created):
    rows = []
    for _ in range(count):
        start = rng.randrange(0, max(1, len(body) - 200))
        start = body.rfind(" ", 0, start) + 1
        end = body.find(" ", start + rng.randint(10, 160))
        end = len(body) if end == -1 else end
        deleted = created if rng.random() < 0.01 else None
        rows.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                article_id,
                rng.choice(labels),
                start,
                end,
                body[start:end],
                body[max(0, start - 32) : start],
                body[end : end + 32],
                rng.choice(["", "", "", "", "check the source", "anonymous official", "tone is hostile"]),
                rng.choice(authors),
                rng.choice(
                    [Annotation.PENDING, Annotation.PENDING, Annotation.ACCEPTED, Annotation.REJECTED]
                ),
                "",
                False,
                "",
                deleted,
                created,
                created,
            )
        )
    return rows


ARTICLE_COLUMNS = (
    "id",
    "title",
    "outlet",
    "byline",
    "url",
    "published",
    "body",
    "original",
    "source_format",
    "content_hash",
    "canonical_url",
    "created_at",
    "updated_at",
)
ANNOTATION_COLUMNS = (
    "uuid",
    "article_id",
    "label_id",
    "start",
    '"end"',
    "quote",
    "prefix",
    "suffix",
    "note",
    "author_id",
    "status",
    "anonymity",
    "own_voice",
    "tone_target_text",
    "deleted_at",
    "created_at",
    "updated_at",
)


def write(table, columns, rows):
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            rows = [tuple(sqlite_value(value) for value in row) for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def sqlite_value(value):
    # As Django stores them on SQLite: UUIDs as 32 hex digits, times as naive UTC text.
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def seed(n_articles, n_annotations):
    rng = random.Random(11)
    pool = sentence_pool(rng)
    labels = list(Label.objects.values_list("pk", flat=True))
    annotators = Group.objects.get(name="Annotator")
    authors = []
    User.objects.filter(username__startswith="coder").delete()  # left by a seed that failed
    for i in range(20):
        user = User.objects.create_user(f"coder{i}", password="bench-password-123")
        user.groups.add(annotators)
        authors.append(user.pk)
    per_article = n_annotations / n_articles
    began = datetime(2022, 1, 1, tzinfo=UTC)
    step = timedelta(days=3 * 365) / n_articles
    articles, annotations, made = [], [], 0
    postgres = connection.vendor == "postgresql"
    if postgres:
        # The GIN indexes are built once after loading, faster than row by row.
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS article_search; DROP INDEX IF EXISTS annotation_search")
    with transaction.atomic():
        for i in range(1, n_articles + 1):
            body = article_text(rng, pool, i)
            created = began + step * i
            published = date(2022, 1, 1) + timedelta(days=int(i * 3 * 365 / n_articles))
            articles.append(
                (
                    i,
                    f"Report {i}: {' '.join(body.split()[3:9])}",
                    OUTLETS[i % len(OUTLETS)],
                    "",
                    f"https://example.org/{i}",
                    published,
                    body,
                    "",
                    "text",
                    content_hash(body),
                    "",
                    created,
                    created,
                )
            )
            # A quarter of the archive is annotated, densely (as a coded sample is); the
            # rest is unannotated, which the "without annotations" filter looks for.
            count = int(per_article * 4 * (i // 4)) - made if i % 4 == 0 else 0
            made += count
            annotations += annotation_rows(rng, i, body, count, labels, authors, created)
            if len(articles) >= BATCH:
                write("articles_article", ARTICLE_COLUMNS, articles)
                write("articles_annotation", ANNOTATION_COLUMNS, annotations)
                articles, annotations = [], []
        write("articles_article", ARTICLE_COLUMNS, articles)
        write("articles_annotation", ANNOTATION_COLUMNS, annotations)
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("CREATE INDEX article_search ON articles_article USING gin (search_vector)")
            cursor.execute("CREATE INDEX annotation_search ON articles_annotation USING gin (search_vector)")
            cursor.execute("SELECT setval('articles_article_id_seq', (SELECT max(id) FROM articles_article))")
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return authors


def seed_extras(authors):
    """Sources cited by every CITED_EVERY-th annotation, a coding batch assigned to the
    first coders, and a Jobs page's worth of jobs; skipped when a kept database has them."""
    if CodingBatch.objects.filter(name="bench batch").exists():
        return
    with transaction.atomic():
        types = [choice for choice, _ in Source.TYPE_CHOICES]
        Source.objects.bulk_create(
            Source(name=f"Source {i:04d}", aliases=f"S{i}", source_type=types[i % len(types)])
            for i in range(SOURCES)
        )
        first = Source.objects.order_by("pk").values_list("pk", flat=True).first()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_annotation SET source_entity_id = %s + id %% %s WHERE id %% %s = 0",
                [first, SOURCES, CITED_EVERY],
            )
        batch = CodingBatch.objects.create(name="bench batch", coders_per_article=CODERS_PER_ARTICLE, seed=11)
        batch.analysts.set(authors[:4])
        articles = list(Article.objects.order_by("-pk").values_list("pk", flat=True)[:BATCH_ARTICLES])
        BatchArticle.objects.bulk_create(BatchArticle(batch=batch, article_id=pk) for pk in articles)
        Assignment.objects.bulk_create(
            Assignment(batch=batch, article_id=pk, analyst_id=authors[(i + k) % 4])
            for i, pk in enumerate(articles)
            for k in range(CODERS_PER_ARTICLE)
        )
        Job.objects.bulk_create(
            Job(
                kind=Job.Kind.choices[i % len(Job.Kind.choices)][0], owner_id=authors[i % 4], title=f"job {i}"
            )
            for i in range(JOBS)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url):
    """Median wall time, median CPU time of this process, SQL time, queries and bytes.

    On a shared, loaded machine the wall time includes waiting for a core; the CPU time
    of this process does not (on SQLite it is all of the work, on PostgreSQL the Django
    side, the SQL column the queries' time as the client sees it)."""
    client.get(url)
    timings, cpu, sql = [], [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    median = statistics.median
    return median(timings), median(cpu), median(sql), len(queries), len(response.content)


def pages(reader_id):
    """Every page an analyst or a curator opens (analytics has its own bench)."""
    factual = Label.objects.get(name="factual")
    batch = CodingBatch.objects.get(name="bench batch").pk
    annotation = Annotation.objects.filter(article_id=reader_id).values_list("pk", flat=True).first()
    source = Source.objects.order_by("pk").values_list("pk", flat=True)[7]
    annotations, articles = "/admin/articles/annotation/", "/admin/articles/article/"
    return [
        ("article list, page 1", "/"),
        ("article list, page 2,000", "/?page=2000"),
        ("list: one outlet", "/?outlet=Outlet+07"),
        ("list: published in March 2023", "/?published_from=2023-03-01&published_to=2023-03-31"),
        ("list: with annotations", "/?annotated=yes"),
        ("list: without annotations", "/?annotated=no"),
        ("list: annotated by me", "/?mine=on"),
        (
            "list: label used, published in 2023",
            f"/?label={factual.pk}&published_from=2023-01-01&published_to=2023-12-31",
        ),
        ("list: assigned to me, to do", "/?assigned=on&status=todo"),
        ("list: coding batch", f"/?batch={batch}"),
        (f"search, rare word ({RARE})", f"/?q={RARE}"),
        (f"search, common word ({COMMON})", f"/?q={COMMON}"),
        ("search, common word, page 10", f"/?q={COMMON}&page=10"),
        (f'search, phrase ("{PHRASE}")', "/?q=%22coalition+partner%22"),
        ("search, prefix and exclusion (coali* -drone)", "/?q=coali*+-drone"),
        ("search, common word in one outlet", f"/?q={COMMON}&outlet=Outlet+07"),
        ("search, common word, label used", f"/?q={COMMON}&label={factual.pk}"),
        ("search, common word, annotated by me", f"/?q={COMMON}&mine=on"),
        ("search annotations (anonymous official)", "/?q=anonymous+official&scope=annotations"),
        ("search annotations, label used", f"/?q=hostile&scope=annotations&label={factual.pk}"),
        ("reading page", f"/articles/{reader_id}/"),
        ("My work", "/coding/mine/"),
        ("sources registry", "/sources/"),
        ("sources registry, search", "/sources/?q=Source+01"),
        ("a source's citations", f"/sources/{source}/"),
        ("jobs", "/jobs/"),
        ("coding batches", "/coding/batches/"),
        ("admin annotation changelist", annotations),
        ("admin annotation changelist, page 100", f"{annotations}?p=100"),
        ("admin annotations: pending (review queue)", f"{annotations}?status__exact=pending"),
        ("admin annotations: deleted", f"{annotations}?state=deleted"),
        ("admin annotations: all states", f"{annotations}?state=all"),
        (
            "admin annotations: one category",
            f"{annotations}?label__category__id__exact={factual.category_id}",
        ),
        ("admin annotations: one label", f"{annotations}?label__id__exact={factual.pk}"),
        ("admin annotations: one author", f"{annotations}?author=coder3"),
        ("admin annotations: one outlet", f"{annotations}?article__outlet=Outlet+08"),
        ("admin annotations: an outlet none annotated", f"{annotations}?article__outlet=Outlet+07"),
        ("admin annotations: one article", f"{annotations}?article={reader_id}"),
        (
            "admin annotations: past 7 days",
            f"{annotations}?created_at__gte=2024-12-25+00%3A00%3A00%2B00%3A00&created_at__lt=2025-01-01+00%3A00%3A00%2B00%3A00",
        ),
        ("admin annotations: sorted by label (ignored)", f"{annotations}?o=2"),
        ("admin annotation search (hostile)", f"{annotations}?q=hostile"),
        ("admin annotation search, phrase", f"{annotations}?q=%22anonymous+official%22"),
        ("admin annotation search + pending", f"{annotations}?q=hostile&status__exact=pending"),
        ("admin annotation page", f"{annotations}{annotation}/change/"),
        ("admin article changelist", articles),
        ("admin articles: one outlet", f"{articles}?outlet=Outlet+07"),
        ("admin articles: pending annotations", f"{articles}?pending=yes"),
        ("admin articles: nothing pending", f"{articles}?pending=no"),
        ("admin article search (zephyrine)", f"{articles}?q={RARE}"),
        ("admin article search, phrase", f"{articles}?q=%22coalition+partner%22"),
        ("admin article page (review inline)", f"{articles}{reader_id}/change/"),
    ]


def bench_database_name(n_articles, n_annotations, keep):
    """A kept database is named by its size, so a later run (or --growth) reuses it; a
    throwaway one by this process. Neither is the test suite's test_<name> database."""
    tag = f"{n_articles}_{n_annotations}" if keep else f"tmp_{os.getpid()}"
    if connection.vendor == "sqlite":
        return f"{SQLITE_DIR}/annotator-bench-scale-{tag}.sqlite3"
    return f"{BASE_NAME}_bench_{tag}"


def run(n_articles, n_annotations, keep=False):
    connection.settings_dict["TEST"]["NAME"] = bench_database_name(n_articles, n_annotations, keep)
    print(f"bench database: {connection.settings_dict['TEST']['NAME']}")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        began = time.perf_counter()
        if keep and Article.objects.exists():
            authors = list(User.objects.filter(username__startswith="coder").values_list("pk", flat=True))
            User.objects.filter(username="bench-curator").delete()
        else:
            authors = seed(n_articles, n_annotations)
        seed_extras(authors)
        seeded = time.perf_counter() - began
        print(
            f"database: {connection.vendor}; {Article.objects.count():,} articles, "
            f"{Annotation.all_objects.count():,} annotations; seeded in {seeded:.0f} s"
        )
        client = Client()
        client.force_login(User.objects.get(pk=authors[0]))
        curator = User.objects.create_superuser("bench-curator", password="bench-password-123")
        admin_client = Client()
        admin_client.force_login(curator)
        reader_id = (
            Annotation.objects.filter(article_id__gte=n_articles // 2)
            .values_list("article_id", flat=True)
            .first()
        )
        n_reader = Annotation.objects.filter(article_id=reader_id).count()
        print(f"reading page: article {reader_id}, {n_reader} annotations; {RUNS} runs per page, median")
        target = 100 if connection.vendor == "postgresql" else 150
        load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load} on {os.cpu_count()} cores")
        print(
            f"{'page':46} {'wall ms':>8} {'CPU ms':>7} {'SQL ms':>7} {'queries':>7} {'KB':>6}  (target < {target} ms)"
        )
        for name, url in pages(reader_id):
            who = admin_client if url.startswith(("/admin/", "/coding/batches/")) else client  # curators
            ms, cpu, sql, queries, size = measure(who, url)
            print(f"{name:46} {ms:8.1f} {cpu:7.1f} {sql:7.1f} {queries:7d} {size / 1024:6.1f}")
    finally:
        if keep:
            connection.close()
            connection.settings_dict["NAME"] = old_name
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument(
        "--growth", action="store_true", help="10,000, 100,000, 300,000 articles (10 annotations each)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the seeded database and reuse it next time")
    args = parser.parse_args()
    setup_test_environment()
    sizes = (
        [(n, n * 10) for n in (10_000, 100_000, 300_000)]
        if args.growth
        else [(args.articles, args.annotations)]
    )
    for n_articles, n_annotations in sizes:
        run(n_articles, n_annotations, keep=args.keep)


if __name__ == "__main__":
    main()
