"""The web capability's background tasks (django.tasks; run by `manage.py db_worker`)."""

from django.tasks import task
from django.utils import timezone

from articles.jobs.models import Job
from articles.jobs.runner import ItemFailed, run_items, running, set_total, start_job
from articles.web.feeds import FeedError, parse_feed
from articles.web.fetch import FEED_TYPES, FetchFailed, FetchRefused, fetch
from articles.web.importing import prepare_url, store_page
from articles.web.models import Feed, FeedEntry


@task
def import_urls(job_id):
    with running(job_id) as job:
        owner = job.owner
        run_items(
            job,
            job.params["urls"],
            prepare=prepare_url,
            store=lambda url, page: store_page(page, added_by=owner),
        )


def start_url_import(urls, owner):
    title = urls[0] if len(urls) == 1 else f"{urls[0]} and {len(urls) - 1} more"
    return start_job(
        import_urls,
        kind=Job.Kind.URL_IMPORT,
        owner=owner,
        title=title,
        total=len(urls),
        params={"urls": urls},
    )


@task
def poll_feed(job_id):
    with running(job_id) as job:
        feed = Feed.objects.get(pk=job.params["feed"])
        try:
            result = fetch(feed.url, accept=FEED_TYPES)
            items = parse_feed(result.body)
        except (FetchRefused, FetchFailed, FeedError) as exc:
            Feed.objects.filter(pk=feed.pk).update(last_polled_at=timezone.now(), last_error=str(exc)[:500])
            raise ItemFailed(f"the feed could not be read: {exc}") from None
        seen = set(feed.entries.filter(key__in=[i.key for i in items]).values_list("key", flat=True))
        new = [item for item in items if item.key not in seen]
        new = list({item.key: item for item in new}.values())
        set_total(job, len(new))

        def record(item, outcome, article=None, reason=""):
            FeedEntry.objects.create(
                feed=feed,
                key=item.key[:1000],
                link=item.link[:1000],
                title=item.title[:500],
                outcome=outcome,
                article=article,
                reason=reason[:500],
            )

        def store(item, page):
            outcome, article = store_page(page, outlet=feed.outlet)
            record(item, outcome, article)
            return outcome, article

        # A refused or broken item is recorded too, so it is not fetched again on every poll.
        run_items(
            job,
            new,
            prepare=lambda item: prepare_url(item.link),
            store=store,
            label=lambda item: item.link,
            on_failure=lambda item, reason: record(item, "failed", reason=reason),
        )
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=timezone.now(), last_error="")


def start_feed_poll(feed):
    return start_job(
        poll_feed, kind=Job.Kind.FEED_POLL, owner=None, title=f"Feed: {feed.outlet}", params={"feed": feed.pk}
    )
