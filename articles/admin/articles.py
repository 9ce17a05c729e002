"""Articles in the admin: the list with annotation counts and review progress, and an
article's page with its annotations inline, in text order, ready for review.

An article's text is frozen once annotations point into it: their offsets count code
points into that exact text, so an edit would silently move every span after it.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.utils import ErrorDict
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.display import PlainSelect, quote_in_context
from articles.admin.history import HistoryAdmin
from articles.admin.scale import SEARCH_NEWEST, ArchivePaginator, IndexedSortChangeList, outlet_filter
from articles.admin.sources import who_said_what, who_said_what_links
from articles.admin.web import FetchedPageMixin
from articles.exchange.admin_actions import export_articles_annotations_csv
from articles.ingest.cleaning import normalise_text
from articles.models import Annotation, Article, Category, Label, content_hash
from articles.permissions import is_curator, visible_annotations
from articles.search.fulltext import SearchQueryError, matches
from articles.spans.annotating import stamp_review

LIVE = Q(annotations__deleted_at__isnull=True)
TEXT_LOCKED = (
    "The text is read-only because {count} into it: changing it would move "
    "their highlighted passages. Re-anchoring annotations to an edited text is not available yet."
)


def count_column(name):
    return f"n_category_{name}"


class PendingFilter(admin.SimpleListFilter):
    title = "pending annotations"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", "Has pending annotations"), ("no", "Nothing pending")]

    def queryset(self, request, queryset):
        pending = Annotation.objects.filter(article=OuterRef("pk"), status=Annotation.PENDING)
        if self.value() == "yes":
            return queryset.filter(Exists(pending))
        if self.value() == "no":
            return queryset.filter(~Exists(pending))
        return queryset


class ArticleChangeList(IndexedSortChangeList):
    """Annotation counts for the rows of the page only, in one query."""

    def get_results(self, request):
        super().get_results(request)
        articles = list(self.result_list)
        counts = (
            Annotation.objects.filter(article__in=[article.pk for article in articles])
            .order_by()
            .values_list("article", "label__category", "status")
            .annotate(n=Count("pk"))
        )
        categories = [count_column(category.pk) for category in self.model_admin.categories(request)]
        for article in articles:
            article.n_live = article.n_pending = 0
            for name in categories:
                setattr(article, name, 0)
        by_pk = {article.pk: article for article in articles}
        for article_pk, category_pk, status, n in counts:
            article = by_pk[article_pk]
            article.n_live += n
            if status == Annotation.PENDING:
                article.n_pending += n
            name = count_column(category_pk)
            setattr(article, name, getattr(article, name, 0) + n)
        self.result_list = articles


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "outlet", "byline", "url", "published", "body"]
        labels = {"url": "URL"}

    def clean_body(self):
        # The same canonical form ingest produces, so offsets mean the same everywhere.
        body = normalise_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("The text cannot be empty.")
        twin = Article.objects.filter(content_hash=content_hash(body)).exclude(pk=self.instance.pk).first()
        if twin is not None:
            raise forms.ValidationError(f"Another article already has exactly this text: “{twin}”.")
        return body


class AnnotationReviewForm(forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["label", "status"]

    def full_clean(self):
        # A row the curator did not touch needs no validation (and no queries): with
        # 1,000 annotations inline, saving the article stays a handful of queries.
        if self.is_bound and self.instance.pk and not self.has_changed():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class AnnotationReviewFormSet(forms.BaseInlineFormSet):
    """Label choices built once for the whole page, not once per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = list(Label.objects.select_related("category"))
        self.active_choices = [(label.pk, str(label)) for label in labels if label.active]
        self.retired = {label.pk: label for label in labels if not label.active}
        self.active_labels = Label.objects.filter(active=True)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if "label" not in form.fields:
            return form  # read-only for this user (not a curator)
        field = form.fields["label"]
        current = form.instance.label_id
        # Retired labels are no longer offered, but an annotation keeps its own.
        if current in self.retired:
            field.queryset = Label.objects.filter(Q(active=True) | Q(pk=current))
            field.choices = [*self.active_choices, (current, f"{self.retired[current]} (retired)")]
        else:
            field.queryset = self.active_labels
            field.choices = self.active_choices
        # Each row's menus are named after its quote: the column header alone names nothing
        # for a screen reader.
        if form.instance.pk:
            quote = form.instance.short_quote
            field.widget.attrs["aria-label"] = f"Label of “{quote}”"
            form.fields["status"].widget.attrs["aria-label"] = f"Review status of “{quote}”"
        return form


