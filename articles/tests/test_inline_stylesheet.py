"""The site's stylesheets travel inside the page (articles/templatetags/assets.py), so a
browser with an empty cache can paint the text without asking for another file."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from articles.templatetags import assets


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_it_inlines_the_stylesheet_with_the_nonce_of_the_page(client):
    response = client.get("/login/")
    html = response.content.decode()
    assert f'<style nonce="{nonce_of(response)}">:root {{' in html
    assert "/*" not in html  # the comments stay in the file (articles/assets.py)
    assert 'rel="stylesheet"' not in html  # nothing left to fetch before the first paint


def test_it_inlines_the_readers_own_stylesheet(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    response = client.get(f"/articles/{sample_article.pk}/")
    html = response.content.decode()
    nonce = nonce_of(response)
    styles = re.findall(rf'<style nonce="{nonce}"[^>]*>(.*?)</style>', html, re.S)
    assert any(".who-panel" in css for css in styles)  # css/attribution.css
    assert 'rel="stylesheet"' not in html


def test_it_refuses_a_file_that_is_not_there():
    with pytest.raises(TemplateSyntaxError, match="no static file"):
        Template('{% load assets %}{% inline_stylesheet "css/nothing.css" %}').render(Context({}))


def test_it_refuses_a_stylesheet_that_could_close_the_style_element(settings, tmp_path):
    (tmp_path / "evil.css").write_text("p{} </style><script>alert(1)</script>")
    settings.STATICFILES_DIRS = [tmp_path]
    with pytest.raises(TemplateSyntaxError, match="cannot be inlined"):
        Template('{% load assets %}{% inline_stylesheet "evil.css" %}').render(Context({}))


def test_it_rereads_an_edited_stylesheet_under_debug(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    settings.DEBUG = True
    sheet = tmp_path / "edited.css"
    template = Template('{% load assets %}{% inline_stylesheet "edited.css" %}')
    sheet.write_text("p{color:red}")
    assert "color:red" in template.render(Context({}))
    sheet.write_text("p{color:blue}")
    assert "color:blue" in template.render(Context({}))


def test_it_reads_a_stylesheet_once_in_production(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    settings.DEBUG = False
    assets.cached_stylesheet.cache_clear()
    sheet = tmp_path / "kept.css"
    template = Template('{% load assets %}{% inline_stylesheet "kept.css" %}')
    sheet.write_text("p{color:red}")
    try:
        assert "color:red" in template.render(Context({}))
        sheet.write_text("p{color:blue}")
        assert "color:red" in template.render(Context({}))
    finally:
        assets.cached_stylesheet.cache_clear()


def inlined_css(response):
    nonce = nonce_of(response)
    return "".join(re.findall(rf'<style nonce="{nonce}"[^>]*>(.*?)</style>', response.content.decode(), re.S))


def test_it_sends_the_reading_page_only_the_rules_its_pages_use(client, annotator_user, sample_article):
    # Another page's rules are bytes the reader downloads on every article and never uses.
    client.force_login(annotator_user)
    css = inlined_css(client.get(f"/articles/{sample_article.pk}/"))
    assert ".article-body .para" in css and ".article-summary" in css
    assert ".analytics-head" not in css and ".list-search" not in css and ".job-status" not in css


def test_it_gives_the_list_analytics_and_jobs_pages_their_own_rules(client, annotator_user):
    client.force_login(annotator_user)
    for path, rule in (
        ("/", ".list-search {"),
        ("/analytics/", ".analytics-head {"),
        ("/jobs/", ".job-status {"),
        ("/articles/add/", ".add-from-web {"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert rule in inlined_css(response), path
