import hashlib
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Keys the reader itself uses (help, next/previous annotation, open the focused one with
# e or Space, undo a deletion); a label hotkey may not shadow them.
RESERVED_HOTKEYS = frozenset({"?", "j", "k", "e", "u", " "})
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def content_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Article(models.Model):
    title = models.CharField(max_length=500)
    outlet = models.CharField("outlet", max_length=200, blank=True, help_text="Publication name")
    byline = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    canonical_url = models.URLField(
        max_length=1000, blank=True, db_index=True, help_text="The page's own canonical URL (duplicate check)"
    )
    published = models.DateField(null=True, blank=True)
    body = models.TextField(
        help_text="Canonical text: NFC, \\n line ends, paragraphs separated by one blank line. "
        "Annotation offsets count code points into it."
    )
    original = models.TextField(blank=True, help_text="The input exactly as it came in")
    source_format = models.CharField(
        max_length=10, choices=[("text", "Plain text"), ("html", "HTML")], default="text"
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_added",
    )
    # No index of its own: article_newest (created_at, id) leads with it.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # History rows are read by the article's id (the admin's history page), and by who
    # wrote them: an index on any other column was only more pages to write per row.
    history = HistoricalRecords(
        excluded_fields=["original"], no_db_index=["content_hash", "canonical_url", "added_by"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # Every ordering and filter of the article list and the admin (docs/scaling.md).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="article_newest"),
            models.Index(fields=["outlet", "-created_at", "-id"], name="article_outlet_newest"),
            models.Index(fields=["published"], name="article_published"),
            models.Index(fields=["title"], name="article_title"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])


class Category(models.Model):
    # What a category's annotations carry beyond label and note: claims are attributed to
    # sources, sources name an entity, tone has an intensity and a target. Behaviour hangs
    # on the kind, never on a category's name, so a team can add plain categories freely.
    CLAIM, SOURCE, TONE, PLAIN = "claim", "source", "tone", "plain"
    KIND_CHOICES = [(CLAIM, "Claim"), (SOURCE, "Source"), (TONE, "Tone"), (PLAIN, "Plain")]
    DISPLAY_CHOICES = [
        ("background", "Background tint"),
        ("underline", "Underline"),
        ("outline", "Dotted outline"),
    ]
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    display = models.CharField(
        max_length=12,
        choices=DISPLAY_CHOICES,
        default="background",
        help_text="How this category's highlights are drawn, so overlapping categories stay distinct",
    )
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=PLAIN)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class LabelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Label(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="labels")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text="Guidance shown in the annotation toolbar")
    colour = models.CharField(max_length=7, default="#f2c94c", help_text="#rrggbb")
    hotkey = models.CharField(max_length=1, blank=True)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired labels stay on old annotations")
    polarity = models.SmallIntegerField(
        null=True,
        blank=True,
        choices=[(-1, "Negative (−1)"), (0, "Neutral (0)"), (1, "Positive (+1)")],
        help_text="Tone labels only: the sign of the tone score (score = polarity × intensity)",
    )

    objects = LabelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["category__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="label_unique_name"),
            models.UniqueConstraint(fields=["hotkey"], condition=~Q(hotkey=""), name="label_unique_hotkey"),
        ]

    def __str__(self):
        return f"{self.category.name}: {self.name}"

    def clean(self):
        errors = {}
        if self.colour and not COLOUR_RE.match(self.colour):
            errors["colour"] = "Use a colour like #1f77b4."
        if self.hotkey:
            if self.hotkey.lower() in RESERVED_HOTKEYS:
                errors["hotkey"] = f"“{self.hotkey}” is one of the reader's own keys."
            elif Label.objects.filter(hotkey__iexact=self.hotkey).exclude(pk=self.pk).exists():
                other = Label.objects.filter(hotkey__iexact=self.hotkey).exclude(pk=self.pk).first()
                errors["hotkey"] = f"Hotkey “{self.hotkey}” is already used by {other}."
        if errors:
            raise ValidationError(errors)


LIVE = Q(deleted_at__isnull=True)


def max_note_chars():
    """settings.ANNOTATOR_MAX_NOTE_CHARS, read when a note is checked (tests change it)."""
    return settings.ANNOTATOR_MAX_NOTE_CHARS


class AnnotationQuerySet(models.QuerySet):
    def in_text_order(self):
        return self.order_by("article_id", "start", "end", "id")


