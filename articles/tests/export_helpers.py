"""Making annotations and reading exports back, for the export and import tests."""

import csv
import io

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Label
from articles.spans.offsets import context_around

EMOJI_TEXT = (
    "Emoji 😀 report\n\n"
    "The 🇵🇰 delegation 🎉 said the talks were “productive” 😀 and would resume.\n\n"
    "=SUM(A1) is how one critic put it; -40% said another; @desk noted it."
)


def make_article(text=EMOJI_TEXT, **fields):
    article, _ = store_article(ingest(text), **fields)
    return article


def annotate(article, phrase, author, *, label="factual", occurrence=0, **extra):
    """Annotate the `occurrence`-th `phrase` in the article, straight through the model."""
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
        **extra,
    )


def many_annotations(article, author, count):
    """`count` annotations on the article's first word, created in one query."""
    label = Label.objects.get(name="opinion")
    word = article.body.split()[0]
    start = article.body.index(word)
    Annotation.objects.bulk_create(
        Annotation(
            article=article, label=label, author=author, start=start, end=start + len(word), quote=word
        )
        for _ in range(count)
    )


def csv_records(text):
    """Rows of an exported CSV as dicts, read strictly (RFC 4180), BOM tolerated."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True))
