# ruff: noqa: S608 (SQL built from constant table and column names)
"""The analytics summary (articles/analytics/models.py): recompute, refresh, and whether
a set of filters can be answered from it.

One function computes an article's rows from the annotations (`rebuild`), with the same
rules as the raw aggregation. Database triggers mark articles dirty on every write, so
every write path (reader, admin and its bulk actions, QuerySet.update(), imports with
bulk_create/bulk_update, adjudication, article deletion, raw SQL) is covered without
knowing about the summary; `refresh` recomputes the dirty articles before each read.
"""

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Lower, Trim, TruncMonth

from articles.analytics.models import (
    AnnotationCell,
    ArticlePlace,
    DirtyArticle,
    EntityTotal,
    LinkCell,
    MonthArticles,
    MonthCell,
    MonthEntityCell,
    MonthLinkCell,
    MonthTargetCell,
    TargetCell,
)  # fmt: skip
from articles.models import Annotation, Article, Attribution, Category

COUNTED = (Annotation.PENDING, Annotation.ACCEPTED)
CHUNK = 2000  # articles recomputed per round
BIG_REFRESH = 10_000  # articles; after a refresh this big, PostgreSQL vacuums the tables
SUMMARY_TABLES = ("analytics_annotation_cell", "analytics_link_cell", "analytics_target_cell",
                  "analytics_article_place", "analytics_month_articles", "analytics_month_cell",
                  "analytics_month_link_cell", "analytics_month_target_cell", "analytics_month_entity_cell",
                  "analytics_entity_total")  # fmt: skip


def answers(filters):
    """Whether the summary gives exactly the raw figures for these filters. Author and
    gold-only filters need each annotation's author or adjudication: those read the
    annotations (so does the part of a non-curator's view on blind, unadjudicated articles)."""
    from articles.analytics.aggregation import GOLD

    return not filters.author_ids and filters.status != GOLD


def refresh():
    """Recompute the summary of every article marked dirty. Cheap when nothing is."""
    if not DirtyArticle.objects.exists():
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One refresher at a time: two would each replace the same article's rows.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('analytics_summary'))")
            # Taking the marks and recomputing in one transaction: a write that commits
            # meanwhile leaves a new mark for the next refresh.
            cursor.execute("DELETE FROM analytics_dirty RETURNING article_id")
            ids = sorted({row[0] for row in cursor.fetchall()})
        rebuild(ids)
    if len(ids) > BIG_REFRESH and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A big refresh leaves the marks' table full of dead rows (every later EXISTS would
        # walk them) and the summary's statistics stale: clean both now, not at autovacuum.
        with connection.cursor() as cursor:
            for table in ("analytics_dirty", *SUMMARY_TABLES):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return len(ids)


def rebuild(article_ids):
    """Replace the summary rows of these articles with rows computed from the annotations,
    and the month cells they were and are in with sums of the articles' rows."""
    from articles.analytics.aggregation import article_day

    article_ids = list(article_ids)
    keys = set()
    for start in range(0, len(article_ids), CHUNK):
        chunk = article_ids[start : start + CHUNK]
        places = ArticlePlace.objects.filter(article_id__in=chunk)
        keys |= set(places.values_list("outlet", "month"))
        places._raw_delete(connection.alias)
        _insert(
            ArticlePlace,
            Article.objects.filter(pk__in=chunk)
            .values("pk", "outlet", place_month=TruncMonth(article_day()))
            .order_by(),
            {"article_id": 'q."pk"', "outlet": 'q."outlet"', "month": 'q."place_month"'},
        )
        keys |= set(ArticlePlace.objects.filter(article_id__in=chunk).values_list("outlet", "month"))
        for model in (AnnotationCell, LinkCell, TargetCell):
            model.objects.filter(article_id__in=chunk)._raw_delete(connection.alias)
        for model, (rows, columns) in (
            (AnnotationCell, _annotation_cells(chunk)),
            (LinkCell, _link_cells(chunk)),
            (TargetCell, _target_cells(chunk)),
        ):
            _insert(model, rows, columns)
    _roll_up(keys)


