"""The article list: newest first or ranked by a full-text search, with filters, paginated.

Search and filters live in articles/search/fulltext.py and listing.py; this view parses
the query string, asks them for one page, and renders it (whole page, or the results
partial for HTMX).
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.models import Annotation, Article
from articles.paging import PAGE_SIZE, Page, Total, page_number, table_total
from articles.search import fulltext
from articles.search.forms import ArticleSearchForm
from articles.search.listing import (
    LIST_FIELDS,
    filter_annotations,
    filter_articles,
    filtered_total,
    newest_page,
    outlets,
    with_annotation_counts,
)


def search_articles(query):
    """Articles matching a full-text `query` (all of them for an empty one), unranked.

    The export follows the list's search through this; SearchQueryError for a query
    that looks for nothing.
    """
    return fulltext.matches(Article.objects.defer("original", "body"), query)


def _article_hits(query, filters, user, number):
    within = filter_articles(Article.objects.all(), filters, user) if filters.active else None
    results = fulltext.search(query, "articles", within, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    hits = results.hits[:PAGE_SIZE]
    rows = Article.objects.only(*LIST_FIELDS).in_bulk([hit.pk for hit in hits])
    articles = []
    for hit in hits:
        if hit.pk in rows:  # gone between the two queries
            rows[hit.pk].snippet = hit.snippet
            articles.append(rows[hit.pk])
    total = Total(results.total, more=results.more)
    return Page(with_annotation_counts(articles, user), number, len(results.hits) > PAGE_SIZE, total)


def _annotation_hits(query, filters, user, number):
    within = filter_annotations(Annotation.objects.all(), filters, user)
    results = fulltext.search(
        query, "annotations", within, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
    )
    hits = results.hits[:PAGE_SIZE]
    rows = (
        Annotation.objects.select_related("label__category", "author", "article")
        .only(
            "id",
            "article_id",
            "article__title",
            "label__name",
            "label__colour",
            "label__category__name",
            "author__username",
            "created_at",
        )
        .in_bulk([hit.pk for hit in hits])
    )
    annotations = []
    for hit in hits:
        if hit.pk in rows:
            rows[hit.pk].snippet = hit.snippet
            annotations.append(rows[hit.pk])
    return Page(annotations, number, len(results.hits) > PAGE_SIZE, Total(results.total, more=results.more))


@require_GET
def article_list(request):
    form = ArticleSearchForm(request.GET)
    context = {"form": form, "query": "", "scope": "articles", "page": None, "filtered": False}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        query = form.cleaned_data["q"]
        scope = form.cleaned_data["scope"] or "articles"
        filters = form.filters()
        number = page_number(request.GET.get("page"))
        context.update(query=query, scope=scope, filtered=filters.active)
        if scope == "annotations":
            if not request.user.has_perm("articles.view_annotation"):
                status = 403
                context["refusal"] = "You may not search the annotations."
            elif query:
                context["page"] = _annotation_hits(query, filters, request.user, number)
        elif query:
            context["page"] = _article_hits(query, filters, request.user, number)
        else:
            articles = filter_articles(Article.objects.all(), filters, request.user)
            page = newest_page(articles, number, request.user)
            page.total = filtered_total(articles) if filters.active else table_total(Article)
            context["page"] = page
    if context["page"] is not None:
        noun = "match" if context["query"] else "article"
        context["total"] = context["page"].total.describe(noun)
    if request.htmx and request.htmx.target == "article-results":
        return render(request, "articles/list.html#results", context, status=status)
    context["outlets"] = outlets()
    return render(request, "articles/list.html", context, status=status)
