"""The agreement page of a batch, and its tables as CSV downloads (curators)."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.coding.batch_agreement import TABLES, batch_report, table_csv
from articles.coding.models import CodingBatch
from articles.coding.views import curator_only


def bar(value):
    """Width (0–100) of a figure's SVG bar; below zero draws nothing (the number says it)."""
    return 0 if value is None else round(100 * max(0.0, min(1.0, value)), 1)


def pair_matrix(pairs):
    coders = sorted({p["coder_a"] for p in pairs} | {p["coder_b"] for p in pairs}, key=str)
    cells = {}
    for pair in pairs:
        cells[(pair["coder_a"], pair["coder_b"])] = cells[(pair["coder_b"], pair["coder_a"])] = pair
    return coders, [(a, [cells.get((a, b)) if a != b else "self" for b in coders]) for a in coders]


@require_GET
def batch_agreement(request, pk):
    curator_only(request)
    batch = get_object_or_404(CodingBatch, pk=pk)
    download = request.GET.get("download")
    if download is not None and download not in TABLES:
        return HttpResponseBadRequest(
            f"Unknown table “{download}”: use one of {', '.join(TABLES)}.",
            content_type="text/plain; charset=utf-8",
        )
    report = batch_report(batch)
    if download:
        response = HttpResponse(table_csv(report[download]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-agreement-{download}.csv"'
        return response
    for row in report["labels"]:
        row["bar"] = bar(row["alpha_u"])
        row["nominal_bar"] = bar(row["alpha_nominal"])
    coders, matrix = pair_matrix(report["pairs"])
    context = {"batch": batch, "report": report, "coders": coders, "matrix": matrix}
    return render(request, "coding/agreement.html", context)
