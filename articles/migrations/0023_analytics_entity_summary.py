# ruff: noqa: S608 (constant SQL, no input)
"""Voices' summary (articles/analytics/models.py: MonthEntityCell, EntityTotal), triggers
that mark the articles of a label dirty when the label's kind changes (the entity cells
collapse labels by kind), and every existing article marked dirty so the next refresh
(`manage.py refresh_analytics` after deploying, else the first analytics read) fills them."""

from django.db import migrations, models

OF_LABEL = "INSERT INTO analytics_dirty (article_id) SELECT DISTINCT article_id FROM articles_annotation WHERE label_id = NEW.id"
OF_CATEGORY = (
    "INSERT INTO analytics_dirty (article_id) SELECT DISTINCT article_id FROM articles_annotation "
    "WHERE label_id IN (SELECT id FROM articles_label WHERE category_id = NEW.id)"
)
EVERY_ARTICLE = "INSERT INTO analytics_dirty (article_id) SELECT id FROM articles_article"

SQLITE = [
    "CREATE TRIGGER analytics_label_upd AFTER UPDATE OF category_id ON articles_label "
    f"WHEN NEW.category_id <> OLD.category_id BEGIN {OF_LABEL}; END",
    "CREATE TRIGGER analytics_category_upd AFTER UPDATE OF kind ON articles_category "
    f"WHEN NEW.kind <> OLD.kind BEGIN {OF_CATEGORY}; END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS analytics_label_upd", "DROP TRIGGER IF EXISTS analytics_category_upd"]
POSTGRES = [
    f"""CREATE FUNCTION analytics_label_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.category_id IS DISTINCT FROM OLD.category_id THEN {OF_LABEL}; END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER analytics_label_dirty AFTER UPDATE OF category_id ON articles_label "
    "FOR EACH ROW EXECUTE FUNCTION analytics_label_dirty()",
    f"""CREATE FUNCTION analytics_category_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind IS DISTINCT FROM OLD.kind THEN {OF_CATEGORY}; END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER analytics_category_dirty AFTER UPDATE OF kind ON articles_category "
    "FOR EACH ROW EXECUTE FUNCTION analytics_category_dirty()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS analytics_label_dirty ON articles_label",
    "DROP TRIGGER IF EXISTS analytics_category_dirty ON articles_category",
    "DROP FUNCTION IF EXISTS analytics_label_dirty()",
    "DROP FUNCTION IF EXISTS analytics_category_dirty()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor is None:
            return  # the test suite replaying data migrations after a flush: triggers survive a flush
        chosen = statements.get(schema_editor.connection.vendor)
        if chosen is None:
            raise RuntimeError(f"no analytics summary triggers for {schema_editor.connection.vendor}")
        for sql in chosen:
            schema_editor.execute(sql, params=None)

    return run


create = _run({"sqlite": [*SQLITE, EVERY_ARTICLE], "postgresql": [*POSTGRES, EVERY_ARTICLE]})
drop = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_write_text_order_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntityTotal",
            fields=[
                ("entity_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("citations_all", models.IntegerField()),
                ("citations_accepted", models.IntegerField()),
                ("articles_all", models.IntegerField()),
                ("articles_accepted", models.IntegerField()),
                ("claims_all", models.IntegerField()),
                ("claims_accepted", models.IntegerField()),
                ("outlets_all", models.IntegerField()),
                ("outlets_accepted", models.IntegerField()),
            ],
            options={
                "db_table": "analytics_entity_total",
            },
        ),
        migrations.CreateModel(
            name="MonthEntityCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("outlet", models.CharField(max_length=200)),
                ("month", models.DateField()),
                ("entity_id", models.BigIntegerField()),
                ("citations_all", models.IntegerField()),
                ("citations_accepted", models.IntegerField()),
                ("articles_all", models.IntegerField()),
                ("articles_accepted", models.IntegerField()),
                ("claims_all", models.IntegerField()),
                ("claims_accepted", models.IntegerField()),
            ],
            options={
                "db_table": "analytics_month_entity_cell",
                "indexes": [
                    models.Index(fields=["outlet", "month"], name="analytics_month_entity_key"),
                    models.Index(fields=["entity_id"], name="analytics_month_entity_entity"),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="articleplace",
            index=models.Index(fields=["outlet", "month"], name="analytics_place_key"),
        ),
        migrations.RunPython(create, drop),
    ]
