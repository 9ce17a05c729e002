"""Coding batches and assignments in the admin: progress per batch, and reassigning."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from articles.coding.batches import CodingError, reassign
from articles.coding.models import Assignment, CodingBatch
from articles.permissions import is_curator


@admin.register(CodingBatch)
class CodingBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "blind", "coders_per_article", "due_date", "progress", "pages"]
    search_fields = ["name"]
    readonly_fields = ["seed", "coders_per_article", "created_by", "created_at"]
    fields = ["name", "blind", "due_date", "coders_per_article", "seed", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # batches are dealt on the coding page, which needs the articles and analysts together

    def has_change_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return is_curator(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                assigned=Count("assignments"),
                done=Count("assignments", filter=Q(assignments__status=Assignment.DONE)),
            )
        )

    @admin.display(description="done")
    def progress(self, batch):
        percent = round(100 * batch.done / batch.assigned) if batch.assigned else 0
        return format_html(
            '<progress max="100" value="{}" title="{}%"></progress> {} / {}',
            percent,
            percent,
            batch.done,
            batch.assigned,
        )

    @admin.display(description="")
    def pages(self, batch):
        return format_html(
            '<a href="{}">progress, agreement, adjudication</a>', reverse("coding_batch", args=[batch.pk])
        )


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["analyst"]

    def clean_analyst(self):
        analyst = self.cleaned_data["analyst"]
        others = Assignment.objects.filter(batch=self.instance.batch_id, article=self.instance.article_id)
        if others.filter(analyst=analyst).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"{analyst} already codes this article in this batch.")
        return analyst


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ["article", "batch", "analyst", "status", "started_at", "done_at"]
    list_filter = ["status", ("batch", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["batch", "analyst"]
    search_fields = ["analyst__username", "article__title"]
    raw_id_fields = ["article"]
    fields = ["batch", "article", "analyst", "status", "started_at", "done_at"]
    readonly_fields = ["batch", "article", "status", "started_at", "done_at"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "article__original")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_module_permission(self, request):
        return is_curator(request.user)

    def save_model(self, request, obj, form, change):
        """Changing the analyst is a reassignment: the new analyst starts from "to do"."""
        if change and "analyst" in form.changed_data:
            new_analyst = obj.analyst
            obj.analyst_id = form.initial["analyst"]
            try:
                reassign(obj, new_analyst)
            except CodingError as exc:
                messages.error(request, f"Not reassigned: {exc}.")
            return
        super().save_model(request, obj, form, change)
