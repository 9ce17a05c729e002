"""Sources page speed: 5,000 entities and 100,000 citations (source annotations naming
them) across 2,000 articles, with 20,000 claims attributed to them.

Prints the server time to render the Sources page (first page, a late page, a search),
an entity page and the reader's source suggestions (median of 20) and their SQL query counts. Runs in a throwaway test
database (SQLite, or PostgreSQL when DATABASE_URL is set), never in the developer's data.
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

from articles.models import Annotation, Article, Attribution, Label, Source  # noqa: E402
from articles.models import content_hash as hash_of  # noqa: E402

ENTITIES = int(os.environ.get("BENCH_ENTITIES", 5_000))
CITATIONS = int(os.environ.get("BENCH_CITATIONS", 100_000))
ARTICLES = 2_000
LINKS = 20_000
RUNS = 20
BATCH = 5_000
OUTLETS = ["ABC News", "Reuters", "Dawn", "The Hindu", "Al Jazeera", "BBC", "AP", "Le Monde"]
TYPES = [choice for choice, _ in Source.TYPE_CHOICES]


def seed(rng):
    author = User.objects.create_user("bench", password="bench-password-123")
    author.groups.add(Group.objects.get(name="Annotator"))
    body = "The official said the talks had failed. Officials say otherwise."
    articles = Article.objects.bulk_create(
        Article(
            title=f"Story {i}",
            outlet=OUTLETS[i % len(OUTLETS)],
            body=f"{body} ({i})",
            content_hash=hash_of(f"{body} ({i})"),
            added_by=author,
        )
        for i in range(ARTICLES)
    )
    entities = Source.objects.bulk_create(
        Source(
            name=f"{rng.choice(['Ahmed', 'Maria', 'John', 'Li', 'Fatima'])} {i:05d}",
            aliases=f"Official {i}",
            source_type=rng.choice(TYPES),
            affiliation=rng.choice(["Pakistani military", "U.S. State Department", "ISI", ""]),
        )
        for i in range(ENTITIES)
    )
    source_label = Label.objects.get(name="anonymous source")
    claim_label = Label.objects.get(name="factual")
    sources = []
    for start in range(0, CITATIONS, BATCH):
        sources += Annotation.objects.bulk_create(
            [
                Annotation(
                    article=rng.choice(articles),
                    label=source_label,
                    author=author,
                    start=0,
                    end=12,
                    quote="The official",
                    source_entity=rng.choice(entities),
                    anonymity="anonymous",
                )
                for _ in range(min(BATCH, CITATIONS - start))
            ]
        )
    picked = rng.sample(sources, LINKS)
    claims = Annotation.objects.bulk_create(
        [
            Annotation(
                article_id=source.article_id,
                label=claim_label,
                author=author,
                start=13,
                end=37,
                quote="said the talks had faile",
            )
            for source in picked
        ],
        batch_size=BATCH,
    )
    Attribution.objects.bulk_create(
        [
            Attribution(claim=claim, source=source, author=author, cue="said")
            for claim, source in zip(claims, picked, strict=True)
        ],
        batch_size=BATCH,
    )
    return author, entities


def timed(client, url, params=None):
    client.get(url, params)  # warm
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url, params)
    return statistics.median(timings), len(queries)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        rng = random.Random(11)
        began = time.perf_counter()
        author, entities = seed(rng)
        seeded = time.perf_counter() - began
        client = Client()
        client.force_login(author)
        busiest = max(entities[:200], key=lambda e: Annotation.objects.filter(source_entity=e).count())
        article = Annotation.objects.filter(source_entity=busiest).first().article
        print(
            f"database: {connection.vendor}; {Source.objects.count()} entities, "
            f"{Annotation.objects.filter(source_entity__isnull=False).count()} citations, "
            f"{Attribution.objects.count()} links, {Article.objects.count()} articles (seeded in {seeded:.0f} s)"
        )
        for label, url, params in [
            ("Sources page, first page", "/sources/", None),
            ("Sources page, page 80", "/sources/", {"page": 80}),
            ("Sources page, search 'maria'", "/sources/", {"q": "maria"}),
            (f"entity page ({busiest.name})", f"/sources/{busiest.pk}/", None),
            # The reader's autocomplete, asked at each keystroke (ranked by use).
            ("suggestions, nothing typed yet", "/sources/suggest/", {"q": "", "article": article.pk}),
            ("suggestions for 'ma'", "/sources/suggest/", {"q": "ma", "article": article.pk}),
        ]:
            median, queries = timed(client, url, params)
            print(f"{label}: median {median:.1f} ms over {RUNS}, {queries} SQL queries  target < 100 ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
