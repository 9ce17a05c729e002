"""The source registry in the admin (search, bounded filters, merge with a chosen
survivor), and who-said-what on the annotation page (attribution links inline, source
and tone fields). The rules are those of articles/sources/."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.template.response import TemplateResponse

from articles.admin.history import HistoryAdmin
from articles.models import Annotation, Attribution, Category, Source
from articles.permissions import can_attribute, can_merge_sources, visible_annotations
from articles.sources.attributing import kind_change_refusal, link_problem
from articles.sources.registry import MergeError, merge_sources

MOST_COMMON = 15


class MostCommonValueFilter(admin.SimpleListFilter):
    """The MOST_COMMON most frequent values of a column (one grouped, limited query),
    never a list of every row's value; any other value works from the URL or the search."""

    field = ""

    def lookups(self, request, model_admin):
        values = (
            Source.objects.exclude(**{self.field: ""})
            .values_list(self.field)
            .annotate(uses=Count("id"))
            .order_by("-uses", self.field)[:MOST_COMMON]
        )
        lookups = [(value, value) for value, _ in values]
        if self.value() and self.value() not in dict(lookups):
            lookups.append((self.value(), self.value()))
        return lookups

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class AffiliationFilter(MostCommonValueFilter):
    title = parameter_name = field = "affiliation"


class CountryFilter(MostCommonValueFilter):
    title = parameter_name = field = "country"


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The entity that stays. The others' citations and tone targets move to it, "
        "their names become its aliases, and they are deleted.",
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = sources


