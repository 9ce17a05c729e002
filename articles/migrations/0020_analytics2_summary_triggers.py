# ruff: noqa: S608 (constant SQL, no input)
"""Triggers that mark an article's analytics summary dirty on every write that can change
it (articles/analytics/models.py), one set per database vendor, and every existing article
marked dirty so the first read fills the summary."""

from django.db import migrations

COLUMNS = (
    "article_id, label_id, status, deleted_at, own_voice, tone_intensity, source_entity_id, "
    "anonymity, tone_target_entity_id, tone_target_text"
)
# Articles whose figures a row touches: its own, and the articles of the claims citing it
# (a source annotation's status or entity changes those claims' link counts).
CITING = "SELECT c.article_id FROM articles_attribution l JOIN articles_annotation c ON c.id = l.claim_id WHERE l.source_id = {row}.id"
LINKED = "SELECT article_id FROM articles_annotation WHERE id IN ({row}.claim_id, {row}.source_id)"
ENTITY = (
    "SELECT article_id FROM articles_annotation WHERE source_entity_id = NEW.id "
    "UNION SELECT c.article_id FROM articles_attribution l JOIN articles_annotation s ON s.id = l.source_id "
    "JOIN articles_annotation c ON c.id = l.claim_id WHERE s.source_entity_id = NEW.id"
)
DIRTY = "INSERT INTO analytics_dirty (article_id)"
EVERY_ARTICLE = "INSERT INTO analytics_dirty (article_id) SELECT id FROM articles_article"

SQLITE = [
    f"CREATE TRIGGER analytics_annotation_ins AFTER INSERT ON articles_annotation "
    f"BEGIN {DIRTY} VALUES (NEW.article_id); END",
    f"CREATE TRIGGER analytics_annotation_upd AFTER UPDATE OF {COLUMNS} ON articles_annotation "
    f"BEGIN {DIRTY} VALUES (OLD.article_id); {DIRTY} SELECT NEW.article_id WHERE NEW.article_id <> OLD.article_id; "
    f"{DIRTY} {CITING.format(row='NEW')}; END",
    f"CREATE TRIGGER analytics_annotation_del AFTER DELETE ON articles_annotation "
    f"BEGIN {DIRTY} VALUES (OLD.article_id); {DIRTY} {CITING.format(row='OLD')}; END",
    f"CREATE TRIGGER analytics_attribution_ins AFTER INSERT ON articles_attribution "
    f"BEGIN {DIRTY} {LINKED.format(row='NEW')}; END",
    f"CREATE TRIGGER analytics_attribution_upd AFTER UPDATE OF claim_id, source_id, form ON articles_attribution "
    f"BEGIN {DIRTY} {LINKED.format(row='OLD')}; {DIRTY} {LINKED.format(row='NEW')}; END",
    f"CREATE TRIGGER analytics_attribution_del AFTER DELETE ON articles_attribution "
    f"BEGIN {DIRTY} {LINKED.format(row='OLD')}; END",
    f"CREATE TRIGGER analytics_source_upd AFTER UPDATE OF source_type ON articles_source "
    f"BEGIN {DIRTY} {ENTITY}; END",
    # An article's outlet and date place its rows in a month cell.
    f"CREATE TRIGGER analytics_article_upd AFTER UPDATE OF outlet, published, created_at ON articles_article "
    f"BEGIN {DIRTY} VALUES (NEW.id); END",
    f"CREATE TRIGGER analytics_article_del AFTER DELETE ON articles_article BEGIN {DIRTY} VALUES (OLD.id); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS analytics_{name}"
    for name in ("annotation_ins", "annotation_upd", "annotation_del", "attribution_ins", "attribution_upd",
                 "attribution_del", "source_upd", "article_upd", "article_del")
]  # fmt: skip

POSTGRES = [
    f"""CREATE FUNCTION analytics_annotation_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        {DIRTY} VALUES (OLD.article_id);
        {DIRTY} {CITING.format(row="OLD")};
      END IF;
      IF TG_OP = 'INSERT' OR NEW.article_id <> OLD.article_id THEN
        {DIRTY} VALUES (NEW.article_id);
      END IF;
      RETURN NULL;
    END $$""",
    f"CREATE TRIGGER analytics_annotation_dirty AFTER INSERT OR DELETE OR UPDATE OF {COLUMNS} "
    "ON articles_annotation FOR EACH ROW EXECUTE FUNCTION analytics_annotation_dirty()",
    f"""CREATE FUNCTION analytics_attribution_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN {DIRTY} {LINKED.format(row="OLD")}; END IF;
      IF TG_OP <> 'DELETE' THEN {DIRTY} {LINKED.format(row="NEW")}; END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER analytics_attribution_dirty AFTER INSERT OR DELETE OR UPDATE OF claim_id, source_id, form "
    "ON articles_attribution FOR EACH ROW EXECUTE FUNCTION analytics_attribution_dirty()",
    f"""CREATE FUNCTION analytics_source_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.source_type IS DISTINCT FROM OLD.source_type THEN {DIRTY} {ENTITY}; END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER analytics_source_dirty AFTER UPDATE OF source_type ON articles_source "
    "FOR EACH ROW EXECUTE FUNCTION analytics_source_dirty()",
    f"""CREATE FUNCTION analytics_article_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {DIRTY} VALUES (OLD.id);
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER analytics_article_dirty AFTER DELETE OR UPDATE OF outlet, published, created_at "
    "ON articles_article FOR EACH ROW EXECUTE FUNCTION analytics_article_dirty()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS analytics_annotation_dirty ON articles_annotation",
    "DROP TRIGGER IF EXISTS analytics_attribution_dirty ON articles_attribution",
    "DROP TRIGGER IF EXISTS analytics_source_dirty ON articles_source",
    "DROP TRIGGER IF EXISTS analytics_article_dirty ON articles_article",
    "DROP FUNCTION IF EXISTS analytics_article_dirty()",
    "DROP FUNCTION IF EXISTS analytics_annotation_dirty()",
    "DROP FUNCTION IF EXISTS analytics_attribution_dirty()",
    "DROP FUNCTION IF EXISTS analytics_source_dirty()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor is None:
            return  # the test suite replaying data migrations after a flush: triggers survive a flush
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor)
        if chosen is None:
            raise RuntimeError(f"no analytics summary triggers for {vendor}")
        for sql in chosen:
            schema_editor.execute(sql, params=None)

    return run


create = _run(
    {
        "sqlite": [*SQLITE, EVERY_ARTICLE],
        "postgresql": [*POSTGRES, EVERY_ARTICLE],
    }
)
drop = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_analytics2_summary")]

    operations = [migrations.RunPython(create, drop)]
