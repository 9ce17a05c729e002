"""Coding batches: who codes which article, blind or not, and the gold set a curator
adjudicates from the coders' annotations (docs/coding.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

MAX_CODERS_PER_ARTICLE = 5


class CodingBatch(models.Model):
    name = models.CharField(max_length=200, unique=True)
    blind = models.BooleanField(
        default=True,
        help_text="Until an article is adjudicated, each analyst sees only their own annotations on it",
    )
    coders_per_article = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_CODERS_PER_ARTICLE)]
    )
    seed = models.BigIntegerField(help_text="Deals the articles out the same way every time")
    due_date = models.DateField(null=True, blank=True)
    analysts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coding_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "coding batches"

    def __str__(self):
        return self.name


class BatchArticle(models.Model):
    """An article of a batch, and whether its adjudication is finished.

    Reopening clears `adjudicated_at`; the history keeps both moves.
    """

    batch = models.ForeignKey(CodingBatch, on_delete=models.CASCADE, related_name="batch_articles")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="batch_articles")
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "article"], name="batch_article_unique")]
        indexes = [models.Index(fields=["article", "adjudicated_at"], name="batch_article_pending")]

    def __str__(self):
        return f"{self.batch} · article {self.article_id}"

    @property
    def is_adjudicated(self):
        return self.adjudicated_at is not None


class Assignment(models.Model):
    TODO, IN_PROGRESS, DONE = "todo", "in_progress", "done"
    STATUS_CHOICES = [(TODO, "To do"), (IN_PROGRESS, "In progress"), (DONE, "Done")]

    batch = models.ForeignKey(CodingBatch, on_delete=models.CASCADE, related_name="assignments")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="assignments")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=TODO)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["batch_id", "article_id", "analyst_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "article", "analyst"], name="assignment_unique"),
        ]
        indexes = [
            models.Index(fields=["analyst", "status", "batch", "article"], name="assignment_queue"),
            models.Index(fields=["article", "analyst"], name="assignment_article"),
        ]

    def __str__(self):
        return f"{self.analyst} · {self.batch} · article {self.article_id}"


class GoldDecision(models.Model):
    """One adjudication decision on a group of coders' annotations.

    `gold` is the annotation it produced (None when the curator rejected them all);
    `sources` are the coders' annotations it came from (for a rejection, those rejected)
    and `coders` their authors' usernames, kept as text so exports need no extra join.
    """

    batch = models.ForeignKey(CodingBatch, on_delete=models.CASCADE, related_name="decisions")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="gold_decisions")
    group_key = models.TextField(help_text="The ids of the group's annotations")
    gold = models.OneToOneField(
        "articles.Annotation", null=True, blank=True, on_delete=models.CASCADE, related_name="gold"
    )
    sources = models.ManyToManyField("articles.Annotation", related_name="gold_decisions", blank=True)
    coders = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["batch_id", "article_id", "id"]
        indexes = [models.Index(fields=["batch", "article"], name="gold_decision_article")]

    def __str__(self):
        return f"{'gold' if self.gold_id else 'rejected'} · {self.group_key}"
