from django.core.management.base import BaseCommand

from articles.web.feeds import claim_due_feeds
from articles.web.models import Feed
from articles.web.tasks import start_feed_poll


class Command(BaseCommand):
    help = (
        "Queue a poll job for every active feed that is due (run it from cron every few minutes; "
        "`manage.py db_worker` does the polling)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="poll every active feed now, due or not")

    def handle(self, *args, all, **options):
        if all:
            Feed.objects.filter(active=True).update(
                next_poll_at=Feed._meta.get_field("next_poll_at").default()
            )
        claimed = claim_due_feeds()
        for feed in Feed.objects.filter(pk__in=claimed):
            job = start_feed_poll(feed)
            self.stdout.write(f"queued     {feed.url}: job #{job.pk}")
        self.stdout.write(f"{len(claimed)} feeds queued")
