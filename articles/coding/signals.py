"""The first annotation on an assigned article moves the assignment to in progress.

A signal, so every path that creates annotations one by one (reader, admin) counts
without each knowing about batches.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.coding.batches import start_on_first_annotation
from articles.models import Annotation


@receiver(post_save, sender=Annotation, dispatch_uid="coding_start_on_first_annotation")
def annotation_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        start_on_first_annotation(instance.article_id, instance.author_id)
