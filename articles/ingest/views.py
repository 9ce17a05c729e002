"""Adding one article from pasted text or an uploaded file; several files become a job."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from articles.ingest.forms import ArticleAddForm
from articles.ingest.pipeline import store_article
from articles.ingest.tasks import FIELDS, start_file_import


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_article", raise_exception=True)
def article_add(request):
    # Bound on every POST, an empty one included, so it gets its error message.
    form = ArticleAddForm(request.POST, request.FILES) if request.method == "POST" else ArticleAddForm()
    status = 200
    duplicate = None
    if request.method == "POST":
        if form.is_valid() and "uploads" in form.cleaned_data:
            fields = {k: form.cleaned_data[k] for k in FIELDS}
            return redirect(start_file_import(form.cleaned_data["uploads"], request.user, fields))
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
