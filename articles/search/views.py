"""The article list: newest first, searchable, paginated."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.coding.batches import CodingInputError
from articles.coding.filters import coding_filters, filter_articles, filters_query
from articles.models import Annotation, Article
from articles.permissions import visible_annotations

PAGE_SIZE = 25


def search_articles(query):
    articles = Article.objects.defer("original", "body")
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return articles


def visible_annotation_count(user):
    """Each article's live annotations that `user` may see, counted for the current page only."""
    visible = visible_annotations(user, Annotation.objects.filter(article=OuterRef("pk")))
    counted = visible.order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@require_GET
def article_list(request):
    query = request.GET.get("q", "").strip()
    try:
        coding = coding_filters(request.GET)
    except CodingInputError as exc:
        return HttpResponseBadRequest(f"Cannot filter: {exc}.", content_type="text/plain; charset=utf-8")
    articles = (
        filter_articles(search_articles(query), request.user, **coding)
        .annotate(annotation_count=visible_annotation_count(request.user))
        .order_by("-created_at", "-id")
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "coding": coding, "filters": filters_query(**coding)}
    if request.htmx and request.htmx.target == "article-results":
        return render(request, "articles/list.html#results", context)
    return render(request, "articles/list.html", context)
