"""A URL in, an article out: fetch under the guard, extract, clean, store without duplicates.

`prepare_url` does the network and parsing (no database writes, so it runs outside any
transaction); `store_page` writes the article and its snapshot. The job runner calls them
in that order, one item at a time; `import_url` does both for a caller that is not a job.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from articles.ingest.pipeline import IngestedArticle, IngestError, ingest, store_article
from articles.jobs.models import JobItem
from articles.jobs.runner import ItemFailed
from articles.web.fetch import FetchFailed, FetchRefused, FetchResult, fetch
from articles.web.models import ArticleSnapshot

MAX_URL = 1000


@dataclass(frozen=True)
class FetchedPage:
    result: FetchResult
    ingested: IngestedArticle


def parse_url_list(text):
    """The URLs of a pasted list (one a line; blank lines and duplicates dropped), or ValueError."""
    urls, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        url = line.strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
            problems.append(f"line {number} is not an http(s) URL: {url[:80]}")
        elif url not in urls:
            urls.append(url)
    if problems:
        raise ValueError(
            "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        )
    return urls


def prepare_url(url):
    try:
        result = fetch(url)
    except (FetchRefused, FetchFailed) as exc:
        raise ItemFailed(str(exc)) from None
    text = result.text
    if result.content_type.split(";")[0].strip().lower() == "text/plain":
        try:
            ingested = ingest(text)
        except IngestError as exc:
            raise ItemFailed(str(exc)) from None
    else:
        from articles.web.extract import extract_page  # trafilatura loads only when a page comes in

        page = extract_page(text, url=result.final_url)
        if page is None:
            raise ItemFailed("no article text found on the page")
        # The snapshot keeps the page itself; `original` would only repeat it uncompressed.
        ingested = IngestedArticle(
            title=page.title or result.final_url,
            body=page.body,
            source_format="html",
            original="",
            metadata=page.metadata,
        )
    return FetchedPage(result=result, ingested=ingested)


def store_page(page, *, added_by=None, **fields):
    """Store the fetched article (with its snapshot); return (outcome, article)."""
    article, created = store_article(
        page.ingested, added_by=added_by, url=page.result.final_url[:1000], **fields
    )
    if not created:
        return JobItem.Outcome.DUPLICATE, article
    ArticleSnapshot.of_fetch(article, page.result).save()
    return JobItem.Outcome.IMPORTED, article


def import_url(url, *, added_by=None, **fields):
    return store_page(prepare_url(url), added_by=added_by, **fields)
