"""A batch's agreement: its coders' annotations as articles/coding/agreement.py wants
them, and the report's tables as rows for the page, CSV and JSON (no HTTP)."""

import csv
import io
import json

from django.contrib.auth import get_user_model

from articles.coding.models import Assignment, BatchArticle, CodingBatch
from articles.exchange.writers import escape_cell
from articles.guards.values import parse_id
from articles.models import Annotation, Article, Attribution, Category, Label

LOWEST_SHOWN = 10
TABLES = ("labels", "pairs", "articles")


def codebook():
    """[(category name, [(label id, label name)])] in codebook order."""
    return codebook_and_kinds()[0]


def codebook_and_kinds():
    """The codebook, and {category name: kind} for the rows of link F1 and α ordinal."""
    labels = {}
    for label in Label.objects.select_related("category").order_by("category__order", "order", "name"):
        labels.setdefault(label.category_id, []).append((label.pk, label.name))
    categories = [c for c in Category.objects.order_by("order", "name") if c.pk in labels]
    return [(c.name, labels[c.pk]) for c in categories], {c.name: c.kind for c in categories}


def batch_documents(batch):
    """One Document per article of the batch: its assigned coders, their live annotations
    (with tone intensity) and their live claim → source links.

    Gold annotations (made by adjudication) are not a coder's work and are left out. A link
    is the claim's coder's when its source is that coder's span too (a coder links their
    own spans; one across two coders' spans is nobody's coding). Four queries, whatever
    the batch's size.
    """
    from articles.coding.agreement import Document, Link, Span, tokenize  # numpy: load on use

    coders = {}
    for article_id, analyst_id in Assignment.objects.filter(batch=batch).values_list(
        "article_id", "analyst_id"
    ):
        coders.setdefault(article_id, []).append(analyst_id)
    spans, by_pk = {}, {}
    annotations = Annotation.objects.filter(
        article__batch_articles__batch=batch, author_id__in=batch.analysts.values("pk"), gold__isnull=True
    ).values_list("pk", "article_id", "author_id", "label_id", "start", "end", "tone_intensity")
    for pk, article_id, author_id, label_id, start, end, intensity in annotations.iterator(chunk_size=10_000):
        span = Span(author_id, label_id, start, end, intensity)
        spans.setdefault(article_id, []).append(span)
        by_pk[pk] = (article_id, span)
    # Both ends must be among the spans just read (live, a coder's, not gold). Two integers
    # a link: read at once, since a server-side cursor's fast-start plan can be far slower.
    links = {}
    attributions = (
        Attribution.objects.filter(
            claim__article__batch_articles__batch=batch, claim__author_id__in=batch.analysts.values("pk")
        )
        .order_by()
        .values_list("claim_id", "source_id")
    )
    for claim_id, source_id in attributions:
        claim, source = by_pk.get(claim_id), by_pk.get(source_id)
        if claim and source and claim[0] == source[0] and claim[1].coder == source[1].coder:
            links.setdefault(claim[0], []).append(Link(claim[1].coder, claim[1], source[1]))
    documents = []
    article_ids = BatchArticle.objects.filter(batch=batch).values("article_id")
    for article_id, body in (
        Article.objects.filter(pk__in=article_ids)
        .order_by("pk")
        .values_list("pk", "body")
        .iterator(chunk_size=200)
    ):
        documents.append(
            Document(
                key=article_id,
                length=len(body),
                coders=tuple(sorted(coders.get(article_id, ()))),
                spans=tuple(spans.get(article_id, ())),
                tokens=tokenize(body),
                links=tuple(links.get(article_id, ())),
            )
        )
    return documents


def batch_report(batch):
    from articles.coding.agreement import agreement_report  # numpy: load on use

    labels, kinds = codebook_and_kinds()
    report = agreement_report(batch_documents(batch), labels, kinds)
    users = dict(
        get_user_model().objects.filter(pk__in=batch.analysts.values("pk")).values_list("pk", "username")
    )
    lowest = report.documents[:LOWEST_SHOWN]
    titles = dict(Article.objects.filter(pk__in=[d.key for d in lowest]).values_list("pk", "title"))
    return {
        "labels": [
            {
                "category": row.category,
                "label": row.label,
                "n": row.n,
                "alpha_u": row.alpha_u,
                "alpha_nominal": row.alpha_nominal,
                "f1_exact": row.f1_exact,
                "f1_overlap": row.f1_overlap,
                "alpha_ordinal": row.alpha_ordinal,
                "link_f1": row.link_f1,
            }
            for row in report.rows
        ],
        "pairs": [
            {
                "coder_a": users.get(pair.coder_a, pair.coder_a),
                "coder_b": users.get(pair.coder_b, pair.coder_b),
                "articles": pair.documents,
                "alpha_u": pair.alpha_u,
                "f1_exact": pair.f1_exact,
                "f1_overlap": pair.f1_overlap,
                "link_f1": pair.link_f1,
            }
            for pair in report.pairs
        ],
        "articles": [
            {
                "article_id": row.key,
                "title": titles.get(row.key, ""),
                "coders": ";".join(str(users.get(c, c)) for c in row.coders),
                "spans": row.spans,
                "f1_overlap": row.f1_overlap,
                "link_f1": row.link_f1,
            }
            for row in lowest
        ],
    }


def table_csv(rows):
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return escape_cell(value) if isinstance(value, str) else value


def find_batch(value):
    """A batch by number or by name; None if there is none."""
    value = str(value).strip()
    if (batch_id := parse_id(value)) is not None:
        return CodingBatch.objects.filter(pk=batch_id).first()
    return CodingBatch.objects.filter(name=value).first()


def report_json(report):
    return json.dumps(report, ensure_ascii=False, indent=2)
