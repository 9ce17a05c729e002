"""POST /articles/<id>/annotations/ with a client-generated `uuid`: a retry never duplicates."""

import uuid
from unittest import mock

import pytest
from django.db import IntegrityError

from articles.models import Annotation
from articles.spans import annotating
from articles.tests.export_helpers import make_article
from articles.tests.helpers import HTMX, label, selection

PHRASE = "our so-called coalition partner"


@pytest.fixture
def data(sample_article):
    return {**selection(sample_article, PHRASE), "label": label("opinion").pk, "uuid": str(uuid.uuid4())}


def url(article):
    return f"/articles/{article.pk}/annotations/"


def test_it_stores_the_clients_uuid(client, annotator_user, sample_article, data):
    client.force_login(annotator_user)
    assert client.post(url(sample_article), data, headers=HTMX).status_code == 200
    assert str(Annotation.objects.get().uuid) == data["uuid"]


def test_it_answers_a_retry_with_the_same_annotation(client, annotator_user, sample_article, data):
    client.force_login(annotator_user)
    first = client.post(url(sample_article), data, headers=HTMX)
    again = client.post(url(sample_article), data, headers=HTMX)
    assert again.status_code == 200
    assert Annotation.all_objects.count() == 1
    annotation = Annotation.objects.get()
    assert f'id="item-{annotation.pk}"' in again.content.decode()
    assert again.content.decode() == first.content.decode()


@pytest.mark.parametrize("who", ["another user", "another article"])
def test_it_refuses_the_uuid_of_someone_elses_or_another_articles_annotation(
    client, make_user, annotator_user, sample_article, data, who
):
    client.force_login(annotator_user)
    client.post(url(sample_article), data, headers=HTMX)
    article = sample_article
    if who == "another user":
        client.force_login(make_user("bob", "Annotator"))
    else:
        article = make_article()
        data = {**data, **selection(article, "delegation"), "quote": "delegation"}
    response = client.post(url(article), data, headers=HTMX)
    assert response.status_code == 409
    assert "already used" in response.content.decode()
    assert Annotation.all_objects.count() == 1


@pytest.mark.parametrize("bad", ["not-a-uuid", "1234", "x" * 5000])
def test_it_refuses_a_malformed_uuid(client, annotator_user, sample_article, data, bad):
    client.force_login(annotator_user)
    response = client.post(url(sample_article), {**data, "uuid": bad}, headers=HTMX)
    assert response.status_code == 400
    assert "uuid" in response.content.decode()
    assert Annotation.all_objects.count() == 0


def test_it_answers_a_retry_that_raced_the_first_request(annotator_user, sample_article, data):
    """Two requests with one uuid arrive together: the loser sees the unique constraint."""
    first = annotating.create_annotation(
        sample_article,
        annotator_user,
        label_id=data["label"],
        start_u16=data["start"],
        end_u16=data["end"],
        quote=PHRASE,
        client_uuid=data["uuid"],
    )
    real_lookup = annotating.annotation_with_uuid
    calls = []

    def not_yet_committed(value):
        calls.append(value)
        return None if len(calls) == 1 else real_lookup(value)

    # Nor does the probe for the same tag see the first request's row.
    with (
        mock.patch.object(annotating, "annotation_with_uuid", not_yet_committed),
        mock.patch.object(annotating, "same_tag", lambda *args: None),
    ):
        again = annotating.create_annotation(
            sample_article,
            annotator_user,
            label_id=data["label"],
            start_u16=data["start"],
            end_u16=data["end"],
            quote=PHRASE,
            client_uuid=data["uuid"],
        )
    assert again.pk == first.pk and len(calls) == 2
    assert Annotation.all_objects.count() == 1


def test_it_lets_other_integrity_errors_through(annotator_user, sample_article, data):
    with (
        mock.patch.object(annotating, "insert_with_history", side_effect=IntegrityError("other")),
        pytest.raises(IntegrityError),
    ):
        annotating.create_annotation(
            sample_article,
            annotator_user,
            label_id=data["label"],
            start_u16=data["start"],
            end_u16=data["end"],
            quote=PHRASE,
            client_uuid=data["uuid"],
        )
