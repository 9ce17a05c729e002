"""Admin changelist actions that download annotations as CSV.

The ModelAdmins in articles/admin/ list these in their `actions`; the rows, filters and
format are those of the other exports (articles/annotation_export.py), so a CSV from
the admin is the same file the web export or the command would write.
"""

from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils import timezone

from articles.exchange.export_rows import content_type, export_stream, filename
from articles.models import Annotation
from articles.permissions import visible_annotations


def _csv_download(annotations, stem):
    chunks = export_stream(annotations, "csv")
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type("csv")
    )
    response["Content-Disposition"] = f'attachment; filename="{filename("csv", stem)}"'
    return response


@admin.action(description="Export selected annotations as CSV", permissions=["view"])
def export_annotations_csv(modeladmin, request, queryset):
    # The annotation changelist also lists deleted annotations (to restore them);
    # exports never contain those.
    return _csv_download(
        visible_annotations(request.user, queryset.filter(deleted_at__isnull=True)),
        f"annotations-{timezone.now():%Y-%m-%d}-selected",
    )


@admin.action(description="Export the annotations of selected articles as CSV", permissions=["view"])
def export_articles_annotations_csv(modeladmin, request, queryset):
    # Viewing articles is not viewing their annotations.
    if not request.user.has_perm("articles.view_annotation"):
        modeladmin.message_user(
            request, "You may not view annotations, so you cannot export them.", messages.ERROR
        )
        return None
    annotations = visible_annotations(
        request.user, Annotation.objects.filter(article__in=queryset.order_by().values("pk"))
    )
    return _csv_download(annotations, f"articles-annotations-{timezone.now():%Y-%m-%d}")
