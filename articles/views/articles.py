from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from articles.forms import ArticleAddForm
from articles.ingest import store_article
from articles.models import Article
from articles.views.reader import reader_context

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


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_article", raise_exception=True)
def article_add(request):
    # Bound on every POST, an empty one included, so it gets its error message.
    form = ArticleAddForm(request.POST, request.FILES) if request.method == "POST" else ArticleAddForm()
    status = 200
    duplicate = None
    if request.method == "POST":
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in ("outlet", "byline", "url", "published")}
            article, created = store_article(form.cleaned_data["ingested"], added_by=request.user, **fields)
            if created:
                return redirect(article)
            duplicate = article
            status = 409
        else:
            status = 400
    return render(request, "articles/add.html", {"form": form, "duplicate": duplicate}, status=status)


@require_GET
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.defer("original"), pk=pk)
    return render(request, "articles/detail.html", reader_context(request, article))
