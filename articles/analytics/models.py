"""Summary tables behind the whole-archive analytics views (docs/analytics.md, "Speed").

Each table holds, per article, the counts the aggregation needs, split by what the
filters choose at read time (label, review status); the article's outlet and date are
joined at read time, so editing an article needs no refresh. The rows are derived data:
`articles/analytics/summary.py` recomputes an article's rows from the annotations, and
database triggers (migration analytics2_summary_triggers) mark an article dirty on any
write that can change them, whichever path made it (ORM, bulk_create, QuerySet.update,
raw SQL). Only counted annotations (live, not rejected) are summed.
"""

from django.db import models


def _article():
    # No database constraint: a deleted article's rows are dropped at its refresh, and the
    # read path joins the articles, so a row never outlives its article in a figure.
    return models.ForeignKey(
        "articles.Article", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )


class DirtyArticle(models.Model):  # noqa: DJ008 (derived rows, never shown)
    """An article whose summary rows must be recomputed (filled by triggers)."""

    article_id = models.BigIntegerField()

    class Meta:
        db_table = "analytics_dirty"


class AnnotationCell(models.Model):  # noqa: DJ008
    """Counted annotations of one article, label and status (pending or accepted)."""

    article = _article()
    label_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    n = models.IntegerField()
    own_voice = models.IntegerField()
    scored = models.IntegerField()  # with a tone intensity
    intensity_sum = models.IntegerField()
    # Claims with a link to a live source that is not rejected / that is accepted.
    attributed_all = models.IntegerField()
    attributed_accepted = models.IntegerField()
    attributed_own_voice_all = models.IntegerField()
    attributed_own_voice_accepted = models.IntegerField()

    class Meta:
        db_table = "analytics_annotation_cell"
        indexes = [models.Index(fields=["article", "label_id"], name="analytics_cell_article")]


class LinkCell(models.Model):  # noqa: DJ008
    """Counted claim → source links of one article (the claim's), by the claim's label,
    whether both ends are accepted, and the source's anonymity, entity type and form."""

    article = _article()
    claim_label_id = models.BigIntegerField()
    accepted = models.BooleanField()
    anonymity = models.CharField(max_length=12)
    source_type = models.CharField(max_length=20)  # "" when the source has no entity
    form = models.CharField(max_length=12)
    n = models.IntegerField()

    class Meta:
        db_table = "analytics_link_cell"
        indexes = [models.Index(fields=["article"], name="analytics_link_article")]


class TargetCell(models.Model):  # noqa: DJ008
    """Counted tone annotations with a target, by article, label, status and target."""

    article = _article()
    label_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    target_entity_id = models.BigIntegerField(null=True)
    target_key = models.CharField(max_length=200)  # lower-cased, trimmed free text ("" for an entity)
    shown_text = models.CharField(max_length=200)  # the spelling that sorts last
    n = models.IntegerField()
    scored = models.IntegerField()
    intensity_sum = models.IntegerField()

    class Meta:
        db_table = "analytics_target_cell"
        indexes = [models.Index(fields=["article"], name="analytics_target_article")]


# Per outlet and month: the per-article rows above added up, for the whole-archive views
# (filters that choose whole months and no labels, articles or batches). Recomputed, from
# the rows above, for the (outlet, month) cells a refresh touches.


class MonthArticles(models.Model):  # noqa: DJ008
    """Articles with a counted annotation (any / an accepted one) per outlet and month."""

    outlet = models.CharField(max_length=200)
    month = models.DateField()
    articles_all = models.IntegerField()
    articles_accepted = models.IntegerField()

    class Meta:
        db_table = "analytics_month_articles"
        indexes = [models.Index(fields=["outlet", "month"], name="analytics_month_articles_key")]


