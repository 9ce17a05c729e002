from django.db import models
from django.utils import timezone


class StagedAnnotation(models.Model):
    """A checked import row waiting for its import's swap (articles/exchange/staging.py).

    Rows are written here in short batches, invisible to everything else; one short
    transaction then copies a whole import into Annotation and deletes them. Plain
    columns, no foreign keys: staging must cost little, and the swap's INSERT checks them.
    """

    token = models.UUIDField(db_index=True)
    staged_at = models.DateTimeField(default=timezone.now, db_index=True)
    uuid = models.UUIDField()
    article_id = models.BigIntegerField()
    label_id = models.BigIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    note = models.TextField(blank=True)
    author_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    reviewed_by_id = models.BigIntegerField(null=True)
    reviewed_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Who said what (articles/sources): as on Annotation, empty unless the row carries them.
    source_entity_id = models.BigIntegerField(null=True)
    anonymity = models.CharField(max_length=12, blank=True, default="")
    own_voice = models.BooleanField(default=False)
    tone_intensity = models.PositiveSmallIntegerField(null=True)
    tone_target_entity_id = models.BigIntegerField(null=True)
    tone_target_text = models.CharField(max_length=200, blank=True, default="")

    def __str__(self):
        return f"staged {self.uuid} (import {self.token})"
