from django.core.management.base import BaseCommand, CommandError

from articles.coding.batch_agreement import TABLES, batch_report, find_batch, report_json, table_csv


class Command(BaseCommand):
    help = (
        "Inter-coder agreement of a coding batch (αu, α nominal, span F1, claim → source link F1, "
        "α ordinal on tone intensity): CSV or JSON on stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", help="batch number or name")
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="output_format")
        parser.add_argument(
            "--table", choices=TABLES, default="labels", help="CSV: which table (JSON holds them all)"
        )

    def handle(self, *args, batch, output_format, table, **options):
        found = find_batch(batch)
        if found is None:
            raise CommandError(f"no coding batch “{batch}”")
        report = batch_report(found)
        if output_format == "json":
            self.stdout.write(report_json(report))
        else:
            self.stdout.write(table_csv(report[table]), ending="")
