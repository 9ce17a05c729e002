"""Hand-built coverage for the analytics tests, made straight through the ORM.

`coverage(author)` builds two outlets whose every figure the tests compute by hand;
the comments say what each annotation is for.
"""

import itertools
from datetime import UTC, date, datetime

from django.utils import timezone

from articles.models import Annotation, Article, Attribution, Label, Source, content_hash

_numbers = itertools.count()
BODY = "x" * 400


def make_article(outlet, *, published=None, created=None, title=None):
    number = next(_numbers)
    body = f"Article {number}. {BODY}"
    return Article.objects.create(
        title=title or f"Article {number}",
        outlet=outlet,
        published=published,
        body=body,
        content_hash=content_hash(body),
        created_at=created or datetime(2026, 1, 1, 12, tzinfo=UTC),
    )


def tag(article, label, author, *, status="pending", deleted=False, **fields):
    """An annotation of `label` (by name) on its own stretch of the article."""
    start = next(_numbers) % 300
    return Annotation.objects.create(
        article=article,
        label=Label.objects.get(name=label),
        author=author,
        start=start,
        end=start + 5,
        quote="xxxxx",
        status=status,
        deleted_at=timezone.now() if deleted else None,
        **fields,
    )


def link(claim, source, form="indirect"):
    return Attribution.objects.create(claim=claim, source=source, form=form, author=claim.author, cue="said")


def entity(name, source_type, **fields):
    return Source.objects.create(name=name, source_type=source_type, **fields)


class Coverage:
    """Two outlets, "Alpha Post" and "Beta Times", coded by hand (see coverage())."""


def coverage(author):
    c = Coverage()
    c.obama = entity("Barack Obama", Source.GOVERNMENT, affiliation="US government", country="United States")
    c.officer = entity("a senior military official", Source.MILITARY, affiliation="Pakistani military",
                       country="Pakistan", anonymous=True)  # fmt: skip
    c.expert = entity("Bruce Riedel", Source.EXPERT, affiliation="Brookings", country="United States")

    # Alpha Post, A1: published in March.
    c.a1 = a1 = make_article("Alpha Post", published=date(2026, 3, 5))
    c.s1 = tag(a1, "named person", author, source_entity=c.obama, anonymity="named")
    c.s2 = tag(a1, "anonymous source", author, source_entity=c.officer, anonymity="anonymous")
    c.s3 = tag(a1, "named person", author, source_entity=c.obama, anonymity="named", status="rejected")
    c.c1 = tag(a1, "factual", author)  # → s1, direct
    c.c2 = tag(a1, "opinion", author)  # → s2 (anonymous military official), direct
    c.c3 = tag(a1, "factual", author, own_voice=True)
    c.c4 = tag(a1, "factual", author)  # → s3 only, which is rejected: not attributed
    c.c5 = tag(a1, "factual", author, status="rejected")
    c.c6 = tag(a1, "prediction", author, deleted=True)  # → s1, but deleted
    link(c.c1, c.s1, "direct")
    link(c.c2, c.s2, "direct")
    link(c.c4, c.s3, "direct")
    link(c.c6, c.s1, "direct")
    c.t1 = tag(a1, "negative", author, tone_intensity=3, tone_target_text="the U.S.", status="accepted")
    c.t2 = tag(a1, "negative", author, tone_intensity=1, tone_target_text=" The U.S. ")
    c.t3 = tag(a1, "positive", author, tone_intensity=2, tone_target_entity=c.obama)
    c.t4 = tag(a1, "neutral", author)  # no intensity: counted, not scored
    c.t5 = tag(a1, "positive", author, tone_intensity=3, tone_target_text="the U.S.", deleted=True)

    # Alpha Post, A2: no published date, added in April.
    c.a2 = a2 = make_article("Alpha Post", created=datetime(2026, 4, 10, 9, tzinfo=UTC))
    c.s4 = tag(a2, "named person", author, source_entity=c.obama, anonymity="named", status="accepted")
    c.c7 = tag(a2, "factual", author, status="accepted")  # → s4, indirect
    c.c8 = tag(a2, "opinion", author, own_voice=True)
    link(c.c7, c.s4, "indirect")

    # Beta Times, B1: published in March.
    c.b1 = b1 = make_article("Beta Times", published=date(2026, 3, 20))
    c.s5 = tag(b1, "anonymous source", author, anonymity="anonymous", status="accepted")  # no entity
    c.s6 = tag(b1, "named person", author, source_entity=c.expert, anonymity="named")
    c.s7 = tag(b1, "named person", author, source_entity=c.obama, anonymity="named")  # cited by no claim
    c.c9 = tag(b1, "factual", author, status="accepted")  # → s5 paraphrase, → s6 direct
    link(c.c9, c.s5, "paraphrase")
    link(c.c9, c.s6, "direct")
    c.t6 = tag(b1, "positive", author, tone_intensity=1, tone_target_text="the U.S.", status="accepted")

    # Beta Times, B2: only a rejected claim, so not a coded article.
    c.b2 = make_article("Beta Times", published=date(2026, 3, 21))
    tag(c.b2, "factual", author, status="rejected")
    return c
