from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Annotator"  # the admin's breadcrumb would read "Articles › Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.coding import signals  # noqa: F401 -- connects the assignment receiver
