"""Annotation export downloads and the import upload page; the work is in
articles/annotation_export.py and articles/annotation_import.py."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from articles.coding.gold import gold_only
from articles.exchange.export_rows import (
    FORMATS,
    ExportFilterError,
    annotations_for_export,
    content_type,
    export_stream,
    filename,
    parse_export_filter,
)
from articles.exchange.forms import AnnotationImportForm
from articles.exchange.import_rows import AnnotationImportError, format_for_filename, import_annotations
from articles.exchange.tasks import runs_as_job, start_annotation_import
from articles.models import Article
from articles.permissions import visible_annotations
from articles.search.fulltext import SearchQueryError
from articles.search.views import search_articles

ERRORS_SHOWN = 50


def _streamed_export(request, annotations, stem):
    """A download of `annotations` in the format the query string asks for."""
    export_format = request.GET.get("format", "csv")
    if export_format not in FORMATS:
        return HttpResponseBadRequest(
            f"Unknown export format “{export_format}”: use one of {', '.join(FORMATS)}.",
            content_type="text/plain; charset=utf-8",
        )
    chunks = export_stream(
        annotations,
        export_format,
        raw=request.GET.get("raw") == "1",
        excel=request.GET.get("excel") == "1",
        collection_id=request.build_absolute_uri(),
    )
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type(export_format)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(export_format, stem)}"'
    return response


def _filtered(request, **fixed):
    """The annotations the query string's filters select; ExportFilterError if one names nothing."""
    export_filter = parse_export_filter(
        articles=request.GET.getlist("article"),
        labels=request.GET.getlist("label"),
        authors=request.GET.getlist("author"),
        since=request.GET.get("since", ""),
    )
    annotations = visible_annotations(request.user, annotations_for_export(export_filter, **fixed))
    return gold_only(annotations) if request.GET.get("gold") == "1" else annotations


def _bad_filter(exc):
    reason = str(exc).rstrip(".")  # a search error is a sentence of its own
    return HttpResponseBadRequest(f"Cannot export: {reason}.", content_type="text/plain; charset=utf-8")


@require_GET
@permission_required("articles.view_annotation", raise_exception=True)
def annotations_export(request):
    """Everything matching the article list's search (`q`) and the filters, as a download."""
    query = request.GET.get("q", "").strip()
    try:
        annotations = _filtered(request, articles=search_articles(query) if query else None)
    except (ExportFilterError, SearchQueryError) as exc:
        return _bad_filter(exc)
    return _streamed_export(request, annotations, f"annotations-{timezone.now():%Y-%m-%d}")


@require_GET
@permission_required("articles.view_annotation", raise_exception=True)
def article_export(request, pk):
    """One article's annotations ("Export this article" on the reading page)."""
    article = get_object_or_404(Article.objects.only("pk"), pk=pk)
    try:
        annotations = _filtered(request).filter(article=article)
    except ExportFilterError as exc:
        return _bad_filter(exc)
    return _streamed_export(request, annotations, f"article-{article.pk}-annotations")


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_annotation", raise_exception=True)
def annotations_import(request):
    # Bound on every POST, even an empty one, so a missing file is reported as such.
    form = (
        AnnotationImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else AnnotationImportForm()
    )
    context = {"form": form, "report": None, "errors": [], "failure": ""}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                import_format = form.cleaned_data["format"] or format_for_filename(upload.name)
                data = upload.read()
                if runs_as_job(data):  # a large file: imported in the background (exchange/tasks.py)
                    options = {k: form.cleaned_data[k] for k in ("skip_bad", "raw")}
                    job = start_annotation_import(
                        data, upload.name, request.user, import_format=import_format, **options
                    )
                    return redirect(job)
                context["report"] = import_annotations(
                    data,
                    import_format,
                    skip_bad=form.cleaned_data["skip_bad"],
                    raw=form.cleaned_data["raw"],
                    user=request.user,
                )
                status = 200
            except AnnotationImportError as exc:
                # The page says "Nothing was imported:" itself (the command's message says it too).
                context["failure"] = str(exc).removeprefix("nothing imported: ")
                context["errors"] = exc.errors
        if context["report"]:
            context["errors"] = context["report"].skipped
        context["more_errors"] = max(0, len(context["errors"]) - ERRORS_SHOWN)
        context["errors"] = context["errors"][:ERRORS_SHOWN]
    return render(request, "articles/import.html", context, status=status)
