"""Adjudication (curators): the batch's articles, and one article's coders side by side,
decided passage by passage into gold annotations."""

from string import ascii_uppercase

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from articles.coding import adjudication
from articles.coding.alignment import KIND_NAMES
from articles.coding.batches import CodingError, CodingInputError
from articles.coding.models import BatchArticle, CodingBatch
from articles.coding.views import curator_only
from articles.models import Article, Category
from articles.permissions import visible_annotations
from articles.spans.reader import all_labels, codebook

CONTEXT_CHARS = 60
ACTIONS = ("accept", "adjust", "reject", "agreed", "undo", "finish", "reopen")


@require_GET
def adjudication_list(request, pk):
    curator_only(request)
    batch = get_object_or_404(CodingBatch, pk=pk)
    states = (
        BatchArticle.objects.filter(batch=batch)
        .select_related("adjudicated_by")
        .order_by("adjudicated_at", "article_id")
    )
    page = Paginator(states, 50).get_page(request.GET.get("page"))
    titles = dict(
        Article.objects.filter(pk__in=[s.article_id for s in page.object_list]).values_list("pk", "title")
    )
    for state in page.object_list:
        state.title = titles.get(state.article_id, "")
    return render(request, "coding/adjudication_list.html", {"batch": batch, "page": page})


def _context(request, batch, article, error=""):
    coders = adjudication.coders_of(batch, article)
    letters = {pk: ascii_uppercase[i] for i, (pk, _) in enumerate(coders)}
    names = dict(coders)
    annotations = visible_annotations(
        request.user, adjudication.coder_annotations(batch, article, [pk for pk, _ in coders])
    )
    groups = adjudication.article_groups(batch, article, annotations)
    decisions = adjudication.decisions_by_group(batch, article)
    details = adjudication.version_details(annotations)
    labels = all_labels()
    body = article.body
    rows = []
    for index, group in enumerate(groups):
        low = max(0, group.start - CONTEXT_CHARS)
        high = min(len(body), group.end + CONTEXT_CHARS)
        versions = []
        for pk, name in coders:
            mine = group.of(pk)
            versions.append(
                {
                    "coder": pk,
                    "letter": letters[pk],
                    "name": name,
                    "spans": [
                        {
                            "label": labels[v.label],
                            "quote": body[v.start : v.end],
                            "start": v.start,
                            "end": v.end,
                            **details.get(v.id, {}),
                        }
                        for v in mine
                    ],
                }
            )
        first = group.versions[0]
        rows.append(
            {
                "index": index,
                "group": group,
                "kind_name": KIND_NAMES[group.kind],
                "category": labels[first.label].category,
                "before": body[low : group.start],
                "passage": body[group.start : group.end],
                "after": body[group.end : high],
                "context_start": low,
                "context": body[low:high],
                "versions": versions,
                "decisions": decisions.get(group.key, []),
                "default_label": first.label,
            }
        )
    state = BatchArticle.objects.filter(batch=batch, article=article).first()
    undecided = sum(1 for row in rows if not row["decisions"])
    return {
        "batch": batch,
        "article": article,
        "state": state,
        "coders": [(pk, letters[pk], name) for pk, name in coders],
        "rows": rows,
        "undecided": undecided,
        "agreed_open": sum(1 for row in rows if not row["decisions"] and row["group"].kind == "agreed"),
        "codebook": codebook(labels),
        "style_labels": list(labels.values()),
        "categories": Category.objects.order_by("order", "name"),
        "error": error,
        "names": names,
    }


def _group(groups, key):
    for group in groups:
        if group.key == key:
            return group
    raise CodingError("the coders' annotations here have changed since the page was loaded; reload it")


def _int(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CodingInputError(f"{name} must be a whole number") from None


def _apply(request, batch, article, action):
    coders = [pk for pk, _ in adjudication.coders_of(batch, article)]
    annotations = visible_annotations(request.user, adjudication.coder_annotations(batch, article, coders))
    groups = adjudication.article_groups(batch, article, annotations)
    key = request.POST.get("group", "")
    user = request.user
    if action == "accept":
        adjudication.accept_version(
            batch, article, _group(groups, key), _int(request.POST.get("coder"), "coder"), user
        )
    elif action == "adjust":
        adjudication.accept_adjusted(
            batch,
            article,
            _group(groups, key),
            user,
            label_id=_int(request.POST.get("label"), "label"),
            start=_int(request.POST.get("start"), "start"),
            end=_int(request.POST.get("end"), "end"),
        )
    elif action == "reject":
        adjudication.reject_group(batch, article, _group(groups, key), user)
    elif action == "agreed":
        adjudication.accept_agreed(batch, article, groups, user)
    elif action == "undo":
        adjudication.undo_decision(batch, article, key)
    elif action == "finish":
        adjudication.finish(batch, article, groups, user)
    elif action == "reopen":
        adjudication.reopen(batch, article, user)


@require_http_methods(["GET", "POST"])
def adjudicate(request, pk, article_pk):
    curator_only(request)
    batch = get_object_or_404(CodingBatch, pk=pk)
    get_object_or_404(BatchArticle, batch=batch, article_id=article_pk)
    article = get_object_or_404(Article.objects.defer("original"), pk=article_pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponseBadRequest(
                f"Unknown action “{action}”.", content_type="text/plain; charset=utf-8"
            )
        try:
            _apply(request, batch, article, action)
        except CodingError as exc:
            context = _context(request, batch, article, error=f"Not done: {exc}.")
            status = 400 if isinstance(exc, CodingInputError) else 409
            return render(request, "coding/adjudicate.html", context, status=status)
        url = reverse("coding_adjudicate", args=[batch.pk, article.pk])
        position = request.POST.get("position", "")
        return redirect(f"{url}?at={position}" if position.isdigit() else url)
    return render(request, "coding/adjudicate.html", _context(request, batch, article))
