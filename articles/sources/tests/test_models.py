import pytest
from django.db import IntegrityError, transaction

from articles.models import Annotation, Attribution, Category, Label
from articles.tests.export_helpers import annotate


@pytest.mark.django_db
def test_it_gives_the_default_categories_their_kinds():
    kinds = dict(Category.objects.values_list("slug", "kind"))
    assert kinds == {"claim": "claim", "source": "source", "tone": "tone"}


@pytest.mark.django_db
def test_it_gives_tone_labels_a_polarity():
    polarity = dict(Label.objects.filter(category__slug="tone").values_list("name", "polarity"))
    assert polarity == {"negative": -1, "neutral": 0, "positive": 1}


def test_it_scores_tone_as_polarity_times_intensity(sample_article, annotator_user):
    annotation = annotate(sample_article, "coalition partner", annotator_user, label="negative")
    assert annotation.tone_score is None
    annotation.tone_intensity = 3
    assert annotation.tone_score == -3


def test_it_refuses_intensity_outside_one_to_three(sample_article, annotator_user):
    annotation = annotate(sample_article, "coalition partner", annotator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(tone_intensity=4)


def test_it_refuses_a_link_from_an_annotation_to_itself(sample_article, annotator_user):
    annotation = annotate(sample_article, "coalition partner", annotator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(claim=annotation, source=annotation, author=annotator_user)


def test_it_hides_links_of_deleted_spans_until_they_come_back(sample_article, annotator_user):
    claim = annotate(sample_article, "coalition partner", annotator_user)
    source = annotate(sample_article, "the official", annotator_user)
    Attribution.objects.create(claim=claim, source=source, author=annotator_user, cue="said")
    assert Attribution.objects.live().count() == 1
    Annotation.objects.filter(pk=source.pk).update(deleted_at="2026-01-01T00:00Z")
    assert Attribution.objects.live().count() == 0
    Annotation.all_objects.filter(pk=source.pk).update(deleted_at=None)
    assert Attribution.objects.live().count() == 1
