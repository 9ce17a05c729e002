"""python manage.py import_annotations"""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Annotation
from articles.tests.export_helpers import annotate, make_article

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_annotations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def exported(sample_article, annotator_user, tmp_path):
    """A CSV, JSONL and W3C export of three annotations, then the annotations deleted."""
    article = make_article()
    annotate(article, "productive", annotator_user)
    annotate(article, "delegation", annotator_user, label="opinion")
    annotate(sample_article, "Pakistani", annotator_user, label="negative")
    paths = {}
    for export_format, suffix in (("csv", "csv"), ("jsonl", "jsonl"), ("w3c", "jsonld")):
        paths[export_format] = tmp_path / f"annotations.{suffix}"
        call_command("export_annotations", "--format", export_format, "-o", str(paths[export_format]))
    Annotation.all_objects.all().delete()
    return paths


@pytest.mark.parametrize("export_format", ["csv", "jsonl", "w3c"])
def test_it_imports_each_format_and_twice_adds_nothing(exported, export_format):
    out, _ = run(str(exported[export_format]))
    assert out.strip() == "3 created, 0 restored, 0 already present"
    out, _ = run(str(exported[export_format]))
    assert out.strip() == "0 created, 0 restored, 3 already present"
    assert Annotation.objects.count() == 3


def test_it_round_trips_through_the_commands_byte_for_byte(exported, tmp_path):
    run(str(exported["csv"]))
    again = tmp_path / "again.csv"
    call_command("export_annotations", "-o", str(again))
    assert again.read_bytes() == exported["csv"].read_bytes()


def test_it_takes_the_format_from_the_option(exported, tmp_path):
    renamed = tmp_path / "annotations.txt"
    renamed.write_bytes(exported["jsonl"].read_bytes())
    with pytest.raises(CommandError, match="cannot tell the format"):
        run(str(renamed))
    out, _ = run(str(renamed), "--format", "jsonl")
    assert out.startswith("3 created")


def bad_copy(exported, tmp_path):
    lines = exported["jsonl"].read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"label": "opinion"', '"label": "gossip"')
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_it_imports_nothing_when_a_row_is_bad(exported, tmp_path):
    with pytest.raises(CommandError) as failure:
        run(str(bad_copy(exported, tmp_path)))
    assert str(failure.value) == "nothing imported: line 2: unknown label “Claim: gossip”"
    assert Annotation.all_objects.count() == 0


def test_it_skips_and_lists_bad_rows_with_skip_bad(exported, tmp_path):
    out, err = run(str(bad_copy(exported, tmp_path)), "--skip-bad")
    assert out.strip() == "2 created, 0 restored, 0 already present, 1 bad rows skipped"
    assert err.strip() == "skipped line 2: unknown label “Claim: gossip”"
    assert Annotation.objects.count() == 2


def test_it_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing.csv: No such file"):
        run(str(tmp_path / "missing.csv"))


def test_it_explains_a_file_that_is_not_utf8(tmp_path, db):
    path = tmp_path / "latin1.csv"
    path.write_bytes("annotation_id,café\n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 1: not UTF-8 text"):
        run(str(path))
