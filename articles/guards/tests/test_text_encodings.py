"""UTF-16 and UTF-8-with-BOM files are read; invalid UTF-8 is named, never turned into U+FFFD."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.guards.encoding import TextDecodeError, decode_text
from articles.models import Annotation, Article
from articles.tests.export_helpers import make_article

TEXT = "Headline 👍\n\nBody – with “quotes”."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_it_reads_text_with_a_byte_order_mark(encoding):
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data  # the BOM the plain codecs leave out
    assert decode_text(data) == TEXT


def test_it_names_utf16_without_a_byte_order_mark():
    with pytest.raises(TextDecodeError, match="looks like UTF-16 without a byte order mark"):
        decode_text(TEXT.encode("utf-16-le"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_it_names_utf16_without_a_byte_order_mark_when_the_text_is_ascii(encoding):
    # ASCII in UTF-16 is valid UTF-8 (every other byte a NUL): it was read as text with
    # NULs, and refused for them ("not a text file") or for a header with no columns.
    with pytest.raises(TextDecodeError, match="looks like UTF-16 without a byte order mark"):
        decode_text("Headline\n\nBody.".encode(encoding))


def test_it_names_the_bad_byte_of_invalid_utf8():
    with pytest.raises(TextDecodeError, match=r"not UTF-8 text \(bad byte at position 2\)"):
        decode_text(b"ab\xffcd")


def test_an_uploaded_utf16_article_is_read(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("story.txt", TEXT.encode("utf-16"))
    response = client.post("/articles/add/", {"file": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.body) == ("Headline 👍", "Body – with “quotes”.")


def test_an_imported_utf16_csv_is_read(client, annotator_user):
    article = make_article()
    client.force_login(annotator_user)
    start = article.body.index("delegation")
    data = (
        "annotation_id,article_id,category,label,start,end,quote,author\n"
        f"{uuid.uuid4()},{article.pk},Claim,factual,{start},{start + 10},delegation,alice\n"
    ).encode("utf-16")
    response = client.post("/annotations/import/", {"file": SimpleUploadedFile("a.csv", data)})
    assert response.status_code == 200, response.content.decode()
    assert Annotation.objects.count() == 1


def test_pasted_text_with_invalid_utf8_is_refused_not_replaced(client, annotator_user):
    client.force_login(annotator_user)
    body = b"text=Title%0A%0ABody+with+a+bad+byte+%FF+here."
    response = client.post("/articles/add/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Article.objects.exists()
