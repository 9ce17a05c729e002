"""Helpers for the coding tests: batches and annotations made directly."""

from articles.coding.batches import create_batch
from articles.models import Annotation, Label
from articles.spans.offsets import context_around


def make_batch(articles, analysts, *, blind=True, per_article=None, name="Batch 1", seed=1, **extra):
    return create_batch(
        name=name,
        article_ids=[a.pk for a in articles],
        analysts=list(analysts),
        coders_per_article=per_article or len(analysts),
        blind=blind,
        seed=seed,
        **extra,
    )


def annotate(article, author, phrase, label="factual", occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(phrase, start + 1)
    end = start + len(phrase)
    prefix, suffix = context_around(article.body, start, end)
    return Annotation.objects.create(
        article=article,
        label=Label.objects.get(name=label),
        author=author,
        start=start,
        end=end,
        quote=phrase,
        prefix=prefix,
        suffix=suffix,
    )