class MonthCell(models.Model):  # noqa: DJ008
    outlet = models.CharField(max_length=200)
    month = models.DateField()
    label_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    n = models.IntegerField()
    own_voice = models.IntegerField()
    scored = models.IntegerField()
    intensity_sum = models.IntegerField()
    attributed_all = models.IntegerField()
    attributed_accepted = models.IntegerField()
    attributed_own_voice_all = models.IntegerField()
    attributed_own_voice_accepted = models.IntegerField()

    class Meta:
        db_table = "analytics_month_cell"
        indexes = [models.Index(fields=["outlet", "month"], name="analytics_month_cell_key")]


class MonthLinkCell(models.Model):  # noqa: DJ008
    outlet = models.CharField(max_length=200)
    month = models.DateField()
    claim_label_id = models.BigIntegerField()
    accepted = models.BooleanField()
    anonymity = models.CharField(max_length=12)
    source_type = models.CharField(max_length=20)
    form = models.CharField(max_length=12)
    n = models.IntegerField()

    class Meta:
        db_table = "analytics_month_link_cell"
        indexes = [models.Index(fields=["outlet", "month"], name="analytics_month_link_key")]


class MonthTargetCell(models.Model):  # noqa: DJ008
    outlet = models.CharField(max_length=200)
    month = models.DateField()
    label_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    target_entity_id = models.BigIntegerField(null=True)
    target_key = models.CharField(max_length=200)
    shown_text = models.CharField(max_length=200)
    n = models.IntegerField()
    scored = models.IntegerField()
    intensity_sum = models.IntegerField()

    class Meta:
        db_table = "analytics_month_target_cell"
        indexes = [models.Index(fields=["outlet", "month"], name="analytics_month_target_key")]


class ArticlePlace(models.Model):  # noqa: DJ008
    """Where an article's rows were added up (its outlet and month at the last refresh), so
    that a refresh after a move or a deletion also recomputes the cell it left."""

    article_id = models.BigIntegerField(primary_key=True)
    outlet = models.CharField(max_length=200)
    month = models.DateField()

    class Meta:
        db_table = "analytics_article_place"
        # A refresh rolls up the (outlet, month) cells it touches from their articles.
        indexes = [models.Index(fields=["outlet", "month"], name="analytics_place_key")]


# Per cited entity, for Voices: citations (counted source annotations naming the entity),
# the articles they are in, and the distinct counted claims attributed to them; "all" counts
# pending and accepted, "accepted" counts accepted citations, and claims whose claim and
# source are both accepted. The labels are collapsed (source labels for citations, claim
# labels for claims), so a label's kind changing marks its articles dirty (triggers).


class MonthEntityCell(models.Model):  # noqa: DJ008
    """One entity's figures in one outlet and month. Articles add up over months (an
    article is in one month); distinct outlets are counted over these rows at read time."""

    outlet = models.CharField(max_length=200)
    month = models.DateField()
    entity_id = models.BigIntegerField()
    citations_all = models.IntegerField()
    citations_accepted = models.IntegerField()
    articles_all = models.IntegerField()
    articles_accepted = models.IntegerField()
    claims_all = models.IntegerField()
    claims_accepted = models.IntegerField()

    class Meta:
        db_table = "analytics_month_entity_cell"
        indexes = [
            models.Index(fields=["outlet", "month"], name="analytics_month_entity_key"),
            models.Index(fields=["entity_id"], name="analytics_month_entity_entity"),
        ]


class EntityTotal(models.Model):  # noqa: DJ008
    """One entity's figures over the whole archive (the month cells added up, outlets
    counted once), for Voices without an outlet or date filter."""

    entity_id = models.BigIntegerField(primary_key=True)
    citations_all = models.IntegerField()
    citations_accepted = models.IntegerField()
    articles_all = models.IntegerField()
    articles_accepted = models.IntegerField()
    claims_all = models.IntegerField()
    claims_accepted = models.IntegerField()
    outlets_all = models.IntegerField()  # outlets with a citation
    outlets_accepted = models.IntegerField()  # outlets with an accepted citation

    class Meta:
        db_table = "analytics_entity_total"
