"""Coding speed: agreement over 1,000 articles × 2 coders × 30 spans each, and the My work
page of an analyst with 10,000 assignments; with their SQL query counts at two sizes.

Runs in a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set).
"""

import os
import random
import statistics
import sys
import time
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from articles.coding.agreement import agreement_report  # noqa: E402
from articles.coding.batch_agreement import batch_documents, batch_report, codebook_and_kinds  # noqa: E402
from articles.coding.batches import create_batch  # noqa: E402
from articles.models import Annotation, Article, Attribution, Category, Label, content_hash  # noqa: E402

ARTICLES = 1_000
SPANS = 30
QUEUE = 10_000
RUNS = 20
WORDS = ["the", "official", "said", "that", "Pakistan", "military", "drone", "strike", "report", "partner"]


def user(name, role):
    person = User.objects.create_user(name, password="bench-password-123")
    person.groups.add(Group.objects.get(name=role))
    return person


def seed_articles(rng, count):
    articles = []
    for i in range(count):
        body = f"Story {i}\n\n" + " ".join(rng.choice(WORDS) for _ in range(500))
        articles.append(Article(title=f"Story {i}", body=body, content_hash=content_hash(body)))
    return Article.objects.bulk_create(articles, batch_size=1000)


def seed_spans(rng, articles, coders):
    labels = list(Label.objects.select_related("category"))
    rows = []
    for article in articles:
        text = article.body
        # The second coder follows the first most of the time, with shifted boundaries
        # and other labels now and then, so the figures are neither 0 nor 1.
        first = []
        for _ in range(SPANS):
            start = rng.randrange(0, len(text) - 120)
            first.append((start, start + rng.randint(5, 120), rng.choice(labels), rng.randint(1, 3)))
        for n, coder in enumerate(coders):
            for start, end, label, intensity in first:
                if n and rng.random() < 0.3:
                    start = max(0, start + rng.randint(-10, 10))
                    end = max(start + 1, end + rng.randint(-10, 10))
                if n and rng.random() < 0.15:
                    label = rng.choice(labels)
                if n and rng.random() < 0.3:
                    intensity = max(1, min(3, intensity + rng.choice((-1, 1))))
                tone = label.category.kind == Category.TONE
                rows.append(
                    Annotation(
                        article=article,
                        label=label,
                        author=coder,
                        start=start,
                        end=end,
                        quote=text[start:end],
                        tone_intensity=intensity if tone else None,
                    )
                )
    Annotation.objects.bulk_create(rows, batch_size=5000)
    # Each coder links each of their claims on an article to one of their sources there,
    # the second coder mostly to the same one (the figures are neither 0 nor 1).
    links, groups = [], {}
    for row in rows:
        groups.setdefault((row.article_id, row.author_id, row.label.category.kind), []).append(row)
    for (article_id, author_id, kind), claims in groups.items():
        sources = groups.get((article_id, author_id, Category.SOURCE), [])
        if kind != Category.CLAIM or not sources:
            continue
        for i, claim in enumerate(claims):
            pick = i if rng.random() < 0.8 else rng.randrange(len(sources))
            links.append(Attribution(claim=claim, source=sources[pick % len(sources)], author_id=author_id))
    Attribution.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    return len(rows), len(links)


def timed(function, runs, cpu=None):
    """Wall-clock milliseconds per run; with `cpu` (a list), this process's CPU milliseconds
    too, which a machine shared with other work inflates far less."""
    timings = []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        function()
        timings.append((time.perf_counter() - began) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - began_cpu) * 1000)
    return timings


def queries_of(function):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        function()
    return len(queries)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        rng = random.Random(11)
        articles = seed_articles(rng, QUEUE)
        alice, bob, queue = user("alice", "Annotator"), user("bob", "Annotator"), user("queue", "Annotator")
        curator = user("curator", "Curator")
        span_count, link_count = seed_spans(rng, articles[:ARTICLES], [alice, bob])
        common = {"coders_per_article": 2, "blind": True, "seed": 1}
        big = create_batch(
            name="agreement", article_ids=[a.pk for a in articles[:ARTICLES]], analysts=[alice, bob], **common
        )
        small = create_batch(
            name="small", article_ids=[a.pk for a in articles[:10]], analysts=[alice, bob], **common
        )
        one = {"coders_per_article": 1, "blind": True, "seed": 1}
        create_batch(name="queue", article_ids=[a.pk for a in articles], analysts=[queue], **one)
        lonely = user("lonely", "Annotator")
        create_batch(name="few", article_ids=[a.pk for a in articles[:100]], analysts=[lonely], **one)

        documents = batch_documents(big)
        book, kinds = codebook_and_kinds()
        pure_cpu, whole_cpu = [], []
        pure = timed(lambda: agreement_report(documents, book, kinds), 3, pure_cpu)
        whole = timed(lambda: batch_report(big), 3, whole_cpu)
        print(
            f"database: {connection.vendor}; {ARTICLES} articles × 2 coders, {span_count} spans "
            f"(tone ones with an intensity), {link_count} claim → source links"
        )
        print(
            f"agreement (agreement.py on loaded data): median {statistics.median(pure):.0f} ms "
            f"(CPU {statistics.median(pure_cpu):.0f} ms)  target < 5,000 ms"
        )
        print(
            f"agreement (batch_report: load + compute): median {statistics.median(whole):.0f} ms "
            f"(CPU {statistics.median(whole_cpu):.0f} ms)"
        )

        client = Client()
        client.force_login(curator)
        page_ms = timed(lambda: client.get(f"/coding/batches/{big.pk}/agreement/"), 3)
        print(f"agreement page, {ARTICLES} articles: median {statistics.median(page_ms):.0f} ms")
        print(
            f"agreement page SQL queries: {queries_of(lambda: client.get(f'/coding/batches/{small.pk}/agreement/'))}"
            f" with 10 articles, {queries_of(lambda: client.get(f'/coding/batches/{big.pk}/agreement/'))}"
            f" with {ARTICLES}"
        )

        client.force_login(queue)
        client.get("/coding/mine/")
        mine_cpu = []
        mine = timed(lambda: client.get("/coding/mine/"), RUNS, mine_cpu)
        last = timed(lambda: client.get("/coding/mine/?page=200"), RUNS)
        print(
            f"My work, {QUEUE:,} assignments: median {statistics.median(mine):.1f} ms first page, "
            f"{statistics.median(last):.1f} ms last page over {RUNS} (first page CPU "
            f"{statistics.median(mine_cpu):.1f} ms)  target < 100 ms"
        )
        big_queries = queries_of(lambda: client.get("/coding/mine/"))
        client.force_login(lonely)
        few_queries = queries_of(lambda: client.get("/coding/mine/"))
        print(f"My work SQL queries: {few_queries} with 100 assignments, {big_queries} with {QUEUE:,}")

        client.force_login(alice)
        reader = timed(lambda: client.get(f"/articles/{articles[0].pk}/"), RUNS)
        print(
            f"reading page of a blind-batch article ({SPANS} own spans, {SPANS} hidden): "
            f"median {statistics.median(reader):.1f} ms, "
            f"{queries_of(lambda: client.get(f'/articles/{articles[0].pk}/'))} queries"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
