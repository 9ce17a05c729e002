"""Feeds: parsing, polling through the job worker path, and never the same item twice."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.jobs.models import Job
from articles.models import Article
from articles.web.feeds import FeedError, parse_feed
from articles.web.models import Feed, FeedEntry
from articles.web.tests.pages import FIXTURES, PAGES
from articles.web.tests.server import Response, page


@pytest.fixture
def feed(fixture_server, db):
    base = fixture_server.url("")
    for name in PAGES:
        fixture_server.routes[f"/{name}"] = page(f"{name}.html")
    xml = (FIXTURES / "feed.xml").read_text(encoding="utf-8").replace("{base}", base).encode()
    fixture_server.routes["/feed.xml"] = Response(xml, content_type="application/rss+xml")
    return Feed.objects.create(url=fixture_server.url("/feed.xml"), outlet="Fixture News")


def test_a_feed_with_three_items_polled_twice_gives_three_articles(feed, immediate_tasks, fixture_server):
    call_command("poll_feeds", stdout=io.StringIO())
    call_command("poll_feeds", "--all", stdout=io.StringIO())
    assert Article.objects.count() == 3
    assert set(Article.objects.values_list("outlet", flat=True)) == {"Fixture News"}
    assert FeedEntry.objects.filter(feed=feed, outcome="imported").count() == 3
    first, second = Job.objects.filter(kind="feed_poll").order_by("id")
    assert (first.status, first.done, first.total) == ("done", 3, 3)
    assert (second.status, second.done, second.total) == ("done", 0, 0)
    # Each page was fetched once: the second poll read only the feed.
    story_requests = [path for path, _ in fixture_server.requests if path != "/feed.xml"]
    assert sorted(story_requests) == sorted(f"/{name}" for name in PAGES)


def test_a_new_item_in_the_feed_is_added_on_the_next_poll(feed, immediate_tasks, fixture_server):
    call_command("poll_feeds", stdout=io.StringIO())
    assert Article.objects.count() == 3
    fixture_server.routes["/extra"] = Response(
        b"<html><body><article><h1>Late story</h1>"
        + b"".join(
            b"<p>Paragraph %d of the late story, with enough words to count as text.</p>" % n
            for n in range(6)
        )
        + b"</article></body></html>"
    )
    xml = fixture_server.routes["/feed.xml"].body.replace(
        b"<item>",
        b"<item><title>Late</title><link>" + fixture_server.url("/extra").encode() + b"</link></item><item>",
        1,
    )
    fixture_server.routes["/feed.xml"] = Response(xml, content_type="application/rss+xml")
    call_command("poll_feeds", "--all", stdout=io.StringIO())
    assert Article.objects.count() == 4
    assert Job.objects.order_by("id").last().total == 1


def test_a_feed_only_polls_when_due(feed, immediate_tasks):
    call_command("poll_feeds", stdout=io.StringIO())
    call_command("poll_feeds", stdout=io.StringIO())
    assert Job.objects.filter(kind="feed_poll").count() == 1
    Feed.objects.update(active=False)
    call_command("poll_feeds", "--all", stdout=io.StringIO())
    assert Job.objects.filter(kind="feed_poll").count() == 1


def test_feed_fetches_obey_the_guard(db, immediate_tasks, settings):
    settings.ANNOTATOR_FETCH_ALLOW = []
    feed = Feed.objects.create(url="http://192.168.0.10/rss", outlet="Intranet")
    call_command("poll_feeds", stdout=io.StringIO())
    job = Job.objects.get()
    assert job.status == "failed"
    assert (
        job.error == "the feed could not be read: refused: the address 192.168.0.10 is on a private network"
    )
    feed.refresh_from_db()
    assert feed.last_error == "refused: the address 192.168.0.10 is on a private network"


def test_an_item_pointing_inside_is_refused_and_recorded_once(feed, immediate_tasks, fixture_server):
    xml = fixture_server.routes["/feed.xml"].body.replace(
        fixture_server.url("/drought-report").encode(), b"http://10.0.0.5/secret"
    )
    fixture_server.routes["/feed.xml"] = Response(xml, content_type="application/rss+xml")
    call_command("poll_feeds", stdout=io.StringIO())
    call_command("poll_feeds", "--all", stdout=io.StringIO())
    entry = FeedEntry.objects.get(link="http://10.0.0.5/secret")
    assert (entry.outcome, entry.reason) == (
        "failed",
        "refused: the address 10.0.0.5 is on a private network",
    )
    assert Article.objects.count() == 2


def test_it_parses_atom():
    xml = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>tag:a,2026:1</id><title>One</title><link rel="alternate" href="https://a.example/1"/></entry>
      <entry><title>Two</title><link href="https://a.example/2"/><link rel="enclosure" href="https://a.example/2.mp3"/></entry>
    </feed>"""
    items = parse_feed(xml)
    assert [(i.key, i.link, i.title) for i in items] == [
        ("tag:a,2026:1", "https://a.example/1", "One"),
        ("https://a.example/2", "https://a.example/2", "Two"),
    ]


def test_it_refuses_entity_tricks_and_junk():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">
      <!ENTITY x SYSTEM "file:///etc/passwd">]>
      <rss><channel><item><title>&b;&x;</title><link>https://a.example/1</link></item></channel></rss>"""
    items = parse_feed(bomb)
    assert "root:" not in items[0].title and "aaaaaaaaaa" not in items[0].title
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>not a feed</body></html>")
    with pytest.raises(FeedError):
        parse_feed(b"\x00garbage")


def test_curators_manage_feeds_in_the_admin_and_annotators_do_not(client, make_user):
    from articles.tests.admin_helpers import make_curator

    curator = make_curator(make_user)
    client.force_login(curator)
    response = client.post(
        reverse("admin:articles_feed_add"),
        {
            "url": "https://news.example/rss",
            "outlet": "Example",
            "active": "on",
            "poll_minutes": "30",
            "next_poll_at_0": "2026-01-01",
            "next_poll_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Feed.objects.get().added_by == curator
    annotator = make_user("ann2", "Annotator", is_staff=True)
    client.force_login(annotator)
    assert client.get(reverse("admin:articles_feed_changelist")).status_code == 403


def test_a_curator_polls_a_feed_now_from_the_admin(client, make_user, feed, immediate_tasks):
    from articles.tests.admin_helpers import make_curator

    client.force_login(make_curator(make_user))
    response = client.post(
        reverse("admin:articles_feed_changelist"), {"action": "poll_now", "_selected_action": [feed.pk]}
    )
    assert response.status_code == 302
    assert Article.objects.count() == 3
    assert Job.objects.get().kind == "feed_poll"