MONTH_SUMS = {
    MonthCell: (AnnotationCell, ["label_id", "status"],
                ["n", "own_voice", "scored", "intensity_sum", "attributed_all", "attributed_accepted",
                 "attributed_own_voice_all", "attributed_own_voice_accepted"], []),
    MonthLinkCell: (LinkCell, ["claim_label_id", "accepted", "anonymity", "source_type", "form"], ["n"], []),
    MonthTargetCell: (TargetCell, ["label_id", "status", "target_entity_id", "target_key"],
                      ["n", "scored", "intensity_sum"], ["shown_text"]),
}  # fmt: skip
KEYS_PER_ROUND = 100


def _roll_up(keys):
    """Recompute the month cells of these (outlet, month) keys from the articles' rows."""
    keys = sorted(keys, key=lambda k: (k[0], k[1].isoformat()))
    everything = len(keys) > 5 * KEYS_PER_ROUND  # a big refresh: one pass over everything
    rounds = (
        [None] if everything else [keys[i : i + KEYS_PER_ROUND] for i in range(0, len(keys), KEYS_PER_ROUND)]
    )
    entities = set()
    for chunk in rounds:
        if chunk is None:
            where, params, mine = "1 = 1", [], Q()
        else:
            where = " OR ".join(["(p.outlet = %s AND p.month = %s)"] * len(chunk))
            params = [value for key in chunk for value in key]
            mine = Q()
            for outlet, month in chunk:
                mine |= Q(outlet=outlet, month=month)
        with connection.cursor() as cursor:
            if not everything:
                before = set(MonthEntityCell.objects.filter(mine).values_list(*ENTITY_ROW))
            for model in (MonthArticles, *MONTH_SUMS, MonthEntityCell):
                model.objects.filter(mine)._raw_delete(connection.alias)
            cursor.execute(
                ENTITY_CELLS.format(where=where), [*ENTITY_PARAMS, *params, *ENTITY_PARAMS_CLAIMS, *params]
            )
            if not everything:
                # Only the entities whose figures changed need new totals (an article's few,
                # not every entity of its month).
                changed = before ^ set(MonthEntityCell.objects.filter(mine).values_list(*ENTITY_ROW))
                entities |= {row[2] for row in changed}
            cursor.execute(
                "INSERT INTO analytics_month_articles (outlet, month, articles_all, articles_accepted) "
                "SELECT p.outlet, p.month, COUNT(DISTINCT c.article_id), "
                "COUNT(DISTINCT CASE WHEN c.status = 'accepted' THEN c.article_id END) "
                "FROM analytics_annotation_cell c "
                "JOIN analytics_article_place p ON p.article_id = c.article_id "
                f"WHERE {where} GROUP BY p.outlet, p.month",
                params,
            )
            for model, (source, group, sums, maxima) in MONTH_SUMS.items():
                columns = ["outlet", "month", *group, *sums, *maxima]
                values = ["p.outlet", "p.month", *(f"c.{g}" for g in group), *(f"SUM(c.{v})" for v in sums),
                          *(f"MAX(c.{v})" for v in maxima)]  # fmt: skip
                cursor.execute(
                    f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                    f"FROM {source._meta.db_table} c "
                    "JOIN analytics_article_place p ON p.article_id = c.article_id "
                    f"WHERE {where} GROUP BY p.outlet, p.month, {', '.join(f'c.{g}' for g in group)}",
                    params,
                )
    _total_entities(None if everything else entities)


