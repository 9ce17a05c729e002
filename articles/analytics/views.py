"""The analytics pages (overview, sourcing, voices, tone, over time) and their CSV
downloads. Filters live in the query string, so every view can be bookmarked and shared;
the numbers come from reports.py (tables) over aggregation.py (GROUP BYs)."""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.analytics import aggregation as agg
from articles.analytics import charts, reports
from articles.coding.models import CodingBatch
from articles.models import Article, Source
from articles.permissions import can_view_analytics

URL_NAMES = {
    "overview": "analytics_overview",
    "sourcing": "analytics_sourcing",
    "voices": "analytics_voices",
    "tone": "analytics_tone",
    "time": "analytics_time",
}


def _entity_url():
    """Links to the source registry's entity page, once that page exists."""
    try:
        reverse("source_detail", args=[1])
    except NoReverseMatch:
        return None
    return lambda pk: reverse("source_detail", args=[pk])


def _tables(view, filters, codebook):
    build = reports.VIEWS[view][1]
    if view == "voices":
        return build(filters, codebook=codebook, entity_url=_entity_url())
    return build(filters, codebook=codebook)


def _check(request):
    if not can_view_analytics(request.user):
        raise PermissionDenied("Your role may not see the analytics.")


def _page(request, view):
    _check(request)
    codebook = agg.Codebook.load()
    error = ""
    try:
        filters = agg.parse_filters(request.GET, viewer=request.user)
    except agg.FilterError as exc:
        filters, error = None, f"Cannot filter: {exc}."
    query = urlencode(filters.query_items()) if filters else ""
    tables = []
    if filters:
        for table in _tables(view, filters, codebook):
            table.svg = charts.render(table)
            table.csv_url = reverse("analytics_csv", args=[view, table.id]) + (f"?{query}" if query else "")
            tables.append(table)
    context = {
        "view": view,
        "view_title": reports.VIEWS[view][0],
        "tabs": [(key, title, reverse(URL_NAMES[key])) for key, (title, _) in reports.VIEWS.items()],
        "query": query,
        "filters": filters or agg.Filters(),
        "error": error,
        "tables": tables,
        "form": _form_choices(filters or agg.Filters(), codebook, request.GET),
    }
    return render(request, "analytics/page.html", context, status=400 if error else 200)


def _form_choices(filters, codebook, raw):
    users = get_user_model()
    authors = dict(users.objects.filter(pk__in=filters.author_ids).values_list("pk", users.USERNAME_FIELD))
    categories = {}
    for label in sorted(
        codebook.labels.values(), key=lambda lb: (lb.category.order, lb.category.name, lb.order)
    ):
        categories.setdefault(label.category, []).append(label)
    return {
        "outlets": agg.outlets(),
        "categories": list(categories.items()),
        "statuses": list(agg.STATUSES.items()),
        "batches": list(CodingBatch.objects.order_by("-created_at", "-id").values_list("pk", "name")[:200]),
        "author": ", ".join(authors[pk] for pk in filters.author_ids) if authors else raw.get("author", ""),
        "types": [(key, name) for key, name in Source.TYPE_CHOICES],
        "periods": list(agg.PERIODS.items()),
        "measures": [(key, measure.name) for key, measure in agg.MEASURES.items()],
        "active": filters.narrowed,
    }


@require_GET
def overview(request):
    return _page(request, "overview")


@require_GET
def sourcing(request):
    return _page(request, "sourcing")


@require_GET
def voices(request):
    return _page(request, "voices")


@require_GET
def tone(request):
    return _page(request, "tone")


@require_GET
def over_time(request):
    return _page(request, "time")


@require_GET
def table_csv(request, view, table):
    """One table of a view, as CSV: the numbers the page shows, for the same filters."""
    _check(request)
    if view not in reports.VIEWS:
        raise Http404("No such analytics view.")
    try:
        filters = agg.parse_filters(request.GET, viewer=request.user)
    except agg.FilterError as exc:
        return HttpResponseBadRequest(f"Cannot filter: {exc}.", content_type="text/plain; charset=utf-8")
    found = next((t for t in _tables(view, filters, agg.Codebook.load()) if t.id == table), None)
    if found is None:
        raise Http404("No such table in this view.")
    response = HttpResponse(reports.table_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="analytics-{view}-{table}-{timezone.now():%Y-%m-%d}.csv"'
    )
    return response


@require_GET
def article_figures(request, pk):
    """The reading page's figures strip, fetched once the page is there: its queries
    and rendering stay out of the page's own response."""
    _check(request)
    article = get_object_or_404(Article.objects.only("pk"), pk=pk)
    # Blind coding: the figures count only what the user may see.
    summary = agg.article_summary(article, request.user)
    return render(request, "analytics/_article_summary.html", {"article_summary": summary})
