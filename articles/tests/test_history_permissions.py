"""The admin's history pages answer to the same rules as the change pages: a user sees the
history of what they may see, and "Revert" changes only what they may change (and only
the fields the change form lets them edit)."""

import pytest

from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation, Article
from articles.spans.annotating import delete_annotation, stamp_review

from .admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, make_curator


@pytest.fixture
def curator(make_user):
    return make_curator(make_user)


@pytest.fixture
def staff_analyst(make_user):
    # docs/curation.md: an Annotator may be given staff status to correct their own work
    return make_user("alice", "Annotator", is_staff=True)


def history_url(base, obj):
    return f"{base}{obj.pk}/history/"


def version_url(base, obj, version):
    return f"{base}{obj.pk}/history/{version.history_id}/"


def revert_data(client, url):
    """What pressing Revert on the version page at `url` sends: its form as shown."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            value = "on" if value else None
        if value not in (None, ""):
            data[name] = value
    return data


def with_note_versions(annotation, *notes):
    for note in notes:
        annotation.note = note
        annotation.save()
    return list(annotation.history.order_by("history_date", "history_id"))


def test_it_answers_404_for_the_history_of_another_coders_hidden_annotation(
    client, make_user, staff_analyst, curator, sample_article
):
    bob = make_user("bob")
    make_batch([sample_article], [staff_analyst, bob], blind=True)
    hidden = annotate(sample_article, bob, "Exasperated", "factual")
    first, *_ = with_note_versions(hidden, "BOB-SECRET-NOTE")
    client.force_login(staff_analyst)
    assert client.get(history_url(ANNOTATIONS_URL, hidden)).status_code == 404
    response = client.get(version_url(ANNOTATIONS_URL, hidden, first))
    assert response.status_code == 404 and b"BOB-SECRET-NOTE" not in response.content
    client.force_login(curator)
    assert client.get(history_url(ANNOTATIONS_URL, hidden)).status_code == 200
    assert client.get(version_url(ANNOTATIONS_URL, hidden, first)).status_code == 200


def test_it_answers_404_for_a_removed_annotations_history_to_all_but_curators(
    client, staff_analyst, curator, sample_article
):
    mine = annotate(sample_article, staff_analyst, "Exasperated", "factual")
    pk = mine.pk
    mine.delete()  # removed for good (an article's deletion takes its annotations)
    client.force_login(staff_analyst)
    assert client.get(f"{ANNOTATIONS_URL}{pk}/history/").status_code == 404
    client.force_login(curator)
    assert client.get(f"{ANNOTATIONS_URL}{pk}/history/").status_code == 200


def test_it_refuses_to_revert_another_users_annotation(client, make_user, staff_analyst, sample_article):
    bob = make_user("bob")
    theirs = annotate(sample_article, bob, "Exasperated", "factual")
    first, *_ = with_note_versions(theirs, "bob's first note", "bob's second note")
    client.force_login(staff_analyst)
    url = version_url(ANNOTATIONS_URL, theirs, first)
    assert client.get(url).status_code == 200  # reading the old version is allowed
    data = {"label": theirs.label_id, "note": "REVERTED BY ALICE"}
    assert client.post(url, data).status_code == 403
    theirs.refresh_from_db()
    assert theirs.note == "bob's second note"


def test_it_refuses_a_revert_by_a_viewer(client, make_user, curator, sample_article):
    viewer = make_user("vera", "Viewer", is_staff=True)
    sample_article.title = "A newer headline"
    sample_article.save()
    first = sample_article.history.order_by("history_date", "history_id").first()
    client.force_login(curator)
    data = revert_data(client, version_url(ARTICLES_URL, sample_article, first))
    client.force_login(viewer)
    response = client.post(version_url(ARTICLES_URL, sample_article, first), {**data, "title": "BY A VIEWER"})
    assert response.status_code == 403
    assert Article.objects.get(pk=sample_article.pk).title == "A newer headline"


def test_it_reverts_an_authors_note_but_not_the_review_they_may_not_make(
    client, staff_analyst, curator, sample_article
):
    mine = annotate(sample_article, staff_analyst, "Exasperated", "factual")
    with_note_versions(mine, "first note")
    stamp_review(mine, curator, Annotation.ACCEPTED)
    mine.save()
    accepted = mine.history.first()
    mine.note = "second note"
    mine.save()
    stamp_review(mine, curator, Annotation.REJECTED)
    mine.save()
    client.force_login(staff_analyst)
    url = version_url(ANNOTATIONS_URL, mine, accepted)
    data = revert_data(client, url)
    assert "status" not in data  # not the author's to set
    response = client.post(url, {**data, "status": Annotation.ACCEPTED})
    assert response.status_code == 302
    mine.refresh_from_db()
    # The note comes back; the version's acceptance does not. The author's change sends the
    # rejected annotation back to pending, as any change of theirs after a review does.
    assert (mine.note, mine.status, mine.reviewed_by) == ("first note", Annotation.PENDING, None)
    assert mine.history.first().history_user == staff_analyst


def test_it_does_not_restore_a_deleted_annotation_by_reverting(
    client, staff_analyst, curator, sample_article
):
    mine = annotate(sample_article, staff_analyst, "Exasperated", "factual")
    live, *_ = with_note_versions(mine, "a note")
    delete_annotation(mine, by=curator)
    client.force_login(staff_analyst)
    url = version_url(ANNOTATIONS_URL, mine, live)
    response = client.post(url, {"label": mine.label_id, "note": "a note"}, follow=True)
    assert "nothing to revert" in response.content.decode()
    mine.refresh_from_db()
    assert mine.deleted_at is not None and mine.deleted_by == curator


def test_it_says_why_a_revert_was_not_made(client, staff_analyst, sample_article):
    mine = annotate(sample_article, staff_analyst, "Exasperated", "factual")
    first, *_ = with_note_versions(mine, "a note")
    client.force_login(staff_analyst)
    url = version_url(ANNOTATIONS_URL, mine, first)
    response = client.post(url, {"label": "not a label", "note": ""}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Not reverted: label:" in response.content.decode()
    mine.refresh_from_db()
    assert mine.note == "a note"


def test_it_still_reverts_for_a_curator(client, make_user, curator, sample_article):
    bob = make_user("bob")
    theirs = annotate(sample_article, bob, "Exasperated", "factual")
    first, *_ = with_note_versions(theirs, "bob's first note", "bob's second note")
    client.force_login(curator)
    url = version_url(ANNOTATIONS_URL, theirs, first)
    data = revert_data(client, url)
    assert client.post(url, data).status_code == 302
    theirs.refresh_from_db()
    assert theirs.note == "" and theirs.history.first().history_user == curator
