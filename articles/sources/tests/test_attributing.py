import pytest

from articles.models import Attribution, Source
from articles.sources.attributing import (
    AttributionError,
    attribute,
    identify_source,
    set_own_voice,
    set_tone,
    update_attribution,
)
from articles.spans.annotating import delete_annotation, restore_annotation
from articles.tests.export_helpers import annotate

CLAIM = "The U.S. is saying, 'My way or the high way,'"


@pytest.fixture
def claim(sample_article, annotator_user):
    return annotate(sample_article, CLAIM, annotator_user, label="factual")


@pytest.fixture
def source(sample_article, annotator_user):
    return annotate(sample_article, "the official", annotator_user, label="anonymous source")


def test_it_links_a_claim_to_its_source_with_the_suggested_cue_and_form(claim, source, annotator_user):
    link = attribute(claim, source, annotator_user)
    assert (link.cue, link.form) == ("said", "direct")
    assert list(claim.attributions.values_list("source_id", flat=True)) == [source.pk]


def test_it_keeps_the_cue_and_form_the_analyst_gave(claim, source, annotator_user):
    link = attribute(claim, source, annotator_user, cue="slammed his hand", form="paraphrase")
    assert (link.cue, link.form) == ("slammed his hand", "paraphrase")


def test_it_refuses_a_source_in_another_article(claim, other_article, annotator_user):
    elsewhere = annotate(other_article, "Traders", annotator_user, label="anonymous source")
    with pytest.raises(AttributionError, match="same article"):
        attribute(claim, elsewhere, annotator_user)
    assert not Attribution.objects.exists()


def test_it_refuses_a_link_to_a_span_that_is_not_a_source(claim, sample_article, annotator_user):
    tone = annotate(sample_article, "the official", annotator_user, label="negative")
    with pytest.raises(AttributionError, match="must be a source annotation, not Tone"):
        attribute(claim, tone, annotator_user)


def test_it_refuses_a_link_from_a_span_that_is_not_a_claim(source, sample_article, annotator_user):
    other_source = annotate(sample_article, "his emotions", annotator_user, label="named person")
    with pytest.raises(AttributionError, match="must be a claim annotation, not Source"):
        attribute(other_source, source, annotator_user)


def test_it_refuses_the_same_link_twice(claim, source, annotator_user):
    attribute(claim, source, annotator_user)
    with pytest.raises(AttributionError, match="already attributed"):
        attribute(claim, source, annotator_user)


def test_it_refuses_a_deleted_source(claim, source, annotator_user):
    delete_annotation(source)
    with pytest.raises(AttributionError, match="deleted"):
        attribute(claim, source, annotator_user)


def test_it_refuses_a_cue_with_a_semicolon_and_an_unknown_form(claim, source, annotator_user):
    with pytest.raises(AttributionError, match="“;”"):
        attribute(claim, source, annotator_user, cue="said; added")
    link = attribute(claim, source, annotator_user)
    with pytest.raises(AttributionError, match="form must be one of"):
        update_attribution(link, form="rumour")


def test_it_hides_links_with_a_deleted_source_and_undo_brings_them_back(claim, source, annotator_user):
    attribute(claim, source, annotator_user)
    delete_annotation(source)
    assert not Attribution.objects.live().exists()
    restore_annotation(source)
    assert Attribution.objects.live().count() == 1


def test_it_keeps_own_voice_and_links_apart(claim, source, annotator_user):
    set_own_voice(claim, True)
    attribute(claim, source, annotator_user)
    claim.refresh_from_db()
    assert claim.own_voice is False
    with pytest.raises(AttributionError, match="remove its links first"):
        set_own_voice(claim, True)


def test_it_names_a_source_and_suggests_its_anonymity(source):
    entity = Source.objects.create(name="Senior Pakistani military official", anonymous=True)
    identify_source(source, entity=entity)
    source.refresh_from_db()
    assert (source.source_entity, source.anonymity) == (entity, "anonymous")


def test_it_refuses_an_entity_on_a_claim(claim):
    with pytest.raises(AttributionError, match="must be a source annotation"):
        identify_source(claim, entity=None, anonymity="named")


def test_it_sets_tone_intensity_and_target(sample_article, annotator_user):
    tone = annotate(sample_article, "so-called coalition partner", annotator_user, label="negative")
    set_tone(tone, intensity="3", target_text="the U.S.")
    tone.refresh_from_db()
    assert (tone.tone_intensity, tone.tone_target_text, tone.tone_score) == (3, "the U.S.", -3)
    with pytest.raises(AttributionError, match="1 \\(mild\\)"):
        set_tone(tone, intensity="4")
    with pytest.raises(AttributionError, match="not both"):
        set_tone(tone, intensity=1, target_entity=Source.objects.create(name="U.S."), target_text="x")
    with pytest.raises(AttributionError, match="must be a tone annotation"):
        set_tone(annotate(sample_article, CLAIM, annotator_user), intensity=1)
