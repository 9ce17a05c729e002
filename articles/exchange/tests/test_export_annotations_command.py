"""python manage.py export_annotations"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.exchange.writers import CSV_COLUMNS
from articles.tests.export_helpers import annotate, csv_records, make_article

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("export_annotations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def annotated(sample_article, annotator_user, make_user):
    article = make_article()
    annotate(article, "productive", annotator_user, note="=danger")
    annotate(article, "delegation", make_user("bob", "Annotator"), label="opinion")
    annotate(sample_article, "Pakistani", annotator_user, label="negative")
    return article


def test_it_writes_spreadsheet_safe_csv_to_stdout_by_default(annotated):
    text = run()
    records = csv_records(text)
    assert list(records[0]) == list(CSV_COLUMNS)
    assert len(records) == 3
    assert "'=danger" in {r["note"] for r in records}
    assert not text.startswith("\ufeff")


def test_it_writes_raw_and_excel_csv(annotated):
    assert "=danger" in {r["note"] for r in csv_records(run("--raw"))}
    assert run("--excel").startswith("\ufeffannotation_id,")


def test_it_writes_jsonl_and_w3c(annotated):
    assert len([json.loads(line) for line in run("--format", "jsonl").splitlines()]) == 3
    document = json.loads(run("--format", "w3c"))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["total"] == 3
    assert document["id"].startswith("urn:uuid:")


def test_it_filters_by_article_label_author_and_since(annotated, sample_article):
    def quotes(*args):
        return sorted(r["quote"] for r in csv_records(run(*args)))

    assert quotes("--article", str(annotated.pk)) == ["delegation", "productive"]
    assert quotes("--article", str(annotated.pk), "--article", str(sample_article.pk)) == [
        "Pakistani",
        "delegation",
        "productive",
    ]
    assert quotes("--label", "opinion") == ["delegation"]
    assert quotes("--label", "opinion", "--label", "negative") == ["Pakistani", "delegation"]
    assert quotes("--author", "bob") == ["delegation"]
    assert quotes("--since", "2999-01-01") == []
    assert quotes("--since", "2000-01-01") == ["Pakistani", "delegation", "productive"]


def test_it_writes_to_a_file_with_crlf_rows_intact(annotated, tmp_path):
    target = tmp_path / "out.csv"
    assert run("-o", str(target)) == ""
    data = target.read_bytes()
    assert data.startswith(b"annotation_id,") and data.count(b"\r\n") >= 4
    assert data.decode("utf-8") == run()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "nope"], "unknown label “nope”"),
        (["--author", "nobody"], "unknown author “nobody”"),
        (["--article", "424242"], "no article #424242"),
        (["--since", "soon"], "“soon” is not a date"),
        (["-o", "/nonexistent-dir/x.csv"], "cannot write /nonexistent-dir/x.csv"),
    ],
)
def test_it_fails_with_a_one_line_reason(annotated, args, message):
    with pytest.raises(CommandError) as failure:
        run(*args)
    assert message in str(failure.value)
    assert "\n" not in str(failure.value)


def test_it_leaves_an_existing_file_as_it_was_when_the_export_fails_midway(annotated, tmp_path, monkeypatch):
    from articles.management.commands import export_annotations

    target = tmp_path / "backup.csv"
    target.write_text("yesterday's complete backup\n")

    def failing_stream(*args, **kwargs):
        yield "header\r\n"
        raise RuntimeError("the database went away")

    monkeypatch.setattr(export_annotations, "export_stream", failing_stream)
    with pytest.raises(RuntimeError):
        run("-o", str(target))
    assert target.read_text() == "yesterday's complete backup\n"
    assert [path.name for path in tmp_path.iterdir()] == ["backup.csv"]  # no partial file left


def test_it_replaces_a_file_keeping_its_permissions(annotated, tmp_path):
    target = tmp_path / "backup.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    run("-o", str(target))
    assert target.read_text().startswith(",".join(CSV_COLUMNS[:3]))
    assert target.stat().st_mode & 0o777 == 0o640
