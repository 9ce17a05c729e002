import csv
import io

from django.core.management import call_command

from articles.coding.adjudication import accept_version, article_groups, coder_annotations
from articles.coding.tests.helpers import annotate, make_batch
from articles.exchange.writers import CSV_COLUMNS
from articles.tests.admin_helpers import make_curator


def records(text):
    return list(csv.DictReader(io.StringIO(text)))


def adjudicated(make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob])
    annotate(sample_article, alice, "Pakistani")
    annotate(sample_article, bob, "Pakistani")
    curator = make_curator(make_user)
    (group,) = article_groups(
        batch, sample_article, coder_annotations(batch, sample_article, [alice.pk, bob.pk])
    )
    accept_version(batch, sample_article, group, alice.pk, curator)
    return curator


def test_it_keeps_the_fixed_columns_first_and_adds_coder_and_gold_last():
    assert CSV_COLUMNS[:3] == ("annotation_id", "article_id", "article_title")
    assert CSV_COLUMNS[-2:] == ("coder", "gold")


def test_the_command_exports_coders_and_the_gold_set(db, make_user, sample_article, capsys):
    adjudicated(make_user, sample_article)
    call_command("export_annotations")
    rows = records(capsys.readouterr().out)
    assert sorted((r["author"], r["coder"], r["gold"]) for r in rows) == [
        ("alice", "alice", "false"),
        ("bob", "bob", "false"),
        ("carol", "alice;bob", "true"),
    ]
    call_command("export_annotations", "--gold")
    rows = records(capsys.readouterr().out)
    assert [(r["coder"], r["gold"], r["quote"]) for r in rows] == [("alice;bob", "true", "Pakistani")]


def test_the_web_export_has_a_gold_only_option(client, make_user, sample_article):
    curator = adjudicated(make_user, sample_article)
    client.force_login(curator)
    response = client.get(f"/articles/{sample_article.pk}/export/?format=csv&gold=1")
    rows = records(b"".join(response.streaming_content).decode())
    assert [(r["author"], r["gold"]) for r in rows] == [("carol", "true")]
    response = client.get("/annotations/export/?format=jsonl&gold=1")
    assert b'"gold": "true"' in b"".join(response.streaming_content)
    assert "gold=1" in client.get(f"/articles/{sample_article.pk}/").content.decode()
