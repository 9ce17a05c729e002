"""Notes are at most ANNOTATOR_MAX_NOTE_CHARS (2,000) characters on every path."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Annotation
from articles.tests.admin_helpers import ANNOTATIONS_URL, make_curator
from articles.tests.export_helpers import annotate, make_article
from articles.tests.helpers import HTMX, label, selection

LONG = "n" * 2001
LIMIT = "n" * 2000


@pytest.fixture
def alice(client, annotator_user):
    client.force_login(annotator_user)
    return annotator_user


@pytest.fixture
def article(db):
    return make_article()


def test_the_limit_is_a_setting_of_2000(settings):
    assert settings.ANNOTATOR_MAX_NOTE_CHARS == 2000


def test_create_refuses_a_long_note(client, alice, article):
    data = {**selection(article, "delegation"), "label": label().pk, "note": LONG}
    response = client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX)
    assert response.status_code == 400
    assert "the note is longer than 2,000 characters" in response.content.decode()
    assert not Annotation.all_objects.exists()
    data["note"] = LIMIT
    assert client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX).status_code == 200


def test_update_refuses_a_long_note(client, alice, article):
    annotation = annotate(article, "delegation", alice, note="kept")
    url = f"/articles/{article.pk}/annotations/{annotation.pk}/"
    response = client.post(url, {"label": annotation.label_id, "note": LONG}, headers=HTMX)
    assert response.status_code == 400
    annotation.refresh_from_db()
    assert annotation.note == "kept"


def test_the_limit_follows_the_setting(client, alice, article, settings):
    settings.ANNOTATOR_MAX_NOTE_CHARS = 10
    data = {**selection(article, "delegation"), "label": label().pk, "note": "x" * 11}
    response = client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX)
    assert response.status_code == 400
    assert "longer than 10 characters" in response.content.decode()


def test_import_refuses_a_long_note(client, alice, article):
    start = article.body.index("delegation")
    record = {
        "annotation_id": str(uuid.uuid4()),
        "article_id": article.pk,
        "category": "Claim",
        "label": "factual",
        "start": start,
        "end": start + 10,
        "quote": "delegation",
        "author": "alice",
        "note": LONG,
    }
    data = SimpleUploadedFile("a.jsonl", json.dumps(record).encode())
    response = client.post("/annotations/import/", {"file": data})
    assert response.status_code == 400
    assert "line 1: the note is longer than 2,000 characters" in response.content.decode()
    assert not Annotation.all_objects.exists()


def test_the_admin_refuses_a_long_note(client, make_user, article, alice):
    annotation = annotate(article, "delegation", alice, note="kept")
    client.force_login(make_curator(make_user))
    data = {"label": annotation.label_id, "note": LONG, "status": "pending"}
    response = client.post(f"{ANNOTATIONS_URL}{annotation.pk}/change/", data)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.note == "kept"
