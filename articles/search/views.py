"""The article list: newest first, searchable, paginated."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.models import Article

PAGE_SIZE = 25


def search_articles(query):
    articles = Article.objects.defer("original", "body")
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return articles


@require_GET
def article_list(request):
    query = request.GET.get("q", "").strip()
    articles = (
        search_articles(query)
        .annotate(annotation_count=Count("annotations", filter=Q(annotations__deleted_at__isnull=True)))
        .order_by("-created_at", "-id")
    )  # Meta.ordering is not applied to GROUP BY queries
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query}
    if request.htmx and request.htmx.target == "article-results":
        return render(request, "articles/list.html#results", context)
    return render(request, "articles/list.html", context)
