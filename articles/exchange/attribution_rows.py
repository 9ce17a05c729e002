"""The export's attribution columns, and the rows of the `attributions` and `sources` exports.

The annotation rows get their links from one correlated subquery per row (an index probe
on the claim), so the export stays one streamed query; entity and tone columns are joins.
"""

import uuid

from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Coalesce, NullIf

from articles.exchange.writers import COLUMN_INDEX, LINK_SEPARATOR, OWN_VOICE, iso_utc
from articles.models import Attribution, Source
from articles.sources.stats import entity_stats

ATTRIBUTED_TO, CUE, FORM = (
    COLUMN_INDEX[name] for name in ("attributed_to", "attribution_cue", "attribution_form")
)
# Inside the links string: fields split by the unit separator, links by the record separator.
UNIT, RECORD = "\x1f", "\x1e"

_LINKS_FROM = (
    "FROM articles_attribution a JOIN articles_annotation s ON s.id = a.source_id "
    'WHERE a.claim_id = "articles_annotation"."id" AND s.deleted_at IS NULL'
)
_ORDER = 's.start, s."end", s.id'


class LinksOfClaim(RawSQL):
    """Source UUID, cue and form of each live link of the row's claim, in the sources' text
    order, as one string (NULL without links)."""

    def __init__(self):
        super().__init__("", (), output_field=TextField())

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            fields = "s.uuid::text || chr(31) || a.cue || chr(31) || a.form"
            sql = f"(SELECT string_agg({fields}, chr(30) ORDER BY {_ORDER}) {_LINKS_FROM})"  # noqa: S608
        else:
            # SQLite's group_concat has no ORDER BY before 3.44; it follows its input's order.
            inner = f"SELECT s.uuid || char(31) || a.cue || char(31) || a.form AS x {_LINKS_FROM}"
            sql = f"(SELECT group_concat(x, char(30)) FROM ({inner} ORDER BY {_ORDER}))"  # noqa: S608
        # Constant SQL: no values from outside go into it.
        return sql, ()


# In CSV column order from `kind` on (see writers.CSV_COLUMNS). attribution_cue is filled
# in Python from the links string; attribution_form holds "own_voice" until then.
ATTRIBUTION_LOOKUPS = (
    "label__category__kind",
    LinksOfClaim(),
    Value(None, output_field=TextField()),
    Case(When(own_voice=True, then=Value(OWN_VOICE)), default=None, output_field=TextField()),
    # A source's entity, or a tone's target entity.
    Coalesce("source_entity_id", "tone_target_entity_id"),
    Coalesce("source_entity__name", "tone_target_entity__name"),
    Coalesce("source_entity__source_type", "tone_target_entity__source_type"),
    NullIf("anonymity", Value("")),
    "tone_intensity",
    ExpressionWrapper(F("label__polarity") * F("tone_intensity"), output_field=IntegerField()),
    Coalesce("tone_target_entity__name", NullIf("tone_target_text", Value(""))),
)


def fill_links(row):
    """The row with attributed_to, attribution_cue and attribution_form from its links string."""
    row = list(row)
    links = [link.split(UNIT) for link in row[ATTRIBUTED_TO].split(RECORD)]
    row[ATTRIBUTED_TO] = LINK_SEPARATOR.join(str(uuid.UUID(source)) for source, _, _ in links)
    row[CUE] = LINK_SEPARATOR.join(cue for _, cue, _ in links)
    row[FORM] = LINK_SEPARATOR.join(form for _, _, form in links)
    return tuple(row)


ATTRIBUTION_LOOKUPS_OF_LINK = (
    "uuid",
    "claim__article_id",
    "claim__article__title",
    "claim__article__outlet",
    "claim__uuid",
    "claim__quote",
    "source__uuid",
    "source__quote",
    "source__source_entity_id",
    "source__source_entity__name",
    "source__source_entity__source_type",
    "source__anonymity",
    "cue",
    "form",
    "author__username",
    "created_at",
    "updated_at",
    "claim__start",
    "claim__end",
    "claim__prefix",
    "claim__suffix",
    "source__start",
    "source__end",
    "source__prefix",
    "source__suffix",
)
_UUIDS = (0, 4, 6)
_TIMES = (15, 16)


def links_for_export(annotations):
    """Live links whose claim and source are both among `annotations`, in the claims' text order."""
    within = annotations.order_by().values("pk")
    return (
        Attribution.objects.live()
        .filter(claim__in=within, source__in=within)
        .order_by("claim__article_id", "claim__start", "claim__end", "claim_id", "source__start", "source_id")
    )


def attribution_rows(annotations):
    """writers.ATTRIBUTION_COLUMNS rows, streamed."""
    for row in (
        links_for_export(annotations).values_list(*ATTRIBUTION_LOOKUPS_OF_LINK).iterator(chunk_size=2000)
    ):
        row = list(row)
        for index in _UUIDS:
            row[index] = str(row[index])
        for index in _TIMES:
            row[index] = iso_utc(row[index])
        row[11] = row[11] or None
        yield tuple(row)


ENTITY_BATCH = 500


def source_rows(annotations):
    """writers.SOURCE_COLUMNS rows: every entity the annotations cite or target, by name,
    with its use within them; a few queries per batch of entities."""
    within = annotations.order_by().values("pk")
    entities = (
        Source.objects.filter(
            Q(annotations__in=within) | Q(tone_targets__in=within),
        )
        .distinct()
        .order_by("name", "id")
        .values_list("id", "name", "aliases", "source_type", "affiliation", "country", "anonymous")
    )
    batch = []
    for entity in entities.iterator(chunk_size=ENTITY_BATCH):
        batch.append(entity)
        if len(batch) >= ENTITY_BATCH:
            yield from _with_stats(batch, annotations)
            batch = []
    yield from _with_stats(batch, annotations)


def _with_stats(batch, annotations):
    stats = entity_stats([entity[0] for entity in batch], annotations)
    for entity_id, name, aliases, source_type, affiliation, country, anonymous in batch:
        use = stats[entity_id]
        yield (
            entity_id,
            name,
            "; ".join(line.strip() for line in aliases.splitlines() if line.strip()),
            source_type,
            affiliation,
            country,
            "yes" if anonymous else "no",
            use.articles,
            use.citations,
            use.claims,
            "; ".join(use.outlets),
            use.first_seen.isoformat() if use.first_seen else None,
            use.last_seen.isoformat() if use.last_seen else None,
        )
