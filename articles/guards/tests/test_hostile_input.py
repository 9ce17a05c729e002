"""Inputs that used to reach a 500 (issue 8, item 7): each is now a clear 4xx, a refused
import row, or a one-line CommandError. Runs on SQLite and on PostgreSQL."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Annotation
from articles.tests.admin_helpers import ARTICLES_URL
from articles.tests.export_helpers import annotate, make_article
from articles.tests.helpers import HTMX, label, selection

IMPORT_URL = "/annotations/import/"
HUGE = "9" * 5000


@pytest.fixture
def alice(client, annotator_user):
    client.force_login(annotator_user)
    return annotator_user


@pytest.fixture
def article(db):
    return make_article()


def csv_file(article, **overrides):
    start = article.body.index("delegation")
    row = {
        "annotation_id": str(uuid.uuid4()),
        "article_id": str(article.pk),
        "category": "Claim",
        "label": "factual",
        "start": str(start),
        "end": str(start + len("delegation")),
        "quote": "delegation",
        "author": "alice",
        **overrides,
    }
    return (",".join(row) + "\n" + ",".join(row.values()) + "\n").encode()


def upload(client, data, name="a.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("column", ["start", "end"])
def test_a_5000_digit_offset_is_a_refused_row(client, alice, article, column):
    response = upload(client, csv_file(article, **{column: HUGE}))
    assert response.status_code == 400
    assert f"line 2: {column} is too large" in response.content.decode()
    assert not Annotation.all_objects.exists()


def test_a_5000_digit_article_id_falls_back_to_the_title_or_is_refused(client, alice, article):
    response = upload(client, csv_file(article, article_id=HUGE))
    assert response.status_code == 400
    assert "line 2: unknown article" in response.content.decode()


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonld"])
def test_deeply_nested_json_is_refused(client, alice, name):
    response = upload(client, b"[" * 100_000, name)
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonld"])
def test_a_5000_digit_json_number_is_refused(client, alice, name):
    response = upload(client, b'{"start": ' + HUGE.encode() + b"}", name)
    assert response.status_code == 400
    assert "a number is too long" in response.content.decode()


def test_the_command_gives_one_line_for_deep_json(db, tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_annotations", str(path))


def test_a_huge_article_number_in_an_export_filter_is_400(client, alice, article):
    for url in [f"/articles/{article.pk}/export/", "/annotations/export/"]:
        response = client.get(url, {"article": "99999999999999999999999"})
        assert response.status_code == 400
        assert "no article #99999999999999999999999" in response.content.decode()


NUL = "a\x00b"


def test_a_nul_in_a_new_note_is_400(client, alice, article):
    data = {**selection(article, "delegation"), "label": label().pk, "note": NUL}
    response = client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Annotation.all_objects.exists()


def test_a_nul_in_a_changed_note_is_400(client, alice, article):
    annotation = annotate(article, "delegation", alice, note="kept")
    url = f"/articles/{article.pk}/annotations/{annotation.pk}/"
    response = client.post(url, {"label": annotation.label_id, "note": NUL}, headers=HTMX)
    assert response.status_code == 400
    annotation.refresh_from_db()
    assert annotation.note == "kept"


@pytest.mark.parametrize(
    "url, params",
    [
        ("/", {"q": NUL}),
        ("/annotations/export/", {"q": NUL}),
        ("/annotations/export/", {"author": NUL}),
        ("/annotations/export/", {"label": NUL}),
        ("/annotations/export/", {"since": NUL}),
        ("/admin/articles/annotation/", {"q": NUL}),
    ],
)
def test_a_nul_in_a_search_or_filter_is_400(client, make_user, article, url, params):
    from articles.tests.admin_helpers import make_curator

    client.force_login(make_curator(make_user))
    response = client.get(url, params)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_an_imported_note_is_a_refused_row(client, alice, article):
    response = upload(client, csv_file(article, note="bad\x00note"))
    assert response.status_code == 400
    assert "line 2: note contains a NUL character" in response.content.decode()


def test_a_staff_annotator_can_open_an_articles_admin_page(client, alice, article):
    annotate(article, "delegation", alice)
    alice.is_staff = True
    alice.save()
    response = client.get(f"{ARTICLES_URL}{article.pk}/change/")
    assert response.status_code == 200
    assert "delegation" in response.content.decode()
    assert 'name="annotations-0-label"' not in response.content.decode(), "an Annotator reviews nothing"


def test_a_nul_in_an_uploaded_article_is_400(client, alice):
    data = b"Title\n\nText with a \x00 in it."
    response = client.post("/articles/add/", {"file": SimpleUploadedFile("a.txt", data)})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_refusal_is_a_full_page_in_the_sites_layout(client, alice):
    response = client.get("/", {"q": NUL})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<header class="site-header">' in page and "Bad request" in page


@pytest.mark.parametrize("selected", ["", "abc", HUGE, "99999999999999999999999"])
def test_an_admin_action_on_a_selection_that_is_no_row_is_refused(client, make_user, article, selected):
    from articles.tests.admin_helpers import ANNOTATIONS_URL, make_curator, messages_of

    client.force_login(make_curator(make_user))
    data = {"action": "accept", "index": 0, "_selected_action": [selected]}
    response = client.post(ANNOTATIONS_URL, data, follow=True)
    assert response.status_code == 200
    assert "The selection holds something that is not a row" in " ".join(messages_of(response))


def test_the_article_command_gives_one_line_per_hostile_file(db, tmp_path):
    import io

    (tmp_path / "bomb.html").write_text("<h1>x</h1>" + "<div>" * 50_000)
    (tmp_path / "nul.txt").write_bytes(b"Title\n\nA \x00 here.")
    (tmp_path / "utf16.txt").write_bytes("Title\n\nBody text.".encode("utf-16"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 files failed"):
        call_command("import_articles", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert any("bomb.html: too deeply nested" in line for line in lines)
    assert any("nul.txt: not a text file: a NUL character" in line for line in lines)
    assert any(line.startswith("imported") and "utf16.txt" in line for line in lines)
