"""Reviewing annotations in the admin: the list with its filters and bulk actions, and
the change form in which a curator accepts, rejects or corrects one annotation.

The rules themselves (what a review, a delete or a restore does) live in
articles/annotating.py and are shared with the reader.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import transaction
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.admin.display import label_with_colour, quote_in_context
from articles.admin.history import HistoryAdmin
from articles.admin.scale import (
    SEARCH_NEWEST,
    ArchivePaginator,
    ArticleNumberFilter,
    AuthorFilter,
    IndexedSortChangeList,
    outlet_filter,
    with_labels,
    with_outlet,
)
from articles.admin.sources import WHO_SAID_WHAT_FIELDSET, AttributionInline, WhoSaidWhatForm
from articles.exchange.admin_actions import export_annotations_csv
from articles.guards.values import parse_id
from articles.models import Annotation, Label
from articles.permissions import can_change_annotation, change_voids_review, is_curator, visible_annotations
from articles.search.fulltext import SearchQueryError, matches
from articles.spans.annotating import (
    AnnotationError,
    delete_annotation,
    restore_annotation,
    review_annotations,
    stamp_review,
    update_annotation,
    void_review,
)

SHOWN_IN_CONFIRMATION = 20
# Review, delete and restore are offered on the list (for the selection) and on an
# annotation's own page (for that one annotation).
BOTH_PAGES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


class StateFilter(admin.SimpleListFilter):
    """Live annotations by default; deleted ones only when asked for, to restore them."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("deleted", "Deleted (restorable)"), ("all", "All")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Live",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(deleted_at__isnull=True)


class CategoryFilter(admin.RelatedFieldListFilter):
    """By the label's category, through its labels (articles/admin/scale.py's with_labels)."""

    def queryset(self, request, queryset):
        values = self.lookup_val or []
        ids = [parse_id(value) for value in values]
        if self.lookup_val_isnull or not ids or None in ids:
            if values and None in ids:
                raise IncorrectLookupParameters(f"“{values[ids.index(None)]}” is not a category number.")
            return super().queryset(request, queryset)
        labels = list(Label.objects.filter(category_id__in=ids).values_list("pk", flat=True))
        return with_labels(queryset, labels)


class LabelFilter(admin.RelatedFieldListFilter):
    """Label choices in one query (a label's name includes its category's)."""

    def field_choices(self, field, request, model_admin):
        return [(label.pk, str(label)) for label in Label.objects.select_related("category")]


class ChangeLabelForm(forms.Form):
    label = forms.ModelChoiceField(
        queryset=Label.objects.active().select_related("category"),
        label="New label",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the active labels."},
    )


