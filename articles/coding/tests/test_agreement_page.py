import json

import pytest
from django.core.management import CommandError, call_command

from articles.coding.tests.helpers import annotate, make_batch
from articles.tests.admin_helpers import make_curator


@pytest.fixture
def batch(make_user, sample_article, other_article):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article, other_article], [alice, bob], name="Wave 1")
    for user in (alice, bob):
        annotate(sample_article, user, "Pakistani")
        annotate(other_article, user, "Markets rallied", label="opinion" if user == bob else "factual")
    annotate(sample_article, alice, "military official", label="anonymous source")
    return batch


def test_it_shows_alpha_per_category_and_label_pairs_and_lowest(client, batch, make_user, other_article):
    client.force_login(make_curator(make_user))
    response = client.get(f"/coding/batches/{batch.pk}/agreement/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Claim</strong>" in html and "anonymous source" in html and "<svg" in html
    assert 'id="agreement-pairs"' in html and "2 art." in html
    lowest = html.split('id="agreement-lowest"')[1]
    assert lowest.index("Markets rally") < lowest.index("Senior Pakistani")
    assert f"/coding/batches/{batch.pk}/articles/{other_article.pk}/adjudicate/" in lowest
    assert "style=" not in html.split("<main")[1]  # CSP: the bars use SVG attributes


def test_it_downloads_every_table_as_csv(client, batch, make_user):
    client.force_login(make_curator(make_user))
    for table, header in [
        ("labels", "category,label,n,alpha_u,alpha_nominal,f1_exact,f1_overlap,alpha_ordinal,link_f1"),
        ("pairs", "coder_a,coder_b,articles,alpha_u,f1_exact,f1_overlap,link_f1"),
        ("articles", "article_id,title,coders,spans,f1_overlap,link_f1"),
    ]:
        response = client.get(f"/coding/batches/{batch.pk}/agreement/?download={table}")
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[0] == header
    assert client.get(f"/coding/batches/{batch.pk}/agreement/?download=nope").status_code == 400


def test_it_is_for_curators_only(client, batch, make_user):
    client.force_login(make_user("carl"))
    assert client.get(f"/coding/batches/{batch.pk}/agreement/").status_code == 403
    client.force_login(make_curator(make_user))
    assert client.get("/coding/batches/999/agreement/").status_code == 404


def test_the_command_prints_csv_and_json(batch, capsys):
    call_command("agreement", "Wave 1", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("category,label,n,alpha_u") and lines[1].startswith("Claim,,")
    call_command("agreement", str(batch.pk), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"labels", "pairs", "articles"}
    assert report["pairs"][0]["coder_a"] == "alice" and report["pairs"][0]["articles"] == 2
    call_command("agreement", "Wave 1", "--table", "pairs")
    assert capsys.readouterr().out.startswith("coder_a,coder_b")


def test_the_command_refuses_an_unknown_batch(db):
    with pytest.raises(CommandError, match="no coding batch “nope”"):
        call_command("agreement", "nope")


def test_it_shows_an_empty_batch(client, make_user, sample_article):
    batch = make_batch([sample_article], [make_user("alice")], name="Solo")
    client.force_login(make_curator(make_user))
    html = client.get(f"/coding/batches/{batch.pk}/agreement/").content.decode()
    assert "No article is coded by two analysts yet." in html and "Nothing to compare yet." in html