class AnnotationInline(admin.TabularInline):
    model = Annotation
    form = AnnotationReviewForm
    formset = AnnotationReviewFormSet
    fields = ["quote_in_context", "label", "status", "author", "note", "who_said_what", "reviewed"]
    readonly_fields = ["quote_in_context", "author", "note", "who_said_what", "reviewed"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "annotations, in text order"
    # Django's tabular inline with its rows drawn in Python (articles/admin/tabular.py).
    template = "admin/articles/article/annotation_inline.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "label":
            # No add/change/view icons beside each of up to 1,000 label menus.
            formfield.widget = formfield.widget.widget
        if db_field.name in ("label", "status"):
            formfield.widget = PlainSelect(attrs=formfield.widget.attrs, choices=formfield.widget.choices)
        return formfield

    def get_queryset(self, request):
        # `objects` shows live annotations only; deleted ones are restored from their list.
        return (
            visible_annotations(request.user, super().get_queryset(request))
            .select_related("label__category", "author", "reviewed_by", "source_entity", "tone_target_entity")
            .prefetch_related(who_said_what_links())
            .order_by("start", "end", "id")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return is_curator(request.user)

    def get_readonly_fields(self, request, obj=None):
        if is_curator(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "label", "status"]

    @admin.display(description="quote in context")
    def quote_in_context(self, annotation):
        return quote_in_context(annotation)

    @admin.display(description="who said what")
    def who_said_what(self, annotation):
        return who_said_what(annotation)

    @admin.display(description="reviewed")
    def reviewed(self, annotation):
        if annotation.reviewed_by_id is None or annotation.status == Annotation.PENDING:
            return ""
        return f"{annotation.reviewed_by.get_username()}, {annotation.reviewed_at:%d %b %Y %H:%M}"


@admin.register(Article)
class ArticleAdmin(FetchedPageMixin, HistoryAdmin):
    form = ArticleForm
    inlines = [AnnotationInline]
    list_display = ["title", "outlet", "created_at", "review_progress", "reader_link"]
    list_filter = [
        outlet_filter("outlet"),
        ("created_at", admin.DateFieldListFilter),
        PendingFilter,
    ]
    search_fields = ["title"]
    search_help_text = (
        'Full-text search of titles and texts: words, "a phrase", prefix*, -exclude (newest 1,000 matches).'
    )
    paginator = ArchivePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would count the whole table
    # Newest first (article_newest); sorting by title or outlet would sort the archive.
    sortable_by = ["created_at"]
    list_per_page = 50
    readonly_fields = ["source_format", "added_by", "created_at", "updated_at", "content_hash", "original"]
    readonly_fields += ["canonical_url", "fetched_page"]
    actions = [export_articles_annotations_csv]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "articles_article_changelist":
            # The list never shows the text; its counts are read for the page's rows only
            # (ArticleChangeList), so a page costs the same at any archive size.
            queryset = queryset.defer("body", "original")
        return queryset

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_search_results(self, request, queryset, search_term):
        try:
            return matches(queryset, search_term, scope="articles", newest=SEARCH_NEWEST), False
        except SearchQueryError as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return queryset.none(), False

    def categories(self, request):
        # One query per request, shared by the list's columns and its counts.
        if not hasattr(request, "_codebook_categories"):
            request._codebook_categories = list(Category.objects.order_by("order", "name"))
        return request._codebook_categories

    def get_list_display(self, request):
        # Built once per request: the admin compares these columns by identity when it
        # decides which ones are sortable.
        if not hasattr(request, "_category_columns"):
            request._category_columns = [self.category_column(c) for c in self.categories(request)]
        return ["title", "outlet", "created_at", *request._category_columns, "review_progress", "reader_link"]

    @staticmethod
    def category_column(category):
        name = count_column(category.pk)

        @admin.display(description=category.name)
        def column(article):
            return getattr(article, name)

        column.__name__ = name
        return column

    @admin.display(description="review progress")
    def review_progress(self, article):
        reviewed = article.n_live - article.n_pending
        if not article.n_live:
            return "—"
        return format_html(
            '<progress value="{}" max="{}"></progress> {} of {} reviewed',
            reviewed,
            article.n_live,
            reviewed,
            article.n_live,
        )

    @admin.display(description="reader")
    def reader_link(self, article):
        return format_html('<a href="{}">View in the reader</a>', article.get_absolute_url())

    def get_fieldsets(self, request, obj=None):
        text = {"fields": ["body"]}
        locked = self.annotation_count(obj)
        if locked:
            count = "1 annotation points" if locked == 1 else f"{locked} annotations point"
            text["description"] = TEXT_LOCKED.format(count=count)
        return [
            (None, {"fields": ["title", "outlet", "byline", "url", "published"]}),
            ("Text", text),
            (
                "Where it came from",
                {
                    "fields": [
                        "source_format",
                        "added_by",
                        "created_at",
                        "updated_at",
                        "content_hash",
                        "original",
                        "canonical_url",
                        "fetched_page",
                    ],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.annotation_count(obj):
            readonly.append("body")
        return readonly

    def annotation_count(self, article):
        """Annotations pointing into `article`'s text, deleted ones included (they can return)."""
        if article is None or article.pk is None:
            return 0
        if not hasattr(article, "_annotation_count"):
            article._annotation_count = Annotation.all_objects.filter(article=article).count()
        return article._annotation_count

    def add_view(self, request, form_url="", extra_context=None):
        # Articles come in through the ingest pipeline (cleaning, title detection, duplicates).
        return HttpResponseRedirect(reverse("article_add"))

    def save_formset(self, request, form, formset, change):
        if formset.model is Annotation:
            for annotation in formset.save(commit=False):
                if "status" in dict(formset.changed_objects).get(annotation, []):
                    stamp_review(annotation, request.user, annotation.status)
                annotation.save()
            return
        super().save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        # Deleting an article would delete its annotations with it; that work is protected.
        annotated = (
            Article.objects.filter(pk__in=[article.pk for article in objs])
            .annotate(n=Count("annotations"))
            .filter(n__gt=0)
        )
        if annotated:
            return (
                [],
                {},
                set(),
                [
                    f"“{article}” has {article.n} annotation{'s' if article.n != 1 else ''} (deleted ones "
                    "included). An article with annotations cannot be deleted, so that no analyst's "
                    "work is lost."
                    for article in annotated.only("id", "title")
                ],
            )
        return super().get_deleted_objects(objs, request)