# Voices per outlet and month, straight from the annotations of the places' articles (the
# raw rules of aggregation.voices): citations are counted source annotations naming an
# entity; claims are distinct counted claims (of a claim label, placed by the claim's
# article) linked to a counted source annotation naming the entity.
ENTITY_CELLS = """
INSERT INTO analytics_month_entity_cell (outlet, month, entity_id, citations_all, citations_accepted,
    articles_all, articles_accepted, claims_all, claims_accepted)
SELECT outlet, month, entity_id, SUM(citations_all), SUM(citations_accepted), SUM(articles_all),
    SUM(articles_accepted), SUM(claims_all), SUM(claims_accepted)
FROM (
    SELECT p.outlet, p.month, a.source_entity_id AS entity_id, COUNT(*) AS citations_all,
        COUNT(CASE WHEN a.status = %s THEN 1 END) AS citations_accepted,
        COUNT(DISTINCT a.article_id) AS articles_all,
        COUNT(DISTINCT CASE WHEN a.status = %s THEN a.article_id END) AS articles_accepted,
        0 AS claims_all, 0 AS claims_accepted
    FROM articles_annotation a
    JOIN analytics_article_place p ON p.article_id = a.article_id
    JOIN articles_label l ON l.id = a.label_id
    JOIN articles_category k ON k.id = l.category_id
    WHERE k.kind = %s AND a.source_entity_id IS NOT NULL AND a.deleted_at IS NULL
        AND a.status IN (%s, %s) AND ({where})
    GROUP BY p.outlet, p.month, a.source_entity_id
    UNION ALL
    SELECT p.outlet, p.month, s.source_entity_id, 0, 0, 0, 0, COUNT(DISTINCT c.id),
        COUNT(DISTINCT CASE WHEN c.status = %s AND s.status = %s THEN c.id END)
    FROM articles_attribution t
    JOIN articles_annotation c ON c.id = t.claim_id
    JOIN articles_annotation s ON s.id = t.source_id
    JOIN analytics_article_place p ON p.article_id = c.article_id
    JOIN articles_label l ON l.id = c.label_id
    JOIN articles_category k ON k.id = l.category_id
    WHERE k.kind = %s AND s.source_entity_id IS NOT NULL AND c.deleted_at IS NULL AND s.deleted_at IS NULL
        AND c.status IN (%s, %s) AND s.status IN (%s, %s) AND ({where})
    GROUP BY p.outlet, p.month, s.source_entity_id
) AS u
GROUP BY outlet, month, entity_id
"""
ENTITY_PARAMS = [Annotation.ACCEPTED, Annotation.ACCEPTED, Category.SOURCE, *COUNTED]
ENTITY_PARAMS_CLAIMS = [Annotation.ACCEPTED, Annotation.ACCEPTED, Category.CLAIM, *COUNTED, *COUNTED]
ENTITIES_PER_ROUND = 500
ENTITY_ROW = ("outlet", "month", "entity_id", "citations_all", "citations_accepted", "articles_all",
              "articles_accepted", "claims_all", "claims_accepted")  # fmt: skip


def _total_entities(entity_ids):
    """Recompute the whole-archive totals of these entities (None: of every entity)."""
    sql = (
        "INSERT INTO analytics_entity_total (entity_id, citations_all, citations_accepted, articles_all, "
        "articles_accepted, claims_all, claims_accepted, outlets_all, outlets_accepted) "
        "SELECT entity_id, SUM(citations_all), SUM(citations_accepted), SUM(articles_all), "
        "SUM(articles_accepted), SUM(claims_all), SUM(claims_accepted), "
        "COUNT(DISTINCT CASE WHEN citations_all > 0 THEN outlet END), "
        "COUNT(DISTINCT CASE WHEN citations_accepted > 0 THEN outlet END) "
        "FROM analytics_month_entity_cell WHERE {where} GROUP BY entity_id"
    )
    with connection.cursor() as cursor:
        if entity_ids is None:
            EntityTotal.objects.all()._raw_delete(connection.alias)
            cursor.execute(sql.format(where="1 = 1"))
            return
        entity_ids = sorted(entity_ids)
        for start in range(0, len(entity_ids), ENTITIES_PER_ROUND):
            chunk = entity_ids[start : start + ENTITIES_PER_ROUND]
            EntityTotal.objects.filter(entity_id__in=chunk)._raw_delete(connection.alias)
            cursor.execute(sql.format(where=f"entity_id IN ({', '.join(['%s'] * len(chunk))})"), chunk)


