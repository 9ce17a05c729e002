"""Coding batches (curators), the analysts' My work queue and the reader's Mark done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.coding.batches import CodingError, create_batch, set_done
from articles.coding.forms import BatchForm
from articles.coding.models import Assignment, BatchArticle, CodingBatch
from articles.permissions import is_curator
from articles.search.views import search_articles

QUEUE_PAGE_SIZE = 50
STATUS_NAMES = dict(Assignment.STATUS_CHOICES)


def curator_only(request):
    if not is_curator(request.user):
        raise PermissionDenied("Only curators manage coding batches.")


@require_http_methods(["GET", "POST"])
def batch_new(request):
    curator_only(request)
    form = BatchForm(request.POST or None, search=search_articles, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = create_batch(
            name=data["name"],
            article_ids=data["all_article_ids"],
            analysts=list(data["analysts"]),
            coders_per_article=data["coders_per_article"],
            blind=data["blind"],
            seed=data["seed"],
            due_date=data["due_date"],
            created_by=request.user,
        )
        messages.success(
            request, f"Batch “{batch.name}” created: {len(data['all_article_ids'])} articles dealt."
        )
        return redirect("coding_batch", batch.pk)
    return render(request, "coding/batch_new.html", {"form": form}, status=400 if form.is_bound else 200)


def _initial(request):
    """Prefill from the article list ("Code these articles") or the admin's action."""
    return {"query": request.GET.get("q", ""), "article_ids": " ".join(request.GET.getlist("article"))}


def batch_progress(batch):
    """Per analyst: assigned, to do, in progress, done; one grouped query."""
    rows = (
        Assignment.objects.filter(batch=batch)
        .values("analyst_id", "analyst__username")
        .annotate(
            total=Count("pk"),
            todo=Count("pk", filter=Q(status=Assignment.TODO)),
            in_progress=Count("pk", filter=Q(status=Assignment.IN_PROGRESS)),
            done=Count("pk", filter=Q(status=Assignment.DONE)),
        )
        .order_by("analyst__username")
    )
    progress = []
    for row in rows:
        row["percent"] = round(100 * row["done"] / row["total"]) if row["total"] else 0
        progress.append(row)
    return progress


@require_GET
def batch_detail(request, pk):
    curator_only(request)
    batch = get_object_or_404(CodingBatch, pk=pk)
    progress = batch_progress(batch)
    articles = BatchArticle.objects.filter(batch=batch).aggregate(
        total=Count("pk"), adjudicated=Count("pk", filter=Q(adjudicated_at__isnull=False))
    )
    total = sum(row["total"] for row in progress)
    done = sum(row["done"] for row in progress)
    context = {
        "batch": batch,
        "progress": progress,
        "articles": articles,
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
    }
    return render(request, "coding/batch_detail.html", context)


@require_GET
def batch_list(request):
    curator_only(request)
    batches = CodingBatch.objects.annotate(
        article_count=Count("batch_articles", distinct=True),
    ).order_by("-created_at", "-id")
    page = Paginator(batches, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coding/batch_list.html", {"page": page})


@login_required
@require_GET
def my_work(request):
    status = request.GET.get("status", "")
    if status and status not in STATUS_NAMES:
        return HttpResponseBadRequest(
            f"Unknown status “{status}”: use todo, in_progress or done.",
            content_type="text/plain; charset=utf-8",
        )
    mine = Assignment.objects.filter(analyst=request.user)
    counts = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    shown = mine.filter(status=status) if status else mine
    shown = (
        shown.select_related("batch")
        .defer("batch__seed", "batch__created_by", "batch__created_at")
        .order_by("batch__due_date", "batch_id", "article_id")
    )
    paginator = Paginator(shown, QUEUE_PAGE_SIZE)
    paginator.count = counts.get(status, 0) if status else sum(counts.values())  # known already: no COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    # Titles for this page only: an Article row carries its whole text.
    from articles.models import Article

    titles = dict(
        Article.objects.filter(pk__in=[a.article_id for a in page.object_list]).values_list("pk", "title")
    )
    for assignment in page.object_list:
        assignment.article_title = titles.get(assignment.article_id, "")
    tabs = [("", "All", sum(counts.values()))] + [
        (key, name, counts.get(key, 0)) for key, name in Assignment.STATUS_CHOICES
    ]
    context = {"page": page, "status": status, "tabs": tabs}
    return render(request, "coding/my_work.html", context)


@require_POST
def assignment_done(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    if assignment.analyst_id != request.user.pk:
        raise PermissionDenied("This is another analyst's assignment.")
    done = request.POST.get("done")
    if done not in ("1", "0"):
        return HttpResponseBadRequest("Say done=1 or done=0.", content_type="text/plain; charset=utf-8")
    try:
        set_done(assignment, done == "1")
    except CodingError as exc:
        return _conflict(request, exc, assignment)
    messages.success(request, "Marked done." if done == "1" else "Back in progress.")
    return redirect(_next(request, assignment))


def _conflict(request, exc, assignment):
    context = {"error": f"Not changed: {exc}.", "back": _next(request, assignment)}
    return render(request, "coding/conflict.html", context, status=409)


def _next(request, assignment):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return assignment.article.get_absolute_url()
