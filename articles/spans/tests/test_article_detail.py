from articles.models import Attribution, Label, Source
from articles.spans.annotating import create_annotation


def test_it_requires_login(client, sample_article):
    assert client.get(f"/articles/{sample_article.pk}/").status_code == 302


def test_it_shows_title_meta_and_paragraphs(client, annotator_user, sample_article):
    sample_article.byline = "Brian Ross"
    sample_article.url = "https://abcnews.example/story"
    sample_article.save()
    client.force_login(annotator_user)
    response = client.get(f"/articles/{sample_article.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Senior Pakistani Military Official on &#x27;So-Called Coalition Partner&#x27; U.S." in html
    assert "ABC News" in html and "By Brian Ross" in html and "https://abcnews.example/story" in html
    assert html.count('<p class="para" id="p') == len(sample_article.body.split("\n\n"))
    assert "For a moment as a senior Pakistani military official" in html
    assert "Disqus" not in html


def test_it_escapes_article_text(client, annotator_user):
    from articles.ingest.pipeline import ingest, store_article

    article, _ = store_article(ingest("<b>not bold</b> & more", title="T", source_format="text"))
    client.force_login(annotator_user)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; more" in html


def test_it_is_404_for_a_missing_article(client, annotator_user):
    client.force_login(annotator_user)
    assert client.get("/articles/999999/").status_code == 404


def test_it_sends_a_csp_with_a_nonce_that_the_page_uses(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    response = client.get(f"/articles/{sample_article.pk}/")
    csp = response["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in csp
    assert " hx-on" not in response.content.decode() and "onclick" not in response.content.decode()


def test_it_puts_the_csrf_token_in_hx_headers(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_it_keeps_the_query_count_flat_as_annotations_grow(
    client, annotator_user, sample_article, django_assert_max_num_queries
):
    from django.db import connection

    label = Label.objects.get(name="factual")
    client.force_login(annotator_user)

    def count():
        # An execute wrapper, not CaptureQueriesContext: each request resets the query log.
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
        ):
            assert client.get(f"/articles/{sample_article.pk}/").status_code == 200
        return len(queries)

    create_annotation(
        sample_article, annotator_user, label_id=label.pk, start_u16=0, end_u16=5, quote="For a"
    )
    few = count()
    words = sample_article.body.split(" ")[:60]
    position = 0
    for word in words:
        if word.strip():
            create_annotation(
                sample_article,
                annotator_user,
                label_id=label.pk,
                start_u16=position,
                end_u16=position + len(word),
                quote=word,
            )
        position += len(word) + 1
    assert few > 3  # the wrapper really counts this page's queries
    assert count() == few
    # Nor with who said what: claims and sources with their entities, tones, links.
    claims = list(sample_article.annotations.all()[:20])
    sources = [
        create_annotation(
            sample_article,
            annotator_user,
            label_id=Label.objects.get(name=name).pk,
            start_u16=position,
            end_u16=position + 3,
            quote=sample_article.body[position : position + 3],
        )
        for position, name in [(400, "anonymous source"), (410, "named person"), (420, "negative")]
    ]
    sources[0].source_entity = Source.objects.create(name="An official")
    sources[0].save(update_fields=["source_entity"])
    for claim in claims:
        Attribution.objects.create(claim=claim, source=sources[0], author=annotator_user, cue="said")
        Attribution.objects.create(claim=claim, source=sources[1], author=annotator_user, cue="told")
    assert count() == few
    assert few <= 11  # session, user, article, permissions (2), annotations, labels, authors,
    # assignments, links: the figures strip comes by its own request
