"""Adding articles by URL: the form posts here and the import runs as a job."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from articles.permissions import can_add_articles
from articles.web.forms import UrlImportForm
from articles.web.tasks import start_url_import


@require_POST
def article_add_urls(request):
    if not can_add_articles(request.user):
        raise PermissionDenied
    form = UrlImportForm(request.POST)
    if not form.is_valid():
        return render(request, "web/add_urls.html", {"url_form": form}, status=400)
    job = start_url_import(form.cleaned_data["urls"], request.user)
    return redirect(job)
