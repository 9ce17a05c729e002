"""A throwaway admin site with only the export actions, so their tests do not depend
on how the curation admin (articles/admin/) is set up."""

from django.contrib import admin
from django.urls import include, path

from articles.exchange.admin_actions import export_annotations_csv, export_articles_annotations_csv
from articles.models import Annotation, Article

site = admin.AdminSite(name="export_test_admin")


class AnnotationExportAdmin(admin.ModelAdmin):
    actions = [export_annotations_csv]

    def get_queryset(self, request):
        return Annotation.all_objects.all()  # like the curation admin: deleted ones too


class ArticleExportAdmin(admin.ModelAdmin):
    actions = [export_articles_annotations_csv]


site.register(Annotation, AnnotationExportAdmin)
site.register(Article, ArticleExportAdmin)

urlpatterns = [
    path("test-admin/", site.urls),
    path("", include("articles.urls")),
]
