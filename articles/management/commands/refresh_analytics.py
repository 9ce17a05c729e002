import time

from django.core.management.base import BaseCommand

from articles.analytics import summary


class Command(BaseCommand):
    help = (
        "Recompute the analytics summary of every article marked dirty (all of them after a "
        "migration that adds a summary table). Run it after `migrate` when deploying, so that no "
        "page view pays for the first fill; --all rebuilds every article from scratch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every article, dirty or not")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["all"]:
            summary.rebuild_all()
            what = "every article"
        else:
            what = f"{summary.refresh():,} dirty articles"
        self.stdout.write(f"analytics summary: recomputed {what} in {time.perf_counter() - started:.1f} s")
