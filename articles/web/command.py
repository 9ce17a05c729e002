"""`import_articles --url URL… / --url-file FILE`: the same import as the web page's, from a shell."""

from pathlib import Path

from django.core.management.base import CommandError

from articles.jobs.models import Job, JobItem
from articles.jobs.runner import ItemFailed, run_items, running
from articles.web.forms import MAX_URLS
from articles.web.importing import parse_url_list, prepare_url, store_page
from articles.web.tasks import start_url_import


def read_urls(urls, url_file):
    try:
        found = parse_url_list("\n".join(urls))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if url_file:
        try:
            text = Path(url_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {url_file}: {exc}") from None
        try:
            # Parsed on its own, so a problem's line number is the file's.
            found += [url for url in parse_url_list(text) if url not in found]
        except ValueError as exc:
            raise CommandError(f"{url_file}: {exc}") from None
    if not found:
        raise CommandError("no URLs given")
    return found


def import_urls_command(command, urls, url_file, *, outlet="", enqueue=False):
    urls = read_urls(urls, url_file)
    if enqueue:
        if len(urls) > MAX_URLS * 100:
            raise CommandError(f"at most {MAX_URLS * 100} URLs per job")
        job = start_url_import(urls, owner=None)
        command.stdout.write(f"queued job #{job.pk} with {len(urls)} URLs; `manage.py db_worker` runs it")
        return
    # Run here and now, recorded as a job like the web page's so it shows on the Jobs page.
    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT, title=f"{len(urls)} URLs (command line)", total=len(urls)
    )
    fields = {"outlet": outlet} if outlet else {}

    def store(url, page):
        outcome, article = store_page(page, **fields)
        command.stdout.write(f"{outcome:<10} {url}: #{article.pk} {article.title}")
        return outcome, article

    def prepare(url):
        try:
            return prepare_url(url)
        except ItemFailed as exc:
            command.stdout.write(f"failed     {url}: {exc}")
            raise

    with running(job.pk) as job:
        run_items(job, urls, prepare=prepare, store=store)
    counts = {outcome: job.items.filter(outcome=outcome).count() for outcome in JobItem.Outcome.values}
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    if counts["failed"]:
        raise CommandError(f"{counts['failed']} of {len(urls)} URLs failed ({summary})")
    command.stdout.write(summary)
