from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article


def test_it_requires_login(client, db):
    assert client.get("/articles/add/").status_code == 302


def test_it_forbids_viewers(client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    assert client.get("/articles/add/").status_code == 403
    assert client.post("/articles/add/", {"text": "T\n\nBody"}).status_code == 403
    assert not Article.objects.exists()


def test_it_adds_pasted_text(client, annotator_user, sample_text):
    client.force_login(annotator_user)
    response = client.post(
        "/articles/add/", {"text": sample_text, "outlet": "ABC News", "url": "https://abcnews.example/story"}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/"
    assert article.title.startswith("Senior Pakistani Military Official")
    assert article.outlet == "ABC News"
    assert article.added_by == annotator_user
    assert "Disqus" not in article.body


def test_it_adds_an_uploaded_text_file(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("story.txt", "Headline 👍\n\nBody – with “quotes”.".encode())
    response = client.post("/articles/add/", {"file": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.body) == ("Headline 👍", "Body – with “quotes”.")


def test_it_adds_an_uploaded_html_file(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("story.html", b"<h1>HTML head</h1><script>x()</script><p>Para.</p>")
    assert client.post("/articles/add/", {"file": upload}).status_code == 302
    assert Article.objects.get().body == "Para."


def test_it_refuses_a_duplicate_with_a_link(client, annotator_user, sample_article, sample_text):
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {"text": sample_text})
    assert response.status_code == 409
    assert b"already in the library" in response.content
    assert f'href="/articles/{sample_article.pk}/"'.encode() in response.content
    assert Article.objects.count() == 1


def test_it_refuses_a_non_utf8_file(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("story.txt", "Café crème".encode("latin-1"))
    response = client.post("/articles/add/", {"file": upload})
    assert response.status_code == 400
    assert b"not UTF-8" in response.content
    assert not Article.objects.exists()


def test_it_refuses_an_unsupported_file(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("story.pdf", b"%PDF-1.7")
    response = client.post("/articles/add/", {"file": upload})
    assert response.status_code == 400
    assert b"unsupported file type .pdf" in response.content


def test_it_refuses_empty_input(client, annotator_user):
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {"text": "   "})
    assert response.status_code == 400
    assert b"Paste the text or upload a file" in response.content


def test_it_refuses_both_text_and_file(client, annotator_user):
    client.force_login(annotator_user)
    upload = SimpleUploadedFile("a.txt", b"T\n\nB")
    response = client.post("/articles/add/", {"text": "T\n\nB", "file": upload})
    assert response.status_code == 400


def test_it_rejects_other_methods(client, annotator_user):
    client.force_login(annotator_user)
    assert client.put("/articles/add/").status_code == 405


def test_it_explains_an_empty_post(client, annotator_user):
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {})
    assert response.status_code == 400
    assert b"Paste the text or upload a file" in response.content


def test_it_says_only_that_an_uploaded_file_is_empty(client, annotator_user):
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {"file": SimpleUploadedFile("story.txt", b"")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The submitted file is empty." in html and "one of the two" not in html


def test_it_names_the_empty_file_among_several(client, annotator_user):
    client.force_login(annotator_user)
    files = [SimpleUploadedFile("one.txt", b"One\n\nText."), SimpleUploadedFile("two.txt", b"")]
    response = client.post("/articles/add/", {"file": files})
    assert response.status_code == 400
    assert "two.txt: The submitted file is empty." in response.content.decode()
