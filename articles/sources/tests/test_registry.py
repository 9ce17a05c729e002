import pytest

from articles.models import Annotation, Source
from articles.sources.registry import MergeError, find_by_name, merge_sources, search_sources
from articles.tests.export_helpers import annotate


@pytest.fixture
def mullen(db):
    return Source.objects.create(
        name="Michael Mullen", aliases="Adm. Mullen\nAdm. Michael Mullen", source_type="military"
    )


def test_it_finds_entities_by_name_and_alias_ranked_by_use(sample_article, annotator_user, mullen):
    rarely = Source.objects.create(name="Mullen Foundation")
    annotate(sample_article, "Mullen", annotator_user, label="named person", source_entity=mullen)
    annotate(
        sample_article, "Mullen", annotator_user, label="named person", occurrence=1, source_entity=mullen
    )
    assert search_sources("mullen") == [mullen, rarely]
    assert search_sources("Adm. Michael") == [mullen]
    assert search_sources("nobody") == []


def test_it_prefers_names_that_start_with_the_query(db):
    starts = Source.objects.create(name="ISI")
    contains = Source.objects.create(name="Crisis Group")
    assert search_sources("isi") == [starts, contains]


def test_it_offers_anonymous_entities_only_in_their_article(sample_article, other_article, annotator_user):
    official = Source.objects.create(name="the senior official", anonymous=True)
    annotate(sample_article, "the official", annotator_user, label="anonymous source", source_entity=official)
    assert search_sources("official", article=sample_article) == [official]
    assert search_sources("official", article=other_article) == []
    assert search_sources("official") == []


def test_it_finds_one_entity_by_exact_name_or_alias(mullen):
    assert find_by_name("adm. mullen") == mullen
    assert find_by_name("michael  mullen") == mullen
    assert find_by_name("Mullen") is None


def test_it_merges_entities_moving_every_reference(sample_article, annotator_user, mullen, make_user):
    curator = make_user("carol", "Curator")
    duplicate = Source.objects.create(
        name="Adm. Mike Mullen", aliases="Chairman Mullen", affiliation="U.S. military", country="USA"
    )
    cited = annotate(sample_article, "Mullen", annotator_user, label="named person", source_entity=duplicate)
    targeted = annotate(
        sample_article, "diatribe", annotator_user, label="negative", tone_target_entity=duplicate
    )
    deleted = annotate(
        sample_article,
        "Mullen",
        annotator_user,
        label="named person",
        occurrence=1,
        source_entity=duplicate,
        deleted_at="2026-01-01T00:00Z",
    )

    duplicate_pk = duplicate.pk
    assert merge_sources(mullen, [duplicate], user=curator) == 3

    assert not Source.objects.filter(pk=duplicate_pk).exists()
    cited.refresh_from_db()
    targeted.refresh_from_db()
    assert cited.source_entity == mullen and targeted.tone_target_entity == mullen
    assert Annotation.all_objects.get(pk=deleted.pk).source_entity == mullen
    mullen.refresh_from_db()
    assert mullen.alias_list == ["Adm. Mullen", "Adm. Michael Mullen", "Adm. Mike Mullen", "Chairman Mullen"]
    assert (mullen.affiliation, mullen.country, mullen.source_type) == ("U.S. military", "USA", "military")
    reason = f"merged #{duplicate_pk} Adm. Mike Mullen into #{mullen.pk} Michael Mullen"
    assert mullen.history.first().history_change_reason == reason
    assert mullen.history.first().history_user == curator
    assert cited.history.first().history_change_reason == reason
    assert Source.history.filter(id=duplicate_pk, history_type="-").get().history_change_reason == reason


def test_it_refuses_to_merge_an_entity_with_itself(mullen):
    with pytest.raises(MergeError):
        merge_sources(mullen, [mullen])
