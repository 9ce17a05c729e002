"""The story of a news page, without its navigation, share bars, related links or comments.

trafilatura finds the main text and the metadata (title, byline, date, site name,
canonical URL: from JSON-LD, Open Graph, <meta>, <time> and the markup); our own cleaning
(articles/ingest/cleaning.py) then makes it canonical text and drops the documented
boilerplate lines as a second pass.
"""

import datetime
from dataclasses import dataclass, field

import trafilatura

from articles.ingest.cleaning import clean_boilerplate, normalise_text

# trafilatura logs every page it finds too short; the caller reports that itself.
trafilatura.core.LOGGER.disabled = True


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    body: str
    metadata: dict = field(default_factory=dict)  # Article fields: byline, outlet, published, canonical_url


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _clip(value, limit):
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def extract_page(html, url=None):
    """Return the page's ExtractedPage, or None when no story text is found."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if document is None or not (document.text or "").strip():
        return None
    title = _clip(document.title, 500)
    lines = [line.strip() for line in normalise_text(document.text).split("\n")]
    lines = [line for line in lines if line]
    # trafilatura repeats the headline as the first line of the text.
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = clean_boilerplate("\n\n".join(lines))
    if not body:
        return None
    canonical = document.url if document.url and document.url.startswith(("http://", "https://")) else ""
    metadata = {
        "byline": _clip((document.author or "").replace("; ", ", "), 300),
        "outlet": _clip(document.sitename, 200),
        "published": _date(document.date),
        "canonical_url": canonical[:1000],
    }
    return ExtractedPage(title=title, body=body, metadata={k: v for k, v in metadata.items() if v})
