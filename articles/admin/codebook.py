"""The codebook in the admin: categories and their labels.

A label in use is never deleted (its annotations would lose their meaning); it is
retired instead, which keeps it on old annotations and takes it out of the toolbar.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html

from articles.admin.display import colour_swatch
from articles.admin.history import HistoryAdmin
from articles.models import Annotation, Category, Label


class ColourInput(forms.TextInput):
    """The browser's own colour picker; it always submits #rrggbb."""

    input_type = "color"


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["category", "name", "description", "colour", "hotkey", "order", "active", "polarity"]
        widgets = {"colour": ColourInput, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "hotkey": "One key that picks this label in the reader. It must be unique in the codebook "
            "and not one of the reader's own keys (? j k e u and Space).",
            "order": "Position in the toolbar within the category; lower comes first.",
        }

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category") or getattr(self.instance, "category", None)
        if cleaned.get("polarity") is not None and category is not None and category.kind != Category.TONE:
            self.add_error("polarity", "Only labels of a tone category have a polarity.")
        return cleaned


def protected_labels(labels):
    """Messages for the labels among `labels` that annotations use (deleted ones too)."""
    counts = (
        Annotation.all_objects.filter(label__in=labels)
        .values("label")
        .annotate(uses=Count("id"))
        .values_list("label", "uses")
    )
    uses = dict(counts)
    return [
        f"“{label}” is used by {uses[label.pk]} annotation{'s' if uses[label.pk] != 1 else ''}. "
        "A label in use cannot be deleted; retire it instead (untick “Active”, or use the "
        "“Retire” action), and it stays on those annotations."
        for label in labels
        if label.pk in uses
    ]


class LabelInline(admin.TabularInline):
    model = Label
    form = LabelForm
    fields = ["name", "colour", "hotkey", "order", "active", "polarity"]
    extra = 0
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        # Deleting from here would bypass the in-use check; the label's own page has it.
        return False


@admin.register(Category)
class CategoryAdmin(HistoryAdmin):
    list_display = ["name", "kind", "display", "order", "label_count", "active_label_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LabelInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_labels=Count("labels", distinct=True),
                n_active=Count("labels", filter=Q(labels__active=True), distinct=True),
            )
        )

    @admin.display(description="labels", ordering="n_labels")
    def label_count(self, category):
        return category.n_labels

    @admin.display(description="active labels", ordering="n_active")
    def active_label_count(self, category):
        return category.n_active


@admin.register(Label)
class LabelAdmin(HistoryAdmin):
    form = LabelForm
    list_display = [
        "name",
        "colour_column",
        "category",
        "hotkey",
        "polarity",
        "order",
        "active",
        "annotation_count",
    ]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["category", "active"]
    search_fields = ["name", "description", "category__name"]
    actions = ["retire", "reactivate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category")
            .annotate(n_annotations=Count("annotations"))
        )

    @admin.display(description="colour", ordering="colour")
    def colour_column(self, label):
        return format_html("{} <code>{}</code>", colour_swatch(label.colour), label.colour)

    @admin.display(description="annotations", ordering="n_annotations")
    def annotation_count(self, label):
        return label.n_annotations

    @admin.action(description="Retire the selected labels (kept on old annotations)", permissions=["change"])
    def retire(self, request, queryset):
        count = self._set_active(queryset, False)
        self.message_user(request, f"Retired {count} label{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Reactivate the selected labels", permissions=["change"])
    def reactivate(self, request, queryset):
        count = self._set_active(queryset, True)
        self.message_user(request, f"Reactivated {count} label{'s' if count != 1 else ''}.", messages.SUCCESS)

    def _set_active(self, queryset, active):
        # Saved one by one, not with update(), so each change gets its history row.
        changed = 0
        for label in queryset.filter(active=not active):
            label.active = active
            label.save(update_fields=["active"])
            changed += 1
        return changed

    def get_deleted_objects(self, objs, request):
        # Annotations protect their label (on_delete=PROTECT); say so plainly instead of
        # listing every annotation, for the delete page and the "delete selected" action.
        in_use = protected_labels(list(objs))
        if in_use:
            return [], {}, set(), in_use
        return super().get_deleted_objects(objs, request)
