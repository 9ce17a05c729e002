"""Reading-page speed: a 10,000-word article with 1,000 annotations, many overlapping,
and 400 claim → source attribution links.

Prints the server time to render the reading page (median of 20), its SQL query count,
and the median time of an annotation-create request. Runs in a throwaway test database
(SQLite, or PostgreSQL when DATABASE_URL is set), never in the developer's data.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
# Measure with production settings (DEBUG off: no query log, no debug toolbar of Django's).
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.update(HTTPS="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")

import warnings  # noqa: E402

import django  # noqa: E402

# Whitenoise warns that collectstatic has not run; irrelevant to these figures.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from articles.ingest.pipeline import ingest, store_article  # noqa: E402
from articles.models import Annotation, Attribution, Label  # noqa: E402
from articles.spans.offsets import codepoint_to_utf16, context_around  # noqa: E402

WORDS = 10_000
ANNOTATIONS = 1_000
LINKS = 400
RUNS = 20


def make_text(rng):
    vocabulary = [
        "the",
        "official",
        "said",
        "that",
        "👍",
        "Pakistan",
        "military",
        "coalition",
        "partner",
        "drone",
        "strike",
        "ISI",
        "Haqqani",
        "network",
        "“claims”",
        "—",
        "report",
    ]
    paragraphs, words = [], 0
    while words < WORDS:
        n = rng.randint(40, 120)
        paragraphs.append(" ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + ".")
        words += n
    return "Benchmark article\n\n" + "\n\n".join(paragraphs)


def seed(rng):
    article, _ = store_article(ingest(make_text(rng)))
    author = User.objects.create_user("bench", password="bench-password-123")
    author.groups.add(Group.objects.get(name="Annotator"))
    labels = list(Label.objects.all())
    text = article.body
    rows = []
    for _ in range(ANNOTATIONS):
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randint(5, 400)  # long spans overlap each other a lot
        prefix, suffix = context_around(text, start, end)
        rows.append(
            Annotation(
                article=article,
                label=rng.choice(labels),
                author=author,
                start=start,
                end=end,
                quote=text[start:end],
                prefix=prefix,
                suffix=suffix,
                note="bench",
            )
        )
    Annotation.objects.bulk_create(rows)
    return article, author


def link(rng, article, author):
    """LINKS attribution links between the article's claim and source spans."""
    spans = Annotation.objects.filter(article=article)
    claims = list(spans.filter(label__category__kind="claim").values_list("pk", flat=True))
    sources = list(spans.filter(label__category__kind="source").values_list("pk", flat=True))
    pairs = set()
    while len(pairs) < LINKS:
        pairs.add((rng.choice(claims), rng.choice(sources)))
    Attribution.objects.bulk_create(
        Attribution(claim_id=claim, source_id=source, author=author, cue="said", form="direct")
        for claim, source in sorted(pairs)
    )


def count_queries(client, url):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    return len(queries)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        rng = random.Random(7)
        article, author = seed(rng)
        client = Client()
        client.force_login(author)
        url = f"/articles/{article.pk}/"
        client.get(url)  # warm caches, templates
        queries_without_links = count_queries(client, url)
        link(rng, article, author)

        timings, cpu_timings = [], []
        for _ in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            cpu_timings.append((time.process_time() - began_cpu) * 1000)
            assert response.status_code == 200
        plain_bytes = len(client.get(url).content)
        gzip_bytes = len(client.get(url, headers={"accept-encoding": "gzip"}).content)
        queries = count_queries(client, url)

        text = article.body
        label = Label.objects.get(name="factual")
        create_timings = []
        for i in range(RUNS):
            start = text.index(" ", 1000 + i * 50) + 1
            end = start + 20
            data = {
                "label": label.pk,
                "start": codepoint_to_utf16(text, start),
                "end": codepoint_to_utf16(text, end),
                "quote": text[start:end],
            }
            began = time.perf_counter()
            response = client.post(
                f"/articles/{article.pk}/annotations/", data, headers={"HX-Request": "true"}
            )
            create_timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content[:200]

        words = len(text.split())
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(
            f"database: {connection.vendor}; article: {words} words, {len(text)} characters; "
            f"{Annotation.objects.filter(article=article).count()} annotations, "
            f"{Attribution.objects.filter(claim__article=article).count()} attribution links"
        )
        print(
            f"reading page render: median {statistics.median(timings):.1f} ms over {RUNS} "
            f"(min {min(timings):.1f}, max {max(timings):.1f}), CPU median {statistics.median(cpu_timings):.1f} ms"
            "  target < 50 ms"
        )
        print(f"reading page SQL queries: {queries} (without attribution links: {queries_without_links})")
        print(f"reading page size: {plain_bytes / 1024:.0f} KB, {gzip_bytes / 1024:.0f} KB gzipped")
        print(
            f"annotation create (swaps the touched paragraphs and one panel item): median {statistics.median(create_timings):.1f} ms "
            f"over {RUNS}  target < 30 ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
