from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Annotator"  # the admin's breadcrumb would read "Articles › Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.coding import signals  # noqa: F401 -- connects the assignment receiver

        post_migrate.connect(repair_search_triggers, sender=self)


def repair_search_triggers(using, **kwargs):
    # A later migration that alters an indexed table rebuilds it on SQLite, dropping the
    # full-text triggers; put them back (articles/search/schema.py).
    from django.db import connections

    from articles.search.schema import ensure_sqlite_triggers

    ensure_sqlite_triggers(connections[using])
