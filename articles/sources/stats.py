"""How much each source entity is used: articles, citations, claims, outlets, first and
last seen. Computed for a given page (or batch) of entities only, never the whole table:
three grouped queries whatever the batch size, each on the annotation's source_entity index.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, Max, Min, Q
from django.db.models.functions import Cast, Coalesce

from articles.models import Annotation
from articles.permissions import visible_condition


@dataclass
class EntityStats:
    articles: int = 0
    citations: int = 0
    claims: int = 0
    outlets: list = field(default_factory=list)
    first_seen: date | None = None
    last_seen: date | None = None


def _seen():
    # An article's publication date, else the day it was added.
    return Coalesce("article__published", Cast("article__created_at", DateField()))


def entity_stats(entity_ids, annotations=None, user=None):
    """{entity id: EntityStats} over live source annotations (within `annotations`, an
    Annotation queryset, when given), counting only what `user`, when given, may see."""
    entity_ids = list(entity_ids)
    stats = {entity_id: EntityStats() for entity_id in entity_ids}
    if not entity_ids:
        return stats
    cited = Annotation.objects.filter(source_entity_id__in=entity_ids)
    if user is not None:
        cited = cited.filter(visible_condition(user))
    if annotations is not None:
        within = annotations.order_by().values("pk")
        cited = cited.filter(pk__in=within)
    for row in (
        cited.order_by()
        .values("source_entity_id")
        .annotate(
            citations=Count("id"),
            articles=Count("article_id", distinct=True),
            first=Min(_seen()),
            last=Max(_seen()),
        )
    ):
        entry = stats[row["source_entity_id"]]
        entry.citations, entry.articles = row["citations"], row["articles"]
        entry.first_seen, entry.last_seen = row["first"], row["last"]
    # Counted from the citations (which the entity index finds), through their links to
    # live claims; starting from the links would walk every live claim first.
    live_claims = Q(citations__claim__deleted_at__isnull=True)
    if user is not None:
        live_claims &= visible_condition(user, prefix="citations__claim__")
    if annotations is not None:
        live_claims &= Q(citations__claim__in=annotations.order_by().values("pk"))
    for entity_id, claims in (
        cited.order_by()
        .values("source_entity_id")
        .annotate(claims=Count("citations__claim_id", filter=live_claims, distinct=True))
        .values_list("source_entity_id", "claims")
    ):
        stats[entity_id].claims = claims
    for entity_id, outlet in (
        cited.exclude(article__outlet="")
        .order_by("source_entity_id", "article__outlet")
        .values_list("source_entity_id", "article__outlet")
        .distinct()
    ):
        stats[entity_id].outlets.append(outlet)
    return stats
