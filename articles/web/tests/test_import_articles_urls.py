"""`import_articles --url URL… / --url-file FILE`: fetch pages from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.jobs.models import Job
from articles.models import Article
from articles.web.tests.pages import PAGES
from articles.web.tests.server import Response, page


def run(*args):
    out = io.StringIO()
    call_command("import_articles", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def served(fixture_server):
    for name in PAGES:
        fixture_server.routes[f"/{name}"] = page(f"{name}.html")
    fixture_server.routes["/plain"] = Response(
        b"Plain story\n\nA plain-text article, served as text/plain.",
        content_type="text/plain; charset=utf-8",
    )
    return fixture_server


def test_it_imports_urls_one_line_each(db, served):
    urls = [served.url("/harbour-council"), served.url("/plain")]
    out = run("--url", *urls)
    harbour = Article.objects.get(title=PAGES["harbour-council"]["title"])
    plain = Article.objects.get(title="Plain story")
    assert f"imported   {urls[0]}: #{harbour.pk} {harbour.title}" in out
    assert f"imported   {urls[1]}: #{plain.pk} Plain story" in out
    assert out.strip().endswith("2 imported, 0 duplicate, 0 failed")
    assert plain.body == "A plain-text article, served as text/plain."
    job = Job.objects.get()
    assert (job.owner, job.status, job.done, job.total) == (None, "done", 2, 2)


def test_it_reads_a_url_file_and_applies_the_outlet(db, served, tmp_path):
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"{served.url('/drought-report')}\n\n{served.url('/minister-interview')}\n")
    run("--url-file", str(url_file), "--outlet", "Wire copy")
    assert set(Article.objects.values_list("outlet", flat=True)) == {"Wire copy"}
    assert Article.objects.count() == 2


def test_it_fails_with_a_one_line_reason_when_a_url_fails(db, served):
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 of 2 URLs failed \(1 imported, 0 duplicate, 1 failed\)$"):
        call_command(
            "import_articles", "--url", served.url("/minister-interview"), "http://[::1]/", stdout=out
        )
    assert "failed     http://[::1]/: refused: the address ::1 is a loopback address" in out.getvalue()
    assert Article.objects.count() == 1


def test_a_second_run_reports_duplicates(db, served):
    run("--url", served.url("/harbour-council"))
    out = run("--url", served.url("/harbour-council"))
    assert "duplicate  " in out
    assert Article.objects.count() == 1


def test_enqueue_leaves_the_work_to_the_worker(db, served, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    out = run("--enqueue", "--url", served.url("/harbour-council"))
    job = Job.objects.get()
    assert out.strip() == f"queued job #{job.pk} with 1 URLs; `manage.py db_worker` runs it"
    assert job.status == "queued"
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://x.example/a"], "line 1 is not an http(s) URL: ftp://x.example/a"),
        (["--url-file", "/no/such/file.txt"], "cannot read /no/such/file.txt"),
        (["somefile.txt", "--url", "https://x.example/"], "give either paths or --url/--url-file, not both"),
        ([], "give files or folders to import, or --url / --url-file"),
    ],
)
def test_it_explains_bad_arguments(db, args, message):
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")
    ):
        run(*args)


def test_an_empty_url_file_is_an_error(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(CommandError, match="no URLs given"):
        run("--url-file", str(empty))


def test_it_names_the_url_files_own_line(db, tmp_path):
    url_file = tmp_path / "urls.txt"
    url_file.write_text("https://a.example/one\nftp://b.example/two\n")
    with pytest.raises(
        CommandError, match=rf"{url_file}: line 2 is not an http\(s\) URL: ftp://b.example/two"
    ):
        run("--url-file", str(url_file))
    with pytest.raises(CommandError, match=rf"{url_file}: line 2 is not"):
        run("--url", "https://c.example/", "--url-file", str(url_file))
