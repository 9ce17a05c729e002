"""Who said what: the source registry and claim → source attribution links.

A source annotation points at a `Source` entity so that the same person or body is one
thing across articles; a claim annotation is tied to the source annotations it is
attributed to by `Attribution` links. Behaviour hangs on `Category.kind`, never on names.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Source(models.Model):
    GOVERNMENT, MILITARY, INTELLIGENCE, POLITICIAN, DIPLOMAT = (
        "government",
        "military",
        "intelligence",
        "politician",
        "diplomat",
    )
    EXPERT, MEDIA, CITIZEN, DOCUMENT, ORGANISATION, OTHER = (
        "expert",
        "media",
        "citizen",
        "document",
        "organisation",
        "other",
    )
    TYPE_CHOICES = [
        (GOVERNMENT, "Government official"),
        (MILITARY, "Military"),
        (INTELLIGENCE, "Intelligence"),
        (POLITICIAN, "Politician"),
        (DIPLOMAT, "Diplomat"),
        (EXPERT, "Expert or academic"),
        (MEDIA, "Journalist or media"),
        (CITIZEN, "Citizen or witness"),
        (DOCUMENT, "Document or report"),
        (ORGANISATION, "Organisation"),
        (OTHER, "Other"),
    ]

    name = models.CharField(max_length=200)
    aliases = models.TextField(blank=True, help_text="Other names, one per line")
    source_type = models.CharField("type", max_length=20, choices=TYPE_CHOICES, default=OTHER)
    affiliation = models.CharField(max_length=200, blank=True, help_text="e.g. “Pakistani military”")
    country = models.CharField(max_length=100, blank=True)
    # An anonymous source is per article unless an analyst links it explicitly: the
    # article it was created for is kept so the registry can tell the two apart.
    anonymous = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name"], name="source_name"),
            models.Index(fields=["source_type"], name="source_type"),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class AttributionQuerySet(models.QuerySet):
    def live(self):
        """Links whose two annotations both still exist: deleting either span hides the
        link, and undoing the delete brings it back."""
        return self.filter(claim__deleted_at__isnull=True, source__deleted_at__isnull=True)


class Attribution(models.Model):
    DIRECT, INDIRECT, PARAPHRASE = "direct", "indirect", "paraphrase"
    FORM_CHOICES = [
        (DIRECT, "Direct quote"),
        (INDIRECT, "Indirect (reported speech)"),
        (PARAPHRASE, "Paraphrase"),
    ]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey("articles.Annotation", on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey("articles.Annotation", on_delete=models.CASCADE, related_name="citations")
    cue = models.CharField(
        max_length=200, blank=True, help_text="The attributing words: “said”, “according to”"
    )
    form = models.CharField(max_length=12, choices=FORM_CHOICES, default=INDIRECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim_id", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="attribution_unique_pair"),
            models.CheckConstraint(condition=~Q(claim=models.F("source")), name="attribution_not_self"),
        ]
        indexes = [models.Index(fields=["source"], name="attribution_source")]

    def __str__(self):
        return f"{self.claim_id} ← {self.source_id}"
