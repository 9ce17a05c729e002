"""What the coverage says, in numbers: per-outlet sourcing, voices and tone.

Pure aggregation: every figure is a GROUP BY in the database, returned as plain rows
(dataclasses of counts). Ratios and means are derived from the counts in Python, so rows
add up: splitting by outlet and summing the parts gives the whole (`merge`).

What counts: live annotations (soft-deleted ones never), never a rejected one, and only
accepted ones when the filter asks for them. A claim → source link counts when its claim
is counted and its source annotation is live and not rejected (accepted, under "accepted
only"); the label and author filters choose the claims, not the sources they cite.

The filters are one dataclass (`Filters`) parsed from a query dict in one place
(`parse_filters`); the web views and the `analytics` command both use it.
"""

from collections import Counter
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, Lower, Trim, TruncDate, TruncMonth, TruncWeek

from articles.analytics import summary
from articles.analytics.models import (
    AnnotationCell,
    EntityTotal,
    LinkCell,
    MonthArticles,
    MonthCell,
    MonthEntityCell,
    MonthLinkCell,
    MonthTargetCell,
    TargetCell,
)  # fmt: skip
from articles.coding.models import BatchArticle, CodingBatch
from articles.guards.values import parse_day, parse_id
from articles.models import Annotation, Article, Category, Label, Source
from articles.permissions import blind_pending_articles, is_curator, visible_condition
from articles.sources.models import Attribution

ALL, ACCEPTED, GOLD = "all", "accepted", "gold"
STATUSES = {ALL: "All but rejected", ACCEPTED: "Accepted only", GOLD: "Gold only"}
WEEK, MONTH = "week", "month"
PERIODS = {WEEK: "Week", MONTH: "Month"}
NO_OUTLET = "(none)"  # how an article without an outlet is named and filtered
ANONYMITIES = [*(key for key, _ in Annotation.ANONYMITY_CHOICES), ""]
ANONYMITY_NAMES = {**dict(Annotation.ANONYMITY_CHOICES), "": "Not recorded"}
SOURCE_TYPES = [*(key for key, _ in Source.TYPE_CHOICES), ""]
SOURCE_TYPE_NAMES = {**dict(Source.TYPE_CHOICES), "": "No entity"}
FORMS = [key for key, _ in Attribution.FORM_CHOICES]
FORM_NAMES = dict(Attribution.FORM_CHOICES)
# Whose word an "anonymous official" is: the state's own voices.
OFFICIAL_TYPES = (Source.GOVERNMENT, Source.MILITARY, Source.INTELLIGENCE, Source.DIPLOMAT)
VOICES_SHOWN = 50
TARGETS_SHOWN = 12


class FilterError(ValueError):
    """A filter value that cannot be used (bad date, unknown label or author…)."""


@dataclass(frozen=True)
class Filters:
    """Which annotations count. Empty tuples and None mean "no restriction"."""

    date_from: date | None = None  # published date, else the date the article was added
    date_to: date | None = None  # inclusive
    outlets: tuple = ()
    label_ids: tuple = ()
    status: str = ALL
    author_ids: tuple = ()
    article_ids: tuple = ()
    batch_ids: tuple = ()  # articles of these coding batches
    # Whose view: a user sees what visible_annotations lets them (blind batches); None is
    # the operator's full view (the `analytics` command). Not part of the URL.
    viewer: object = field(default=None, compare=False)
    blind_only: bool = field(default=False, compare=False)  # internal: see in_articles
    # Voices only: the cited entities' type, affiliation (substring) and country.
    source_types: tuple = ()
    affiliation: str = ""
    country: str = ""
    # Over time only.
    period: str = MONTH
    measure: str = "claims_per_article"

    @property
    def narrowed(self):
        """Whether anything but the view's own choices (period, measure) is set."""
        return any(
            (self.date_from, self.date_to, self.outlets, self.label_ids, self.status != ALL, self.author_ids,
             self.article_ids, self.batch_ids, self.source_types, self.affiliation, self.country)
        )  # fmt: skip

    @property
    def statuses(self):
        return (
            (Annotation.ACCEPTED,) if self.status == ACCEPTED else (Annotation.PENDING, Annotation.ACCEPTED)
        )

    @property
    def full_view(self):
        """Whether the viewer sees every annotation (operator or curator)."""
        return self.viewer is None or is_curator(self.viewer)

    def sees(self, prefix=""):
        """Q: the annotation (reached through `prefix`) is live, not rejected (accepted,
        gold), and visible to the viewer. Applies to claims and to the sources they cite."""
        p = prefix
        query = Q(**{f"{p}deleted_at__isnull": True, f"{p}status__in": self.statuses})
        if self.status == GOLD:
            query &= Q(**{f"{p}gold__isnull": False})
        if not self.full_view and blind_pending_articles().exists():  # else everyone sees everything
            query &= visible_condition(self.viewer, p)
        return query

    def counted(self, annotations, prefix=""):
        """`annotations` (or a queryset reaching them through `prefix`) narrowed to the
        ones that count."""
        p = prefix
        query = self.sees(p)
        if self.label_ids:
            query &= Q(**{f"{p}label_id__in": self.label_ids})
        if self.author_ids:
            query &= Q(**{f"{p}author_id__in": self.author_ids})
        return self.in_articles(annotations.filter(query), f"{p}article")

    def in_articles(self, rows, article):
        """`rows` narrowed to those whose article (the field `article`) the filters choose:
        outlets, dates, articles, batches, and (`blind_only`) the blind, unadjudicated ones."""
        query = Q()
        if self.batch_ids:
            query &= Q(**{f"{article}_id__in": batch_article_ids(self.batch_ids)})
        if self.article_ids:
            query &= Q(**{f"{article}_id__in": self.article_ids})
        if self.blind_only:
            query &= Q(**{f"{article}_id__in": blind_pending_articles()})
        if self.outlets:
            query &= Q(**{f"{article}__outlet__in": [_stored_outlet(o) for o in self.outlets]})
        rows = rows.filter(query)
        if self.date_from or self.date_to:
            rows = rows.alias(_day=article_day(f"{article}__"))
            if self.date_from:
                rows = rows.filter(_day__gte=self.date_from)
            if self.date_to:
                rows = rows.filter(_day__lte=self.date_to)
        return rows

    def query_items(self):
        """The filters as (key, value) pairs for a URL, the inverse of parse_filters
        (labels and authors by id: ids survive renames)."""
        items = []
        if self.date_from:
            items.append(("from", self.date_from.isoformat()))
        if self.date_to:
            items.append(("to", self.date_to.isoformat()))
        items += [("outlet", o) for o in self.outlets]
        items += [("label", str(i)) for i in self.label_ids]
        if self.status != ALL:
            items.append(("status", self.status))
        items += [("author", f"#{i}") for i in self.author_ids]
        items += [("article", str(i)) for i in self.article_ids]
        items += [("batch", str(i)) for i in self.batch_ids]
        items += [("type", t) for t in self.source_types]
        if self.affiliation:
            items.append(("affiliation", self.affiliation))
        if self.country:
            items.append(("country", self.country))
        if self.period != MONTH:
            items.append(("period", self.period))
        if self.measure != Filters.measure:
            items.append(("measure", self.measure))
        return items


