from django.core.management.base import BaseCommand, CommandError

from articles.analytics import aggregation as agg
from articles.analytics import reports

FILTER_OPTIONS = ("from", "to", "outlet", "label", "status", "author", "article", "batch",
                  "type", "affiliation", "country", "period", "measure")  # fmt: skip


class Command(BaseCommand):
    help = (
        "Print an analytics view's numbers (the same tables the pages show) as CSV (one table) "
        "or JSON (every table), with the pages' filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("view", help=f"one of {', '.join(reports.VIEWS)}")
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="output_format")
        parser.add_argument(
            "--table", default="", help="the table to print (CSV: the view's first by default)"
        )
        parser.add_argument(
            "--from", dest="from", default="", metavar="DATE", help="published (else added) on/after"
        )
        parser.add_argument("--to", default="", metavar="DATE", help="published (else added) on/before")
        parser.add_argument("--outlet", action="append", default=[], help="repeatable")
        parser.add_argument(
            "--label", action="append", default=[], help='id, "Category: name" or name; repeatable'
        )
        parser.add_argument("--status", default="all", help="all (but rejected), accepted or gold")
        parser.add_argument("--author", action="append", default=[], metavar="USERNAME", help="repeatable")
        parser.add_argument("--article", action="append", default=[], metavar="ID", help="repeatable")
        parser.add_argument(
            "--batch", action="append", default=[], metavar="BATCH", help="batch (id or name); repeatable"
        )
        parser.add_argument("--type", action="append", default=[], help="voices: source type; repeatable")
        parser.add_argument("--affiliation", default="", help="voices: affiliation contains")
        parser.add_argument("--country", default="", help="voices: country")
        parser.add_argument("--period", default="month", help="over time: week or month")
        parser.add_argument(
            "--measure", default=agg.Filters.measure, help=f"over time: {', '.join(agg.MEASURES)}"
        )

    def handle(self, *args, view, output_format, table, **options):
        import json

        if view not in reports.VIEWS:
            raise CommandError(f"unknown view “{view}”: use one of {', '.join(reports.VIEWS)}")
        query = {key: options[key] for key in FILTER_OPTIONS}
        try:
            filters = agg.parse_filters(query)
        except agg.FilterError as exc:
            raise CommandError(f"cannot filter: {exc}") from None
        tables = reports.VIEWS[view][1](filters)
        if table:
            chosen = [t for t in tables if t.id == table]
            if not chosen:
                raise CommandError(
                    f"view “{view}” has no table “{table}”: use one of {', '.join(t.id for t in tables)}"
                )
            tables = chosen
        if output_format == "json":
            self.stdout.write(
                json.dumps(reports.tables_json(view, filters, tables), ensure_ascii=False, indent=1)
            )
        else:
            self.stdout.write(reports.table_csv(tables[0]), ending="")
