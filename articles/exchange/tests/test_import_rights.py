"""Who may import what: the web import cannot forge authorship, review or restores."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Annotation
from articles.spans.annotating import delete_annotation
from articles.tests.admin_helpers import make_curator
from articles.tests.export_helpers import annotate, make_article

URL = reverse("annotations_import")


def jsonl(*records):
    return "\n".join(json.dumps(record) for record in records).encode()


def row(article, phrase, author, **extra):
    start = article.body.index(phrase)
    return {
        "annotation_id": str(uuid.uuid4()),
        "article_id": article.pk,
        "article_title": article.title,
        "category": "Claim",
        "label": "factual",
        "start": start,
        "end": start + len(phrase),
        "quote": phrase,
        "author": author,
        **extra,
    }


def post(client, data):
    return client.post(URL, {"file": SimpleUploadedFile("a.jsonl", data)})


@pytest.fixture
def people(make_user):
    return {
        "alice": make_user("alice", "Annotator"),
        "bob": make_user("bob", "Annotator"),
        "carol": make_curator(make_user),
    }


@pytest.fixture
def article(db):
    return make_article()


def test_it_imports_an_annotators_own_pending_rows(client, people, article):
    client.force_login(people["alice"])
    response = post(client, jsonl(row(article, "delegation", "alice")))
    assert response.status_code == 200
    assert Annotation.objects.get().author == people["alice"]


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"author": "carol"}, "you can import only your own annotations (this one is by carol)"),
        ({"status": "accepted"}, "only a curator can import a review (status accepted)"),
        ({"reviewed_by": "carol"}, "only a curator can import a review (reviewed by carol)"),
    ],
)
def test_it_refuses_forged_authorship_or_review_from_an_annotator(client, people, article, extra, message):
    client.force_login(people["alice"])
    good = row(article, "productive", "alice")
    forged = row(article, "delegation", "alice") | extra
    response = post(client, jsonl(good, forged))
    assert response.status_code == 400
    assert f"line 2: {message}" in response.content.decode()
    assert Annotation.all_objects.count() == 0, "all or nothing"


def test_it_refuses_to_restore_another_analysts_deleted_annotation(client, people, article):
    theirs = annotate(article, "delegation", people["bob"], note="bob's")
    delete_annotation(theirs, by=people["bob"])
    record = row(article, "delegation", "alice", annotation_id=str(theirs.uuid), note="mine now")
    client.force_login(people["alice"])
    response = post(client, jsonl(record))
    assert response.status_code == 400
    assert "line 1: annotation" in response.content.decode()
    theirs.refresh_from_db()
    assert (theirs.is_deleted, theirs.note, theirs.author) == (True, "bob's", people["bob"])


def test_it_refuses_to_restore_what_a_curator_deleted(client, people, article):
    mine = annotate(article, "delegation", people["alice"])
    delete_annotation(mine, by=people["carol"])
    client.force_login(people["alice"])
    record = row(article, "delegation", "alice", annotation_id=str(mine.uuid), note="back")
    response = post(client, jsonl(record))
    assert response.status_code == 400
    assert "a curator deleted it" in response.content.decode()
    mine.refresh_from_db()
    assert mine.is_deleted and mine.note == ""


def test_it_restores_an_annotators_own_deletion(client, people, article):
    mine = annotate(article, "delegation", people["alice"])
    delete_annotation(mine, by=people["alice"])
    client.force_login(people["alice"])
    response = post(client, jsonl(row(article, "delegation", "alice", annotation_id=str(mine.uuid))))
    assert response.status_code == 200
    assert "1 restored" in response.content.decode()
    mine.refresh_from_db()
    assert not mine.is_deleted


def test_it_lets_a_curator_import_authorship_and_review_as_recorded(client, people, article):
    theirs = annotate(article, "delegation", people["bob"])
    delete_annotation(theirs, by=people["bob"])
    client.force_login(people["carol"])
    records = [
        row(article, "productive", "bob", status="accepted", reviewed_by="carol"),
        row(article, "delegation", "bob", annotation_id=str(theirs.uuid), note="restored"),
    ]
    response = post(client, jsonl(*records))
    assert response.status_code == 200
    accepted = Annotation.objects.get(quote="productive")
    assert (accepted.author, accepted.status, accepted.reviewed_by) == (
        people["bob"],
        "accepted",
        people["carol"],
    )
    theirs.refresh_from_db()
    assert not theirs.is_deleted and theirs.note == "restored"


def test_the_command_keeps_full_fidelity(people, article, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl(row(article, "delegation", "bob", status="accepted", reviewed_by="carol")))
    call_command("import_annotations", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    accepted = Annotation.objects.get()
    assert (accepted.author, accepted.status, accepted.reviewed_by) == (
        people["bob"],
        "accepted",
        people["carol"],
    )
