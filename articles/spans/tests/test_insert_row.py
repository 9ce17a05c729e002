"""insert_row writes the row save(force_insert=True) would, with the same signals."""

from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict

from articles.models import Annotation
from articles.spans.annotating import insert_row
from articles.tests.helpers import label

FIELDS = {"start": 0, "end": 5, "quote": "Quote", "prefix": "", "suffix": " here", "note": "a note"}


def test_it_writes_the_row_save_would(annotator_user, sample_article):
    saved = Annotation(article=sample_article, label=label(), author=annotator_user, **FIELDS)
    saved.save(force_insert=True)
    inserted = Annotation(article=sample_article, label=label(), author=annotator_user, **FIELDS)
    insert_row(inserted)
    assert inserted.pk and not inserted._state.adding and inserted._state.db == "default"
    stored = Annotation.objects.get(pk=inserted.pk)
    ignored = {"id", "uuid", "created_at", "updated_at"}
    assert {k: v for k, v in model_to_dict(stored).items() if k not in ignored} == {
        k: v for k, v in model_to_dict(Annotation.objects.get(pk=saved.pk)).items() if k not in ignored
    }
    assert stored.uuid == inserted.uuid and stored.uuid != saved.uuid
    # The timestamps (a default and auto_now) are set on the instance and stored as set.
    assert stored.created_at == inserted.created_at and stored.updated_at == inserted.updated_at


def test_it_sends_pre_save_and_post_save_as_a_created_row(annotator_user, sample_article):
    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre", instance.pk, kwargs["raw"], kwargs["update_fields"]))

    def after(sender, instance, created, **kwargs):
        heard.append(("post", instance.pk, created, kwargs["update_fields"]))

    pre_save.connect(before, sender=Annotation)
    post_save.connect(after, sender=Annotation)
    try:
        annotation = Annotation(article=sample_article, label=label(), author=annotator_user, **FIELDS)
        insert_row(annotation)
    finally:
        pre_save.disconnect(before, sender=Annotation)
        post_save.disconnect(after, sender=Annotation)
    assert heard == [("pre", None, False, None), ("post", annotation.pk, True, None)]
