"""RSS and Atom feeds: parse the items, and find which feeds are due for a poll.

Parsing uses lxml with entities, DTDs and the network off, so a hostile feed cannot
expand entities or make the parser fetch anything.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from articles.web.models import Feed

ATOM = "{http://www.w3.org/2005/Atom}"


class FeedError(ValueError):
    pass


@dataclass(frozen=True)
class FeedItem:
    key: str
    link: str
    title: str


def _text(element, path, namespaces=None):
    found = element.find(path, namespaces)
    return (found.text or "").strip() if found is not None and found.text else ""


def parse_feed(data):
    """The items of an RSS 2.0, RSS 1.0 (RDF) or Atom document, in feed order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not a valid RSS or Atom feed ({exc.msg})") from None
    items = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = ""
            for candidate in entry.findall(f"{ATOM}link"):
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    link = candidate.get("href").strip()
                    break
            key = _text(entry, f"{ATOM}id") or link
            items.append(FeedItem(key=key, link=link, title=_text(entry, f"{ATOM}title")))
    else:
        for item in root.iter("item", "{http://purl.org/rss/1.0/}item"):
            ns = item.tag[: item.tag.index("}") + 1] if item.tag.startswith("{") else ""
            link = _text(item, f"{ns}link")
            key = (
                _text(item, "guid") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or link
            )
            items.append(FeedItem(key=key.strip(), link=link, title=_text(item, f"{ns}title")))
        if not items and root.find("channel") is None and not root.tag.endswith("RDF"):
            raise FeedError("not an RSS or Atom feed")
    return [item for item in items if item.link.startswith(("http://", "https://"))]


def claim_due_feeds(now=None):
    """Active feeds whose poll is due, each moved on by its interval so it is claimed once."""
    now = now or timezone.now()
    claimed = []
    due = Feed.objects.filter(active=True).filter(Q(next_poll_at__lte=now)).order_by("next_poll_at")
    for feed in due.only("pk", "poll_minutes")[:500]:
        with transaction.atomic():
            next_at = now + timedelta(minutes=max(1, feed.poll_minutes))
            # The filter on next_poll_at makes the claim safe when two `poll_feeds` overlap.
            if Feed.objects.filter(pk=feed.pk, next_poll_at__lte=now).update(next_poll_at=next_at):
                claimed.append(feed.pk)
    return claimed