def _uses(relation):
    counted = (
        Annotation.objects.filter(**{relation: OuterRef("pk")})
        .order_by()
        .values(relation)
        .annotate(count=Count("id"))
        .values("count")
    )
    return Subquery(counted, output_field=IntegerField())


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["name", "source_type", "affiliation", "country", "anonymous", "citations"]
    list_filter = ["source_type", AffiliationFilter, CountryFilter, "anonymous"]
    search_fields = ["name", "aliases", "affiliation"]
    search_help_text = "Search names, aliases and affiliations."
    list_per_page = 100
    fields = [
        "name",
        "aliases",
        "source_type",
        "affiliation",
        "country",
        "anonymous",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["created_by", "created_at"]
    actions = ["merge"]

    def get_queryset(self, request):
        # Counted per listed row (a correlated subquery), not for the whole table.
        return super().get_queryset(request).annotate(citation_count=_uses("source_entity"))

    @admin.display(description="citations", ordering="citation_count")
    def citations(self, source):
        return source.citation_count or 0

    def has_merge_permission(self, request):
        return can_merge_sources(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge the selected entities…", permissions=["merge"])
    def merge(self, request, queryset):
        sources = queryset.order_by("name", "id")
        if sources.count() < 2:
            self.message_user(request, "Select at least two entities to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, sources=sources)
        if form.is_bound and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                moved = merge_sources(survivor, list(sources), user=request.user)
            except MergeError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {sources.count() - 1 if sources.filter(pk=survivor.pk).exists() else 0} "
                f"entities into “{survivor}”; {moved} annotations now point to it.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge source entities",
            "opts": self.model._meta,
            "form": form,
            "sources": sources.annotate(citation_count=_uses("source_entity")),
            "selected": list(sources.values_list("pk", flat=True)),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/source/merge.html", context)


class AttributionForm(forms.ModelForm):
    class Meta:
        model = Attribution
        fields = ["source", "cue", "form"]

    def clean(self):
        cleaned = super().clean()
        claim, source = self.instance.claim if self.instance.claim_id else None, cleaned.get("source")
        if claim is not None and source is not None:
            problem = link_problem(claim, source)
            if problem:
                raise forms.ValidationError(problem[:1].upper() + problem[1:] + ".")
        return cleaned

    def save(self, commit=True):
        if not self.instance.author_id:
            self.instance.author = self.linking_user
        return super().save(commit)


class AttributionInline(admin.TabularInline):
    """The claim's links to its sources, on the claim's page."""

    model = Attribution
    fk_name = "claim"
    form = AttributionForm
    fields = ["source", "cue", "form"]
    extra = 0

    def _offered_sources(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Only the source spans of the claim's own article that this user may see.
            formset.form.base_fields["source"].queryset = visible_annotations(
                request.user,
                Annotation.objects.filter(article_id=obj.article_id, label__category__kind=Category.SOURCE),
            ).select_related("label__category")
        return formset

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None and obj.label.category.kind == Category.CLAIM and can_attribute(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return obj is not None and can_attribute(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and can_attribute(request.user, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = self._offered_sources(request, obj, **kwargs)
        formset.form.linking_user = request.user  # a fresh form class per request
        return formset


class WhoSaidWhatForm(forms.ModelForm):
    """The annotation form's source and tone fields, checked against the category's kind."""

    def clean(self):
        cleaned = super().clean()
        label = cleaned.get("label") or getattr(self.instance, "label", None)
        if label is None:
            return cleaned
        kind = label.category.kind
        errors = {}
        changed = self.instance.pk and label.pk != self.instance.label_id
        if changed and (refusal := kind_change_refusal(self.instance, label)):
            errors["label"] = refusal[:1].upper() + refusal[1:] + "."
        if kind != Category.SOURCE:
            for name in ("source_entity", "anonymity"):
                if cleaned.get(name):
                    errors[name] = "Only source annotations name an entity and an anonymity."
        if kind != Category.TONE:
            for name in ("tone_intensity", "tone_target_entity", "tone_target_text"):
                if cleaned.get(name):
                    errors[name] = "Only tone annotations have an intensity and a target."
        elif cleaned.get("tone_target_entity") and cleaned.get("tone_target_text"):
            errors["tone_target_text"] = "A tone has one target: an entity or a text, not both."
        if kind != Category.CLAIM and cleaned.get("own_voice"):
            errors["own_voice"] = "Only claims can be the outlet's own voice."
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def who_said_what_links():
    """Prefetch for who_said_what(): a claim's live links with their sources' entities."""
    return Prefetch(
        "attributions",
        queryset=Attribution.objects.live().select_related("source__source_entity").order_by("source__start"),
        to_attr="live_links",
    )


def who_said_what(annotation):
    """One line for the article page: "← source (cue, form)", the entity, or the tone."""
    kind = annotation.label.category.kind
    if kind == Category.CLAIM:
        links = getattr(annotation, "live_links", None)
        if links is None:
            links = who_said_what_links().queryset.filter(claim=annotation)
        parts = [
            f"← {link.source.source_entity.name if link.source.source_entity else link.source.quote[:40]} "
            f"({link.cue or 'no cue'}, {link.form})"
            for link in links
        ]
        return "; ".join(parts) or ("the outlet's own voice" if annotation.own_voice else "unattributed")
    if kind == Category.SOURCE:
        name = annotation.source_entity.name if annotation.source_entity else "no entity"
        return f"= {name}" + (f" ({annotation.anonymity})" if annotation.anonymity else "")
    if kind == Category.TONE and (annotation.tone_intensity or annotation.tone_score is not None):
        target = (
            annotation.tone_target_entity.name
            if annotation.tone_target_entity
            else annotation.tone_target_text
        )
        return f"intensity {annotation.tone_intensity or '—'}" + (f" → {target}" if target else "")
    return ""


WHO_SAID_WHAT_FIELDSET = (
    "Who said what",
    {
        "fields": [
            ("source_entity", "anonymity"),
            "own_voice",
            ("tone_intensity", "tone_target_entity", "tone_target_text"),
        ],
        "description": "Source: the entity and how openly it is named. Claim: the outlet's own voice, "
        "or its sources below. Tone: intensity and target.",
    },
)