def batch_article_ids(batch_ids):
    return BatchArticle.objects.filter(batch_id__in=batch_ids).values("article_id")


def _stored_outlet(outlet):
    return "" if outlet == NO_OUTLET else outlet


def _shown_outlet(outlet):
    return outlet or NO_OUTLET


def article_day(prefix=""):
    """An article's date: published, falling back to the day it was added (UTC)."""
    return Coalesce(F(f"{prefix}published"), TruncDate(F(f"{prefix}created_at")))


def _period_expression(period, prefix):
    trunc = TruncWeek if period == WEEK else TruncMonth
    return trunc(article_day(prefix))


def _date(value, name):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise FilterError(f"{name} “{value[:40]}” is not a date like 2026-01-31") from None


def _values(query, key):
    getlist = getattr(query, "getlist", None)
    values = getlist(key) if getlist else query.get(key, [])
    if isinstance(values, str):
        values = [values]
    return [v.strip() for v in values if v and v.strip()]


def _one(query, key, default=""):
    values = _values(query, key)
    return values[-1] if values else default


def _batch_ids(values):
    ids = []
    for value in values:
        batch_id = parse_id(value)
        by_name = Q(name=value) | Q(pk=batch_id) if batch_id is not None else Q(name=value)
        found = CodingBatch.objects.filter(by_name).order_by("-name").values_list("pk", flat=True).first()
        if found is None:
            raise FilterError(f"no coding batch “{value}”")
        ids.append(found)
    return tuple(dict.fromkeys(ids))