@admin.register(Annotation)
class AnnotationAdmin(HistoryAdmin):
    change_form_template = "admin/articles/annotation/change_form.html"
    form = WhoSaidWhatForm
    autocomplete_fields = ["source_entity", "tone_target_entity"]
    delete_confirmation_template = "admin/articles/annotation/delete_confirmation.html"
    list_display = [
        "quote_column",
        "label_column",
        "article_column",
        "author",
        "status_column",
        "note_column",
        "created_at",
    ]
    list_display_links = ["quote_column"]
    list_filter = [
        StateFilter,
        "status",
        ("label__category", CategoryFilter),
        ("label", LabelFilter),
        # Typed in or read from an index: none of these lists every article or user.
        AuthorFilter,
        outlet_filter("article__outlet", narrow=with_outlet),
        ArticleNumberFilter,
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["quote", "note"]
    search_help_text = (
        'Full-text search of quotes and notes: words, "a phrase", prefix*, -exclude (newest 1,000 matches).'
    )
    list_per_page = 50
    # Newest first, the order a review pass works in, read from the annotation_newest index.
    # The other columns sort a million rows: not offered (see IndexedSortChangeList).
    ordering = ["-created_at", "-id"]
    sortable_by = ["created_at"]
    # At a million annotations: no full count, a fixed number of queries per page.
    paginator = ArchivePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would count the whole table
    actions = [
        "accept",
        "reject",
        "reset_to_pending",
        "change_label",
        export_annotations_csv,
        "soft_delete",
        "restore",
    ]
    fieldsets = [
        (None, {"fields": ["article_column", "quote_column", "label", "note"]}),
        WHO_SAID_WHAT_FIELDSET,
        ("Review", {"fields": ["status", "reviewed_by", "reviewed_at"]}),
        (
            "Record",
            {
                "fields": [
                    "author",
                    "created_at",
                    "updated_at",
                    "deleted_at",
                    "deleted_by",
                    ("start", "end"),
                    "uuid",
                ]
            },
        ),
    ]
    readonly_fields = [
        "article_column",
        "quote_column",
        "reviewed_by",
        "reviewed_at",
        "author",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
        "start",
        "end",
        "uuid",
    ]

    # --- what is listed ---

    def get_queryset(self, request):
        # all_objects: deleted annotations must stay reachable, to be restored.
        annotations = visible_annotations(request.user, Annotation.all_objects.all())
        return annotations.select_related("label__category", "author", "reviewed_by", "article").defer(
            "article__body", "article__original"
        )

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        try:
            return matches(queryset, search_term, scope="annotations", newest=SEARCH_NEWEST), False
        except SearchQueryError as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return queryset.none(), False

    @admin.display(description="quote in context", ordering="quote")
    def quote_column(self, annotation):
        return quote_in_context(annotation)

    @admin.display(description="label", ordering="label__name")
    def label_column(self, annotation):
        return label_with_colour(annotation.label)

    @admin.display(description="article", ordering="article__title")
    def article_column(self, annotation):
        url = reverse("article_detail", args=[annotation.article_id]) + f"#item-{annotation.pk}"
        return format_html('<a href="{}">{}</a>', url, Truncator(annotation.article.title).chars(40))

    @admin.display(description="status", ordering="status")
    def status_column(self, annotation):
        reviewer = ""
        if annotation.reviewed_by_id and annotation.status != Annotation.PENDING:
            reviewer = format_html(' <span class="quiet">by {}</span>', annotation.reviewed_by.get_username())
        deleted = ""
        if annotation.is_deleted:
            deleted = format_html(' <span class="status status-deleted">{}</span>', "deleted")
        return format_html(
            '<span class="status status-{}">{}</span>{}{}',
            annotation.status,
            annotation.get_status_display(),
            reviewer,
            deleted,
        )

    @admin.display(description="note", ordering="note")
    def note_column(self, annotation):
        return Truncator(annotation.note).chars(80)

    def view_on_site(self, annotation):
        return reverse("article_detail", args=[annotation.article_id]) + f"#item-{annotation.pk}"

    # --- who may do what ---

    def has_curate_permission(self, request):
        return is_curator(request.user)

    def has_add_permission(self, request):
        # Annotations are made in the reader, where a selection is checked against the text.
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_annotation(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_change_annotation(request.user, obj))

    def get_inlines(self, request, obj):
        # A claim's links to its sources; other kinds have none.
        return [AttributionInline] if obj is not None and obj.label.category.kind == "claim" else []

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_deleted:
            # A deleted annotation is restored first, then corrected.
            return readonly + ["label", "note", "status"]
        if not is_curator(request.user):
            readonly.append("status")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "label" in form.base_fields:
            # Retired labels are no longer offered, but an annotation keeps its own.
            current = obj.label_id if obj is not None else None
            offered = Label.objects.select_related("category").filter(Q(active=True) | Q(pk=current))
            form.base_fields["label"].queryset = offered
            # The codebook is edited on its own pages: no add/change/delete/view icons that
            # would act on the label itself from an annotation's page.
            widget = form.base_fields["label"].widget
            for action in ("add", "change", "delete", "view"):
                setattr(widget, f"can_{action}_related", False)
        return form

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Deletes are soft here; "soft_delete" replaces Django's permanent delete.
        actions.pop("delete_selected", None)
        return actions

    # --- saving, deleting, restoring ---

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            stamp_review(obj, request.user, obj.status)
        elif change and {"label", "note"} & set(form.changed_data) and change_voids_review(request.user, obj):
            void_review(obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not obj.is_deleted:
            delete_annotation(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for annotation in queryset.filter(deleted_at__isnull=True):
            delete_annotation(annotation, by=request.user)

    # --- bulk actions ---

    @admin.action(
        description="Accept this annotation",
        description_plural="Accept the selected annotations",
        permissions=["curate"],
        location=BOTH_PAGES,
    )
    def accept(self, request, queryset):
        self._review(request, queryset, Annotation.ACCEPTED, "Accepted")

    @admin.action(
        description="Reject this annotation",
        description_plural="Reject the selected annotations",
        permissions=["curate"],
        location=BOTH_PAGES,
    )
    def reject(self, request, queryset):
        self._review(request, queryset, Annotation.REJECTED, "Rejected")

    @admin.action(
        description="Set this annotation back to pending",
        description_plural="Set the selected annotations back to pending",
        permissions=["curate"],
        location=BOTH_PAGES,
    )
    def reset_to_pending(self, request, queryset):
        self._review(request, queryset, Annotation.PENDING, "Set back to pending")

    def _review(self, request, queryset, status, verb):
        total = queryset.count()
        count = review_annotations(queryset.filter(deleted_at__isnull=True), request.user, status)
        self.message_user(request, f"{verb}: {plural(count, 'annotation')}.", messages.SUCCESS)
        if total > count:
            skipped = plural(total - count, "deleted annotation")
            self.message_user(request, f"Skipped {skipped}; restore them first.", messages.WARNING)

    @admin.action(description="Change the label of the selected annotations…", permissions=["curate"])
    def change_label(self, request, queryset):
        form = ChangeLabelForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            label = form.cleaned_data["label"]
            count, refused = 0, []
            with transaction.atomic():
                for annotation in queryset.filter(deleted_at__isnull=True):
                    try:
                        update_annotation(annotation, label_id=label.pk)
                    except AnnotationError as exc:
                        refused.append(f"“{annotation.quote[:40]}”: {exc}")
                        continue
                    count += 1
            self.message_user(
                request, f"Changed the label of {plural(count, 'annotation')} to “{label}”.", messages.SUCCESS
            )
            if refused:
                more = f" (and {len(refused) - 3} more)" if len(refused) > 3 else ""
                as_before = "it was" if len(refused) == 1 else "they were"
                left = f"Left {plural(len(refused), 'annotation')} as {as_before}: "
                self.message_user(request, left + "; ".join(refused[:3]) + more, messages.WARNING)
            return None
        # With "select all across pages" the filtered list is the selection; one id is
        # enough for the admin to accept the post, and keeps the form small.
        select_across = request.POST.get("select_across") == "1"
        ids = queryset.values_list("pk", flat=True)
        selected = list(ids[:1] if select_across else ids)
        shown = list(queryset[:SHOWN_IN_CONFIRMATION])
        context = {
            **self.admin_site.each_context(request),
            "title": "Change the label of the selected annotations",
            "opts": self.model._meta,
            "form": form,
            "annotations": [(annotation, quote_in_context(annotation)) for annotation in shown],
            "count": queryset.count(),
            "more": max(0, queryset.count() - len(shown)),
            "selected": selected,
            "select_across": select_across,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/annotation/change_label.html", context)

    @admin.action(
        description="Delete this annotation (restorable)",
        description_plural="Delete the selected annotations (restorable)",
        permissions=["curate"],
        location=BOTH_PAGES,
    )
    def soft_delete(self, request, queryset):
        count = 0
        for annotation in queryset.filter(deleted_at__isnull=True):
            delete_annotation(annotation, by=request.user)
            count += 1
        self.message_user(
            request,
            f"Deleted {plural(count, 'annotation')}. They are hidden from the reader and exports; "
            "filter by state “Deleted” to restore them.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Restore this deleted annotation",
        description_plural="Restore the selected deleted annotations",
        permissions=["curate"],
        location=BOTH_PAGES,
    )
    def restore(self, request, queryset):
        count = 0
        for annotation in queryset.filter(deleted_at__isnull=False):
            restore_annotation(annotation)
            count += 1
        self.message_user(request, f"Restored {plural(count, 'annotation')}.", messages.SUCCESS)