def _insert(model, rows, columns):
    """INSERT … SELECT of the GROUP BY `rows` into `model`'s table, computed in the
    database; `columns` maps each table column to an expression over the query's output."""
    sql, params = rows.query.sql_with_params()
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    values = ", ".join(columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {values} FROM ({sql}) AS q", params)  # noqa: S608


def rebuild_all():
    """Recompute every article's rows (after restoring a dump without triggers, say)."""
    DirtyArticle.objects.all().delete()
    for model in (AnnotationCell, LinkCell, TargetCell, ArticlePlace, MonthArticles, *MONTH_SUMS,
                  MonthEntityCell, EntityTotal):  # fmt: skip
        model.objects.all()._raw_delete(connection.alias)
    rebuild(Article.objects.order_by("pk").values_list("pk", flat=True))


def _counted(prefix=""):
    return Q(**{f"{prefix}deleted_at__isnull": True, f"{prefix}status__in": COUNTED})


def _cited(statuses):
    return Exists(
        Attribution.objects.filter(
            claim_id=OuterRef("pk"), source__deleted_at__isnull=True, source__status__in=statuses
        )
    )


def _annotation_cells(article_ids):
    accepted = (Annotation.ACCEPTED,)
    rows = (
        Annotation.all_objects.filter(_counted(), article_id__in=article_ids)
        .alias(cited_all=_cited(COUNTED), cited_accepted=_cited(accepted))
        .values("article_id", "label_id", "status")
        .annotate(
            n=Count("id"),
            own=Count("id", filter=Q(own_voice=True)),
            scored=Count("tone_intensity"),
            intensity=Coalesce(Sum("tone_intensity"), 0),
            att_all=Count("id", filter=Q(cited_all=True)),
            att_acc=Count("id", filter=Q(cited_accepted=True)),
            att_own_all=Count("id", filter=Q(cited_all=True, own_voice=True)),
            att_own_acc=Count("id", filter=Q(cited_accepted=True, own_voice=True)),
        )
        .order_by()
    )
    return rows, {
        "article_id": 'q."article_id"', "label_id": 'q."label_id"', "status": 'q."status"', "n": 'q."n"',
        "own_voice": 'q."own"', "scored": 'q."scored"', "intensity_sum": 'q."intensity"',
        "attributed_all": 'q."att_all"', "attributed_accepted": 'q."att_acc"',
        "attributed_own_voice_all": 'q."att_own_all"', "attributed_own_voice_accepted": 'q."att_own_acc"',
    }  # fmt: skip


def _link_cells(article_ids):
    both_accepted = Case(
        When(claim__status=Annotation.ACCEPTED, source__status=Annotation.ACCEPTED, then=Value(True)),
        default=Value(False),
    )
    rows = (
        Attribution.objects.filter(_counted("claim__"), _counted("source__"))
        .filter(claim__article_id__in=article_ids)
        .values(
            "form",
            article=F("claim__article_id"),
            claim_label=F("claim__label_id"),
            both=both_accepted,
            anon=F("source__anonymity"),
            kind=Coalesce(F("source__source_entity__source_type"), Value("")),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return rows, {
        "article_id": 'q."article"', "claim_label_id": 'q."claim_label"', "accepted": 'q."both"',
        "anonymity": 'q."anon"', "source_type": 'q."kind"', "form": 'q."form"', "n": 'q."n"',
    }  # fmt: skip


def _target_cells(article_ids):
    rows = (
        Annotation.all_objects.filter(_counted(), article_id__in=article_ids)
        .filter(Q(tone_target_entity__isnull=False) | ~Q(tone_target_text=""))
        .values("article_id", "label_id", "status", "tone_target_entity_id")
        .annotate(text=Lower(Trim("tone_target_text")))
        .values("article_id", "label_id", "status", "tone_target_entity_id", "text")
        .annotate(
            n=Count("id"),
            scored=Count("tone_intensity"),
            intensity=Coalesce(Sum("tone_intensity"), 0),
            shown=Coalesce(Max(Trim("tone_target_text")), Value("")),
        )
        .order_by()
    )
    return rows, {
        "article_id": 'q."article_id"', "label_id": 'q."label_id"', "status": 'q."status"',
        "target_entity_id": 'q."tone_target_entity_id"',
        "target_key": """CASE WHEN q."tone_target_entity_id" IS NULL THEN q."text" ELSE '' END""",
        "shown_text": 'q."shown"', "n": 'q."n"', "scored": 'q."scored"', "intensity_sum": 'q."intensity"',
    }  # fmt: skip