def parse_filters(query, viewer=None):
    """Filters from a query dict (a QueryDict, or a dict of lists or strings), as seen by
    `viewer` (None: the operator's full view).

    Keys: from, to (YYYY-MM-DD), outlet*, label* (id, "Category: name" or name),
    status (all|accepted|gold), author* (username, or #id), article*, batch* (id or name),
    type*, affiliation, country, period (week|month), measure. Raises FilterError with a
    one-line reason.
    """
    from django.contrib.auth import get_user_model

    from articles.exchange.export_rows import ExportFilterError, parse_export_filter

    date_from, date_to = _date(_one(query, "from"), "from"), _date(_one(query, "to"), "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError(f"the range starts ({date_from}) after it ends ({date_to})")
    status = _one(query, "status", ALL)
    if status not in STATUSES:
        raise FilterError(f"status “{status}” is not one of {', '.join(STATUSES)}")
    usernames, author_ids = [], []
    for value in _values(query, "author"):
        if value.startswith("#"):
            author_id = parse_id(value[1:])
            if author_id is None or not get_user_model().objects.filter(pk=author_id).exists():
                raise FilterError(f"unknown author {value[:40]}")
            author_ids.append(author_id)
        else:
            usernames.append(value)
    try:
        parsed = parse_export_filter(
            articles=_values(query, "article"), labels=_values(query, "label"), authors=usernames
        )
    except ExportFilterError as exc:
        raise FilterError(str(exc)) from None
    source_types = tuple(dict.fromkeys(_values(query, "type")))
    unknown = [t for t in source_types if t not in SOURCE_TYPE_NAMES or not t]
    if unknown:
        raise FilterError(f"source type “{unknown[0]}” is not one of {', '.join(SOURCE_TYPES[:-1])}")
    period = _one(query, "period", MONTH)
    if period not in PERIODS:
        raise FilterError(f"period “{period}” is not week or month")
    measure = _one(query, "measure", Filters.measure)
    if measure not in MEASURES:
        raise FilterError(f"measure “{measure}” is not one of {', '.join(MEASURES)}")
    return Filters(
        date_from=date_from,
        date_to=date_to,
        outlets=tuple(dict.fromkeys(_values(query, "outlet"))),
        label_ids=parsed.label_ids,
        status=status,
        author_ids=tuple(dict.fromkeys([*author_ids, *parsed.author_ids])),
        article_ids=parsed.article_ids,
        batch_ids=_batch_ids(_values(query, "batch")),
        viewer=viewer,
        source_types=source_types,
        affiliation=_one(query, "affiliation"),
        country=_one(query, "country"),
        period=period,
        measure=measure,
    )


# The codebook -------------------------------------------------------------------------


@dataclass(frozen=True)
class Codebook:
    """Label ids by category kind, and what the aggregation needs to know of each label."""

    labels: dict  # id -> Label (with its category)

    @classmethod
    def load(cls):
        return cls({label.id: label for label in Label.objects.select_related("category")})

    def ids(self, kind, filters=None):
        ids = [i for i, label in self.labels.items() if label.category.kind == kind]
        if filters is not None and filters.label_ids:
            ids = [i for i in ids if i in filters.label_ids]
        return ids

    def tone_labels(self):
        return [self.labels[i] for i in self.ids(Category.TONE)]


# Rows ---------------------------------------------------------------------------------


def _add(a, b):
    """Sum two rows field by field (counts and Counters; keys must agree)."""
    values = {}
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name in ("outlet", "period"):
            values[f.name] = x if x == y else None
        else:
            values[f.name] = x + y
    return type(a)(**values)


def merge(rows, **keys):
    """The rows added up into one (e.g. all outlets), with `keys` set on the result."""
    rows = list(rows)
    if not rows:
        return None
    total = rows[0]
    for row in rows[1:]:
        total = _add(total, row)
    return replace(total, **keys)


def ratio(part, whole):
    return part / whole if whole else None


@dataclass
class SourcingRow:
    outlet: str | None
    period: date | None = None
    articles: int = 0  # articles with at least one counted annotation
    claims: int = 0
    own_voice: int = 0  # claims marked as the outlet's own voice (and attributed to nobody)
    attributed: int = 0  # claims with at least one counted link
    links: int = 0  # counted claim → source links
    anonymity: Counter = field(default_factory=Counter)  # links by the source's anonymity
    source_types: Counter = field(default_factory=Counter)  # links by the entity's type
    forms: Counter = field(default_factory=Counter)  # links by form
    anonymous_officials: int = 0  # links to anonymous government/military/intelligence/diplomats

    @property
    def uncoded(self):
        return self.claims - self.attributed - self.own_voice

    @property
    def claims_per_article(self):
        return ratio(self.claims, self.articles)


@dataclass
class ToneRow:
    outlet: str | None
    period: date | None = None
    tones: int = 0
    by_label: Counter = field(default_factory=Counter)  # label id -> count
    scored: int = 0  # with a polarity and an intensity
    score_sum: int = 0

    @property
    def mean_score(self):
        return ratio(self.score_sum, self.scored)


@dataclass
class ToneTargetRow:
    outlet: str
    target: str  # what the table shows: the entity's name or the free text
    entity_id: int | None
    tones: int = 0
    scored: int = 0
    score_sum: int = 0

    @property
    def mean_score(self):
        return ratio(self.score_sum, self.scored)


@dataclass
class VoiceRow:
    entity_id: int
    name: str
    source_type: str
    affiliation: str
    country: str
    citations: int  # source annotations naming the entity
    claims: int  # distinct counted claims attributed to those annotations
    articles: int
    outlets: int


# Measures -----------------------------------------------------------------------------


def _group_keys(qs, prefix, by_outlet, period):
    keys = {}
    if by_outlet:
        keys["outlet"] = F(f"{prefix}article__outlet")
    if period:
        keys["period"] = _period_expression(period, f"{prefix}article__")
    return qs.values(**keys) if keys else qs, keys


def _key(row, keys):
    return (
        _shown_outlet(row["outlet"]) if "outlet" in keys else None,
        _as_date(row["period"]) if "period" in keys else None,
    )


def _as_date(value):
    return value.date() if hasattr(value, "date") else value


def _ordered(rows):
    return [rows[key] for key in sorted(rows, key=lambda k: (k[1] or date.min, (k[0] or "").casefold()))]


def _from_summary(filters):
    """Whether to read the summary tables (refreshed first): for the filters they answer
    exactly (summary.answers), and not for one article (its raw rows are few)."""
    if filters.blind_only or filters.article_ids or not summary.answers(filters):
        return False
    summary.refresh()
    return True


def _monthly(filters, period=None):
    """Whether the month cells answer these filters exactly: whole months (or no dates),
    no label, article or batch filter, months (or no periods), and a viewer who sees
    every annotation (or no article is blind now). Called after _from_summary."""
    if filters.label_ids or filters.batch_ids or period == WEEK:
        return False
    if filters.date_from and filters.date_from.day != 1:
        return False
    if filters.date_to and (filters.date_to + timedelta(days=1)).day != 1:
        return False
    return filters.full_view or not blind_pending_articles().exists()


def _month_cells(model, filters):
    cells = model.objects.all()
    if filters.outlets:
        cells = cells.filter(outlet__in=[_stored_outlet(o) for o in filters.outlets])
    if filters.date_from:
        cells = cells.filter(month__gte=filters.date_from)
    if filters.date_to:
        cells = cells.filter(month__lte=filters.date_to)
    return cells


def _month_grouped(cells, by_outlet, period, *more):
    names = (["outlet"] if by_outlet else []) + (["month"] if period else [])
    return cells.values(*names, *more).order_by(), names


def _month_key(result, names):
    return (
        _shown_outlet(result["outlet"]) if "outlet" in names else None,
        _as_date(result["month"]) if "month" in names else None,
    )


def _sourcing_monthly(filters, *, by_outlet, period, codebook, links):
    claim_ids = codebook.ids(Category.CLAIM)
    accepted = filters.status == ACCEPTED
    articles, names = _month_grouped(_month_cells(MonthArticles, filters), by_outlet, period)
    articles = articles.annotate(n=Sum("articles_accepted" if accepted else "articles_all"))
    rows = {}
    for result in (
        articles
        if names
        else [articles.aggregate(n=Sum("articles_accepted" if accepted else "articles_all"))]
    ):
        if result["n"]:
            key = _month_key(result, names)
            rows[key] = SourcingRow(outlet=key[0], period=key[1], articles=result["n"])
    cells = _month_cells(MonthCell, filters).filter(status__in=filters.statuses, label_id__in=claim_ids)
    attributed = "attributed_accepted" if accepted else "attributed_all"
    aggregates = {
        "claims": Sum("n"),
        "own_voice": Sum("own_voice"),
        "attributed": Sum(attributed),
        "attributed_own_voice": Sum(attributed.replace("attributed_", "attributed_own_voice_")),
    }
    grouped, names = _month_grouped(cells, by_outlet, period)
    for result in grouped.annotate(**aggregates) if names else [grouped.aggregate(**aggregates)]:
        row = rows.get(_month_key(result, names))
        if row is None:
            continue
        row.claims, row.own_voice = result["claims"] or 0, result["own_voice"] or 0
        if links:
            row.attributed = result["attributed"] or 0
            row.own_voice -= result["attributed_own_voice"] or 0
    if links:
        link_cells = _month_cells(MonthLinkCell, filters).filter(claim_label_id__in=claim_ids)
        if accepted:
            link_cells = link_cells.filter(accepted=True)
        grouped, names = _month_grouped(link_cells, by_outlet, period, "anonymity", "source_type", "form")
        for result in grouped.annotate(links=Sum("n")):
            _fold_link(rows[_month_key(result, names)], result)
    return _ordered(rows)


def _fold_link(row, result):
    n = result["links"]
    row.links += n
    row.anonymity[result["anonymity"]] += n
    row.source_types[result["source_type"]] += n
    row.forms[result["form"]] += n
    if result["anonymity"] == Annotation.ANONYMOUS and result["source_type"] in OFFICIAL_TYPES:
        row.anonymous_officials += n


def _combine(*row_lists):
    """Rows of disjoint article sets (the summary's and the blind articles' raw rows) added up."""
    rows = {}
    for row in (row for row_list in row_lists for row in row_list):
        key = (row.outlet, row.period)
        rows[key] = _add(rows[key], row) if key in rows else row
    return _ordered(rows)


def _summary_cells(model, filters):
    """Summary rows of the articles the filters choose; for a viewer without the full
    view, without the blind, unadjudicated articles (those are read raw, own only)."""
    cells = filters.in_articles(model.objects.all(), "article")
    if not filters.full_view:
        cells = cells.exclude(article_id__in=blind_pending_articles())
    return cells


def sourcing(filters, *, by_outlet=True, period=None, codebook=None, links=True):
    """Claims, attribution and the sources' mix, one row per outlet (and period).

    links=False skips the claim → source links (attributed, own voice and the mixes stay
    unset) for measures that need only the claim counts."""
    codebook = codebook or Codebook.load()
    if not _from_summary(filters):
        return _sourcing_raw(filters, by_outlet=by_outlet, period=period, codebook=codebook, links=links)
    if _monthly(filters, period):
        return _sourcing_monthly(filters, by_outlet=by_outlet, period=period, codebook=codebook, links=links)
    rows = _sourcing_summary(filters, by_outlet=by_outlet, period=period, codebook=codebook, links=links)
    if filters.full_view:
        return rows
    blind = replace(filters, blind_only=True)
    return _combine(
        rows, _sourcing_raw(blind, by_outlet=by_outlet, period=period, codebook=codebook, links=links)
    )


def _sourcing_summary(filters, *, by_outlet, period, codebook, links):
    claim_ids = codebook.ids(Category.CLAIM, filters)
    accepted = filters.status == ACCEPTED
    cells = _summary_cells(AnnotationCell, filters).filter(status__in=filters.statuses)
    if filters.label_ids:
        cells = cells.filter(label_id__in=filters.label_ids)
    grouped, keys = _group_keys(cells, "", by_outlet, period)
    claims = Q(label_id__in=claim_ids)
    attributed = "attributed_accepted" if accepted else "attributed_all"
    attributed_own = "attributed_own_voice_accepted" if accepted else "attributed_own_voice_all"
    aggregates = {
        "articles": Count("article_id", distinct=True),
        "claims": Sum("n", filter=claims),
        "own_voice": Sum("own_voice", filter=claims),
        "attributed": Sum(attributed, filter=claims),
        "attributed_own_voice": Sum(attributed_own, filter=claims),
    }
    results = grouped.annotate(**aggregates).order_by() if keys else [grouped.aggregate(**aggregates)]
    rows = {}
    for result in results:
        if not result["articles"]:
            continue
        key = _key(result, keys)
        rows[key] = row = SourcingRow(
            outlet=key[0], period=key[1], articles=result["articles"],
            claims=result["claims"] or 0, own_voice=result["own_voice"] or 0,
        )  # fmt: skip
        if links:
            row.attributed = result["attributed"] or 0
            row.own_voice -= result["attributed_own_voice"] or 0
    if not links:
        return _ordered(rows)
    link_cells = _summary_cells(LinkCell, filters).filter(claim_label_id__in=claim_ids)
    if accepted:
        link_cells = link_cells.filter(accepted=True)
    grouped, keys = _group_keys(link_cells, "", by_outlet, period)
    results = grouped.values(*keys, "anonymity", "source_type", "form").annotate(links=Sum("n")).order_by()
    for result in results:
        _fold_link(rows[_key(result, keys)], result)
    return _ordered(rows)


def _sourcing_raw(filters, *, by_outlet=True, period=None, codebook=None, links=True):
    claim_ids = codebook.ids(Category.CLAIM, filters)
    rows = {}

    counted, keys = _group_keys(filters.counted(Annotation.objects), "", by_outlet, period)
    aggregates = {
        "articles": Count("article_id", distinct=True),
        "claims": Count("id", filter=Q(label_id__in=claim_ids)),
        "own_voice": Count("id", filter=Q(label_id__in=claim_ids, own_voice=True)),
    }
    results = counted.annotate(**aggregates) if keys else [counted.aggregate(**aggregates)]
    for result in results:
        key = _key(result, keys)
        if not result["articles"]:
            continue
        rows[key] = SourcingRow(
            outlet=key[0],
            period=key[1],
            articles=result["articles"],
            claims=result["claims"],
            own_voice=result["own_voice"],
        )

    if not links:
        return _ordered(rows)
    links = (
        filters.counted(Attribution.objects, prefix="claim__")
        .filter(claim__label_id__in=claim_ids)
        .filter(filters.sees("source__"))
    )
    links, keys = _group_keys(links, "claim__", by_outlet, period)
    entity_type = "source__source_entity__source_type"
    aggregates = {
        "links": Count("id"),
        "attributed": Count("claim_id", distinct=True),
        "attributed_own_voice": Count("claim_id", distinct=True, filter=Q(claim__own_voice=True)),
        "anonymous_officials": Count(
            "id", filter=Q(source__anonymity=Annotation.ANONYMOUS, **{f"{entity_type}__in": OFFICIAL_TYPES})
        ),
        **{f"anonymity_{a}": Count("id", filter=Q(source__anonymity=a)) for a in ANONYMITIES},
        **{f"type_{t}": Count("id", filter=Q(**{entity_type: t})) for t in SOURCE_TYPES if t},
        **{f"form_{f}": Count("id", filter=Q(form=f)) for f in FORMS},
    }
    results = links.annotate(**aggregates) if keys else [links.aggregate(**aggregates)]
    for result in results:
        if not result["links"]:
            continue
        row = rows[_key(result, keys)]
        row.links = result["links"]
        row.attributed = result["attributed"]
        row.own_voice -= result["attributed_own_voice"]
        row.anonymous_officials = result["anonymous_officials"]
        row.anonymity = Counter(
            {a: result[f"anonymity_{a}"] for a in ANONYMITIES if result[f"anonymity_{a}"]}
        )
        types = Counter({t: result[f"type_{t}"] for t in SOURCE_TYPES if t and result[f"type_{t}"]})
        if untyped := row.links - sum(types.values()):
            types[""] = untyped
        row.source_types = types
        row.forms = Counter({f: result[f"form_{f}"] for f in FORMS if result[f"form_{f}"]})
    return _ordered(rows)


def tone(filters, *, by_outlet=True, period=None, codebook=None):
    """Tone labels' counts and the mean signed score, one row per outlet (and period)."""
    codebook = codebook or Codebook.load()
    if not _from_summary(filters):
        return _tone_rows(filters, by_outlet, period, codebook, summarised=False)
    if _monthly(filters, period):
        return _tone_rows(filters, by_outlet, period, codebook, summarised="monthly")
    rows = _tone_rows(filters, by_outlet, period, codebook, summarised=True)
    if filters.full_view:
        return rows
    return _combine(rows, _tone_rows(replace(filters, blind_only=True), by_outlet, period, codebook, False))


def _tone_rows(filters, by_outlet, period, codebook, summarised):
    tone_ids = codebook.ids(Category.TONE, filters)
    if summarised == "monthly":
        counted = _month_cells(MonthCell, filters).filter(label_id__in=tone_ids, status__in=filters.statuses)
        grouped, names = _month_grouped(counted, by_outlet, period, "label_id")
        rows = {}
        for result in grouped.annotate(tones=Sum("n"), scored=Sum("scored"), intensity=Sum("intensity_sum")):
            key = _month_key(result, names)
            row = rows.setdefault(key, ToneRow(outlet=key[0], period=key[1]))
            _fold_tone(row, codebook.labels[result["label_id"]], result)
            row.by_label[result["label_id"]] += result["tones"]
        return _ordered(rows)
    if summarised:
        counted = _summary_cells(AnnotationCell, filters).filter(
            label_id__in=tone_ids, status__in=filters.statuses
        )
        grouped, keys = _group_keys(counted, "", by_outlet, period)
        results = grouped.values(*keys, "label_id").annotate(
            tones=Sum("n"), scored=Sum("scored"), intensity=Sum("intensity_sum")
        )
    else:
        counted = filters.counted(Annotation.objects).filter(label_id__in=tone_ids)
        grouped, keys = _group_keys(counted, "", by_outlet, period)
        results = grouped.values(*keys, "label_id").annotate(
            tones=Count("id"), scored=Count("tone_intensity"), intensity=Sum("tone_intensity")
        )
    rows = {}
    for result in results:
        key = _key(result, keys)
        row = rows.setdefault(key, ToneRow(outlet=key[0], period=key[1]))
        _fold_tone(row, codebook.labels[result["label_id"]], result)
        row.by_label[result["label_id"]] += result["tones"]
    return _ordered(rows)


def _fold_tone(row, label, result):
    row.tones += result["tones"]
    if label.polarity is not None and result["scored"]:
        row.scored += result["scored"]
        row.score_sum += label.polarity * result["intensity"]


def tone_targets(filters, *, codebook=None, shown=TARGETS_SHOWN):
    """Mean tone score per outlet and target, for the `shown` most frequent targets.

    Free-text targets are grouped case-insensitively; an entity target is its own
    target. Returns (targets in order, rows)."""
    codebook = codebook or Codebook.load()
    tone_ids = codebook.ids(Category.TONE, filters)
    if _from_summary(filters) and _monthly(filters):
        results = list(_target_results_monthly(filters, tone_ids, shown))
    elif _from_summary(filters):
        results = list(_target_results_summary(filters, tone_ids, shown if filters.full_view else None))
        if not filters.full_view:
            results += _target_results_raw(replace(filters, blind_only=True), tone_ids)
    else:
        results = _target_results_raw(filters, tone_ids)
    rows = {}
    for result in results:
        entity_id = result["tone_target_entity_id"]
        key = (_shown_outlet(result["outlet"]), entity_id, "" if entity_id else result["text"])
        row = rows.setdefault(
            key, ToneTargetRow(outlet=key[0], target=result["shown_text"], entity_id=entity_id)
        )
        # A key comes in several results (one per label; the summary's and a blind
        # article's raw ones): each result's spelling counts, not the first one's.
        row.target = max(row.target, result["shown_text"])
        _fold_tone(row, codebook.labels[result["label_id"]], result)
    # One name per target: the entity's, or the spelling that sorts last (lower case).
    names = dict(Source.objects.filter(pk__in={k[1] for k in rows if k[1]}).values_list("pk", "name"))
    totals, spelled = Counter(), {}
    for (_, entity_id, text), row in rows.items():
        target = (entity_id, text)
        totals[target] += row.tones
        spelled[target] = names[entity_id] if entity_id else max(spelled.get(target, ""), row.target)
    for (_, entity_id, text), row in rows.items():
        row.target = spelled[(entity_id, text)]
    targets = sorted(totals, key=lambda t: (-totals[t], spelled[t].casefold()))[:shown]
    chosen = set(targets)
    kept = sorted(
        (row for key, row in rows.items() if key[1:] in chosen),
        key=lambda row: (row.outlet.casefold(), row.target.casefold()),
    )
    return [(target, spelled[target]) for target in targets], kept


def _target_results_raw(filters, tone_ids):
    counted = (
        filters.counted(Annotation.objects)
        .filter(label_id__in=tone_ids)
        .filter(Q(tone_target_entity__isnull=False) | ~Q(tone_target_text=""))
    )
    return list(
        counted.values(
            "label_id",
            "tone_target_entity_id",
            outlet=F("article__outlet"),
            text=Lower(Trim("tone_target_text")),
        )
        .annotate(
            tones=Count("id"),
            scored=Count("tone_intensity"),
            intensity=Sum("tone_intensity"),
            shown_text=Max(Trim("tone_target_text")),
        )
        .order_by()
    )


def _top_target_cells(cells, shown):
    """`cells` narrowed to the targets that can be among the `shown` most frequent: those
    with at least the shown-th largest count. Ties at that count are all kept (the caller
    breaks them by name), so the choice is exactly the one made over every target."""
    totals = cells.values("target_entity_id", "target_key").annotate(total=Sum("n")).order_by("-total")
    chosen = []
    for row in totals.iterator(chunk_size=4 * shown):
        if len(chosen) >= shown and row["total"] < chosen[shown - 1]["total"]:
            break
        chosen.append(row)
    entities = [row["target_entity_id"] for row in chosen if row["target_entity_id"] is not None]
    texts = [row["target_key"] for row in chosen if row["target_entity_id"] is None]
    return cells.filter(Q(target_entity_id__in=entities) | Q(target_entity_id=None, target_key__in=texts))


def _target_results_monthly(filters, tone_ids, shown):
    cells = _month_cells(MonthTargetCell, filters).filter(label_id__in=tone_ids, status__in=filters.statuses)
    cells = _top_target_cells(cells, shown)
    return (
        cells.values("label_id", "outlet", tone_target_entity_id=F("target_entity_id"), text=F("target_key"))
        .annotate(tones=Sum("n"), scored=Sum("scored"), intensity=Sum("intensity_sum"),
                  shown_text=Max("shown_text"))
        .order_by()
    )  # fmt: skip


def _target_results_summary(filters, tone_ids, shown):
    """`shown`: choose the targets in the database (None when blind articles' raw rows
    are added afterwards, which can change the choice)."""
    cells = _summary_cells(TargetCell, filters).filter(label_id__in=tone_ids, status__in=filters.statuses)
    if shown is not None:
        cells = _top_target_cells(cells, shown)
    return (
        cells.values("label_id", tone_target_entity_id=F("target_entity_id"), outlet=F("article__outlet"),
                     text=F("target_key"))
        .annotate(tones=Sum("n"), scored=Sum("scored"), intensity=Sum("intensity_sum"),
                  shown_text=Max("shown_text"))
        .order_by()
    )  # fmt: skip


def _entity_filter(filters, prefix):
    """Q: the entity (reached through `prefix`) has the filters' type, affiliation, country."""
    query = Q()
    if filters.source_types:
        query &= Q(**{f"{prefix}source_type__in": filters.source_types})
    if filters.affiliation:
        query &= Q(**{f"{prefix}affiliation__icontains": filters.affiliation})
    if filters.country:
        query &= Q(**{f"{prefix}country__iexact": filters.country})
    return query


def voices(filters, *, shown=VOICES_SHOWN, codebook=None):
    """The most cited source entities: citations, claims, articles, outlets."""
    codebook = codebook or Codebook.load()
    if _from_summary(filters) and _monthly(filters):
        top = _voices_monthly(filters, shown)
        claims = {row["source_entity_id"]: row["claims"] for row in top}
        return _voice_rows(top, claims)
    citations = filters.counted(Annotation.objects).filter(
        label_id__in=codebook.ids(Category.SOURCE), source_entity__isnull=False
    )
    if filters.source_types or filters.affiliation or filters.country:
        citations = citations.filter(_entity_filter(filters, "source_entity__"))
    top = list(
        citations.values("source_entity_id")
        .annotate(
            citations=Count("id"),
            articles=Count("article_id", distinct=True),
            outlets=Count("article__outlet", distinct=True),
        )
        .order_by("-citations", "source_entity_id")[:shown]
    )
    ids = [row["source_entity_id"] for row in top]
    claim_ids = codebook.ids(Category.CLAIM, filters)
    claims = dict(
        filters.counted(Attribution.objects, prefix="claim__")
        .filter(claim__label_id__in=claim_ids, source__source_entity_id__in=ids)
        .filter(filters.sees("source__"))
        .values("source__source_entity_id")
        .annotate(claims=Count("claim_id", distinct=True))
        .values_list("source__source_entity_id", "claims")
        .order_by()
    )
    return _voice_rows(top, claims)


def _voices_monthly(filters, shown):
    """The top entities from the entity summary: whole-archive totals without an outlet or
    date filter, else the month cells added up (outlets counted once)."""
    accepted = "accepted" if filters.status == ACCEPTED else "all"
    if filters.outlets or filters.date_from or filters.date_to:
        cells = _month_cells(MonthEntityCell, filters)
        totals = cells.values(source_entity_id=F("entity_id")).annotate(
            citations=Sum(f"citations_{accepted}"),
            articles=Sum(f"articles_{accepted}"),
            outlets=Count("outlet", distinct=True, filter=Q(**{f"citations_{accepted}__gt": 0})),
            claims=Sum(f"claims_{accepted}"),
        )
    else:
        totals = EntityTotal.objects.values(
            source_entity_id=F("entity_id"),
            citations=F(f"citations_{accepted}"),
            articles=F(f"articles_{accepted}"),
            outlets=F(f"outlets_{accepted}"),
            claims=F(f"claims_{accepted}"),
        )
    if filters.source_types or filters.affiliation or filters.country:
        totals = totals.filter(entity_id__in=Source.objects.filter(_entity_filter(filters, "")).values("pk"))
    return list(totals.filter(citations__gt=0).order_by("-citations", "source_entity_id")[:shown])


def _voice_rows(top, claims):
    ids = [row["source_entity_id"] for row in top]
    entities = Source.objects.in_bulk(ids)
    return [
        VoiceRow(
            entity_id=row["source_entity_id"],
            name=entities[row["source_entity_id"]].name,
            source_type=entities[row["source_entity_id"]].source_type,
            affiliation=entities[row["source_entity_id"]].affiliation,
            country=entities[row["source_entity_id"]].country,
            citations=row["citations"],
            claims=claims.get(row["source_entity_id"], 0),
            articles=row["articles"],
            outlets=row["outlets"],
        )
        for row in top
    ]


def category_counts(filters):
    """Counted annotations per category: [(category, count)] in codebook order."""
    counts = dict(
        filters.counted(Annotation.objects)
        .values("label__category_id")
        .annotate(n=Count("id"))
        .values_list("label__category_id", "n")
        .order_by()
    )
    return [(category, counts.get(category.id, 0)) for category in Category.objects.order_by("order", "name")]


def outlets():
    """Every outlet name in the archive (for the filter form), blank as NO_OUTLET."""
    names = Article.objects.order_by().values_list("outlet", flat=True).distinct()
    return sorted({_shown_outlet(name) for name in names}, key=str.casefold)


# Over time: any measure, per week or month, one series per outlet ---------------------


@dataclass(frozen=True)
class Measure:
    name: str
    source: str  # "sourcing" or "tone"
    value: object  # row -> number or None
    base: object  # row -> the denominator or count behind the value
    base_name: str
    percent: bool = False


def _share(part, whole):
    def value(row):
        return ratio(part(row), whole(row))

    return value


MEASURES = {
    "claims_per_article": Measure(
        "Claims per article", "sourcing", lambda r: r.claims_per_article, lambda r: r.articles, "articles"
    ),
    "claims": Measure("Claims", "sourcing", lambda r: r.claims, lambda r: r.articles, "articles"),
    "attributed_share": Measure(
        "Attributed claims", "sourcing", _share(lambda r: r.attributed, lambda r: r.claims),
        lambda r: r.claims, "claims", percent=True,
    ),
    "own_voice_share": Measure(
        "Claims in the outlet's own voice", "sourcing", _share(lambda r: r.own_voice, lambda r: r.claims),
        lambda r: r.claims, "claims", percent=True,
    ),
    "anonymous_share": Measure(
        "Attributions to anonymous sources", "sourcing",
        _share(lambda r: r.anonymity[Annotation.ANONYMOUS], lambda r: r.links),
        lambda r: r.links, "attributions", percent=True,
    ),
    "anonymous_officials_share": Measure(
        "Attributions to anonymous officials", "sourcing",
        _share(lambda r: r.anonymous_officials, lambda r: r.links),
        lambda r: r.links, "attributions", percent=True,
    ),
    "direct_share": Measure(
        "Direct quotes", "sourcing", _share(lambda r: r.forms[Attribution.DIRECT], lambda r: r.links),
        lambda r: r.links, "attributions", percent=True,
    ),
    "tones": Measure("Tone annotations", "tone", lambda r: r.tones, lambda r: r.tones, "tone annotations"),
    "mean_tone": Measure(
        "Mean tone score", "tone", lambda r: r.mean_score, lambda r: r.scored, "scored tone annotations"
    ),
}  # fmt: skip


CLAIM_COUNT_MEASURES = ("claims", "claims_per_article")  # need no claim → source links


@dataclass
class Series:
    outlet: str
    points: list  # [(period start, value or None, base)]


def over_time(filters, *, codebook=None):
    """The filters' measure per period, one series per outlet; and every period shown."""
    measure = MEASURES[filters.measure]
    if measure.source == "tone":
        rows = tone(filters, period=filters.period, codebook=codebook)
    else:
        links = filters.measure not in CLAIM_COUNT_MEASURES
        rows = sourcing(filters, period=filters.period, codebook=codebook, links=links)
    periods = _all_periods(sorted({row.period for row in rows}), filters.period)
    by_outlet = {}
    for row in rows:
        by_outlet.setdefault(row.outlet, {})[row.period] = row
    series = []
    for outlet in sorted(by_outlet, key=str.casefold):
        points = []
        for period in periods:
            row = by_outlet[outlet].get(period)
            points.append((period, measure.value(row), measure.base(row)) if row else (period, None, 0))
        series.append(Series(outlet, points))
    return measure, periods, series


def _all_periods(seen, period):
    """Every period from the first seen to the last, gaps included, so lines stay true."""
    if not seen:
        return []
    periods, current = [], seen[0]
    while current <= seen[-1]:
        periods.append(current)
        if period == WEEK:
            current = date.fromordinal(current.toordinal() + 7)
        else:
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return periods


# The reading page's summary -----------------------------------------------------------


@dataclass
class ArticleSummary:
    categories: list  # [(Category, count)]
    sourcing: SourcingRow | None
    tone: ToneRow | None
    tone_labels: list  # the codebook's tone labels, in order

    def anonymity_mix(self):
        """[(how the source is named, links)] of the article's claim → source links, most first."""
        if not self.sourcing:
            return []
        return [(ANONYMITY_NAMES[key].lower(), n) for key, n in self.sourcing.anonymity.most_common()]

    def tone_segments(self):
        """[(label, count, x, width)] of a 100-unit bar, one segment per tone label used."""
        if not self.tone or not self.tone.tones:
            return []
        segments, x = [], 0.0
        for label in self.tone_labels:
            n = self.tone.by_label[label.id]
            if n:
                width = 100 * n / self.tone.tones
                segments.append((label, n, round(x, 2), round(width, 2)))
                x += width
        return segments


def article_summary(article, viewer=None):
    """Counts per category, the attribution mix and the tone of one article, as `viewer`
    sees them (None: everything)."""
    filters = Filters(article_ids=(article.pk,), viewer=viewer)
    codebook = Codebook.load()
    rows = sourcing(filters, by_outlet=False, codebook=codebook)
    tones = tone(filters, by_outlet=False, codebook=codebook)
    return ArticleSummary(
        categories=category_counts(filters),
        sourcing=rows[0] if rows else None,
        tone=tones[0] if tones else None,
        tone_labels=codebook.tone_labels(),
    )