class LiveAnnotationManager(models.Manager.from_queryset(AnnotationQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Annotation(models.Model):
    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    STATUS_CHOICES = [(PENDING, "Pending"), (ACCEPTED, "Accepted"), (REJECTED, "Rejected")]
    CONTEXT_CHARS = 32

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Its own narrow index stays, though annotation_article_start leads with it: without it
    # PostgreSQL's planner priced the wider index above a scan of the table for a few
    # thousand articles' annotations (the admin's outlet filter: 14 → 249 ms of SQL).
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField(help_text="Code point offset, inclusive")
    end = models.PositiveIntegerField(help_text="Code point offset, exclusive")
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(max_note_chars)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_annotations",
        db_index=False,  # annotation_reviewed_by: only the rows that have one
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Source annotations: the entity and how openly it is named.
    NAMED, ANONYMOUS, UNATTRIBUTED = "named", "anonymous", "unattributed"
    ANONYMITY_CHOICES = [(NAMED, "Named"), (ANONYMOUS, "Anonymous"), (UNATTRIBUTED, "Unattributed")]
    source_entity = models.ForeignKey(
        "articles.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annotations",
        db_index=False,  # annotation_entity_live leads with it
    )
    anonymity = models.CharField(max_length=12, choices=ANONYMITY_CHOICES, blank=True)
    # Claim annotations: marked as the outlet's own voice rather than attributed.
    own_voice = models.BooleanField(default=False)
    # Tone annotations: how strong, and toward whom (an entity or free text).
    INTENSITY_CHOICES = [(1, "1 mild"), (2, "2 clear"), (3, "3 strong")]
    tone_intensity = models.PositiveSmallIntegerField(null=True, blank=True, choices=INTENSITY_CHOICES)
    tone_target_entity = models.ForeignKey(
        "articles.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tone_targets",
        db_index=False,  # annotation_tone_target: only the rows that have one
    )
    tone_target_text = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Who deleted it: what a curator deleted only a curator may restore.
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # annotation_deleted_by: only the rows that have one
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Soft-deleted annotations are invisible through `objects` (reader, exports, panels);
    # `all_objects` sees them for the admin's restore.
    objects = LiveAnnotationManager()
    all_objects = models.Manager.from_queryset(AnnotationQuerySet)()
    # As the article's: history rows are read by the annotation's id and by who wrote them.
    history = HistoricalRecords(
        no_db_index=[
            "uuid",
            "status",
            "article",
            "label",
            "author",
            "reviewed_by",
            "source_entity",
            "tone_target_entity",
            "deleted_by",
        ]
    )

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["article", "start"], name="annotation_article_start"),
            # Live annotations in text order (the id follows on SQLite, whose index entries end
            # with the rowid): the paragraphs a create re-renders find their spans in the index
            # without reading every earlier row, and the export streams in order without a sort.
            models.Index(
                fields=["article", "start", "end"], condition=LIVE, name="annotation_live_text_order"
            ),
            # The article list's filters (has annotations, annotated by me, label used) and
            # the admin's newest-first review list; live rows only, as those views show.
            # The author is in them for the blind rule (permissions.visible_condition), which
            # every analyst's probe checks: answered from the index, no row read per annotation.
            models.Index(fields=["article", "author"], condition=LIVE, name="annotation_live_article"),
            models.Index(fields=["author", "article"], condition=LIVE, name="annotation_live_author"),
            models.Index(fields=["label", "article", "author"], condition=LIVE, name="annotation_live_label"),
            models.Index(fields=["-created_at", "-id"], condition=LIVE, name="annotation_live_newest"),
            # The admin list filtered by label or by author, newest first (SQLite sorted all
            # of a label's or an author's rows).
            models.Index(
                fields=["label", "-created_at", "-id"], condition=LIVE, name="annotation_live_label_newest"
            ),
            models.Index(
                fields=["author", "-created_at", "-id"], condition=LIVE, name="annotation_live_author_newest"
            ),
            models.Index(fields=["-created_at", "-id"], name="annotation_newest"),
            models.Index(fields=["status", "-created_at"], condition=LIVE, name="annotation_live_status"),
            # Only the few deleted rows (the admin's "Deleted" filter), newest first as that
            # list is: an index over every row's NULL would lure SQLite's planner away from
            # the indexes above, and one by deletion date had it join and sort every deleted
            # row (120 ms at a million annotations).
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(deleted_at__isnull=False),
                name="annotation_deleted_newest",
            ),
            # The Sources pages count an entity's live citations (articles/sources/stats.py).
            # Only rows that cite an entity: over every row, SQLite's planner took it for
            # `deleted_at IS NULL` (a skip-scan) and sorted a million rows for the admin list.
            models.Index(
                fields=["source_entity", "deleted_at"],
                condition=Q(source_entity__isnull=False),
                name="annotation_entity_live",
            ),
            # Foreign keys that most rows leave empty: an index of every row's NULL cost a
            # page written by every create; these hold only the rows that name someone,
            # which are all that a lookup by the key (a delete's check, say) can match.
            models.Index(
                fields=["tone_target_entity"],
                condition=Q(tone_target_entity__isnull=False),
                name="annotation_tone_target",
            ),
            models.Index(
                fields=["reviewed_by"], condition=Q(reviewed_by__isnull=False), name="annotation_reviewed_by"
            ),
            models.Index(
                fields=["deleted_by"], condition=Q(deleted_by__isnull=False), name="annotation_deleted_by"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=models.F("end")),
                name="annotation_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(tone_intensity__isnull=True) | Q(tone_intensity__gte=1, tone_intensity__lte=3),
                name="annotation_tone_intensity_range",
            ),
        ]
        permissions = [("curate_annotation", "Can review and edit anyone's annotations")]

    def __str__(self):
        return f"{self.label} “{self.short_quote}”"

    @property
    def short_quote(self):
        return self.quote if len(self.quote) <= 60 else self.quote[:57] + "…"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def tone_score(self):
        """The signed tone score: the label's polarity times the intensity (None if either is unset)."""
        polarity = self.label.polarity
        if polarity is None or self.tone_intensity is None:
            return None
        return polarity * self.tone_intensity


# Models of the capability subpackages, imported here so that Django finds them.
from articles.analytics.models import AnnotationCell  # noqa: E402,F401  (registers the module's models)
from articles.coding.models import Assignment, BatchArticle, CodingBatch, GoldDecision  # noqa: E402,F401
from articles.exchange.models import StagedAnnotation  # noqa: E402,F401
from articles.jobs.models import Job, JobItem, JobUpload  # noqa: E402,F401
from articles.sources.models import Attribution, Source  # noqa: E402,F401
from articles.web.models import ArticleSnapshot, Feed, FeedEntry  # noqa: E402,F401
