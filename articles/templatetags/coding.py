"""{% assignment_bar article %}: the reader's line about the user's coding assignment."""

from django import template

from articles.coding.models import Assignment, BatchArticle

register = template.Library()


@register.inclusion_tag("coding/_assignment_bar.html", takes_context=True)
def assignment_bar(context, article):
    request = context["request"]
    assignments = list(
        Assignment.objects.filter(article=article, analyst_id=request.user.pk)
        .select_related("batch")
        .only("id", "status", "batch__name", "batch__due_date", "batch__blind", "batch_id", "article_id")
        .order_by("batch_id")
    )
    closed = (
        set(
            BatchArticle.objects.filter(
                article=article, batch_id__in=[a.batch_id for a in assignments], adjudicated_at__isnull=False
            ).values_list("batch_id", flat=True)
        )
        if assignments
        else set()
    )
    for assignment in assignments:
        assignment.closed = assignment.batch_id in closed
    return {"assignments": assignments, "request": request, "csrf_token": context.get("csrf_token")}
