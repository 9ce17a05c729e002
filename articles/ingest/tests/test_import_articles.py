import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "pakistan-us-rift.txt"


def run(*args):
    out = StringIO()
    call_command("import_articles", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_imports_files_and_folders(db, tmp_path):
    folder = tmp_path / "batch"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "sample.txt")
    (folder / "nested" / "page.html").write_text("<h1>HTML story</h1><p>Body.</p>", encoding="utf-8")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    single = tmp_path / "single.txt"
    single.write_text("Single\n\nOne more story.", encoding="utf-8")
    output = run(folder, single)
    assert output.count("imported") == 4  # three lines plus the summary
    assert "3 imported, 0 duplicate, 0 failed" in output
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Senior Pakistani Military Official on 'So-Called Coalition Partner' U.S.",
        "HTML story",
        "Single",
    }


def test_it_reports_duplicates(db, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(SAMPLE, tmp_path / "b.txt")
    output = run(tmp_path)
    assert "imported   " in output and "duplicate  " in output
    assert Article.objects.count() == 1


def test_it_reports_bad_files_and_carries_on(db, tmp_path):
    (tmp_path / "1-latin1.txt").write_bytes("Titre\n\nCafé".encode("latin-1"))
    (tmp_path / "2-empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "3-good.txt").write_text("Good\n\nStory text.", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match=r"2 of 3 files failed"):
        call_command("import_articles", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("failed") and "not UTF-8" in lines[0]
    assert lines[1].startswith("failed") and "empty input" in lines[1]
    assert lines[2].startswith("imported")
    assert list(Article.objects.values_list("title", flat=True)) == ["Good"]


def test_it_fails_when_nothing_matches(db, tmp_path):
    with pytest.raises(CommandError, match="no .txt or .html files"):
        run(tmp_path)


def test_it_fails_for_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        run(tmp_path / "missing.txt")


def test_it_reports_the_time_the_import_took(db, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    assert re.search(r"^1 imported, 0 duplicate, 0 failed in \d+\.\d\d s$", run(tmp_path), re.M)


def test_it_starts_without_loading_the_url_modules_and_their_libraries():
    """The URL checks import every view, and with them trafilatura and numpy (slow to load);
    a plain-text import needs none of them."""
    import subprocess
    import sys

    from django.core.checks import Tags

    from articles.management.commands.import_articles import Command

    assert Tags.urls not in Command.requires_system_checks and Tags.models in Command.requires_system_checks
    code = (
        "import django, sys; django.setup(); "
        "from articles.management.commands import import_articles; "
        "from articles.ingest.pipeline import ingest; ingest('Title\\n\\nText.'); "
        "print(sorted(m for m in ('trafilatura', 'numpy', 'krippendorff') if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, a constant script)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=SAMPLE.parents[2]
    )
    assert result.stdout.strip() == "[]"
