"""GET/POST /annotations/import/ — the upload form for annotation files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Annotation
from articles.tests.export_helpers import annotate, make_article

URL = reverse("annotations_import")


@pytest.fixture
def exported_csv(sample_article, annotator_user):
    """A CSV export of three annotations, then the annotations deleted."""
    article = make_article()
    annotate(article, "productive", annotator_user, note="-minus")
    annotate(article, "delegation", annotator_user, label="opinion")
    annotate(sample_article, "Pakistani", annotator_user, label="negative")
    out = io.StringIO()
    call_command("export_annotations", stdout=out)
    Annotation.all_objects.all().delete()
    return out.getvalue().encode("utf-8")


@pytest.fixture
def annotator_client(client, annotator_user):
    client.force_login(annotator_user)
    return client


def upload(data, name="annotations.csv"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_it_shows_the_form_and_is_linked_from_the_navigation(annotator_client):
    response = annotator_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<a href="{URL}">Import annotations</a>' in page


def test_it_imports_a_file_and_reports_what_it_did(exported_csv, annotator_client):
    response = annotator_client.post(URL, {"file": upload(exported_csv)})
    assert response.status_code == 200
    assert "Imported: 3 created, 0 restored, 0 already present." in response.content.decode()
    assert Annotation.objects.count() == 3
    assert Annotation.objects.filter(note="-minus").exists(), "the spreadsheet escaping is undone"

    again = annotator_client.post(URL, {"file": upload(exported_csv)})
    assert "0 created, 0 restored, 3 already present" in again.content.decode()
    assert Annotation.objects.count() == 3


def test_it_imports_nothing_when_a_row_is_bad(exported_csv, annotator_client):
    bad = exported_csv.replace(b",opinion,", b",gossip,")
    response = annotator_client.post(URL, {"file": upload(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "line 3: unknown label “Claim: gossip”" in page
    assert Annotation.all_objects.count() == 0


def test_it_skips_bad_rows_when_asked(exported_csv, annotator_client):
    bad = exported_csv.replace(b",opinion,", b",gossip,")
    response = annotator_client.post(URL, {"file": upload(bad), "skip_bad": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 created, 0 restored, 0 already present, 1 bad rows skipped" in page
    assert "Skipped rows" in page and "line 3: unknown label" in page
    assert Annotation.objects.count() == 2


def test_it_takes_the_format_from_the_form(exported_csv, annotator_client):
    response = annotator_client.post(URL, {"file": upload(exported_csv, "export.txt"), "format": "csv"})
    assert response.status_code == 200
    assert Annotation.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xc3( not utf-8", "a.csv", "line 1: not UTF-8 text"),  # not \xff\xfe: a UTF-16 BOM
        (b"annotation_id\r\n", "a.xlsx", "cannot tell the format from “.xlsx”"),
        (b"annotation_id\r\n", "a.csv", "the header lacks the column(s) article_id"),
        (b"[1, 2", "a.jsonld", "not valid JSON"),
    ],
)
def test_it_explains_files_it_cannot_read(annotator_client, data, name, message):
    response = annotator_client.post(URL, {"file": upload(data, name)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_asks_for_a_file(annotator_client):
    response = annotator_client.post(URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_it_refuses_files_over_the_limit(annotator_client, settings):
    settings.ANNOTATOR_MAX_UPLOAD_BYTES = 1024 * 1024
    response = annotator_client.post(URL, {"file": upload(b"x" * (1024 * 1024 + 1))})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()


def test_it_lets_viewers_export_but_not_import(client, make_user, exported_csv):
    client.force_login(make_user("vera", "Viewer"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(exported_csv)}).status_code == 403
    assert Annotation.all_objects.count() == 0
    assert "Import annotations" not in client.get(reverse("article_list")).content.decode()


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_other_methods(annotator_client):
    assert annotator_client.put(URL).status_code == 405


def test_it_says_nothing_was_imported_once(client, annotator_user):
    client.force_login(annotator_user)
    data = b'{"annotation_id": "x"}\n'
    page = client.post("/annotations/import/", {"file": SimpleUploadedFile("a.jsonl", data)}).content.decode()
    assert "Nothing was imported: line 1" in page and "nothing imported" not in page
