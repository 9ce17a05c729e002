"""Values Python parses but the database cannot hold (articles/guards/values.py): digits
int() refuses ("²"), numbers beyond a 64-bit id, moments and days at the calendar's edges.
Each was a 500 or a command's traceback; each is now a clear 4xx or a one-line error."""

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Annotation
from articles.tests.admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, make_curator
from articles.tests.export_helpers import annotate, make_article
from articles.tests.helpers import HTMX

SUPERSCRIPT_TWO = "²"
BEYOND_64_BITS = "9" * 30
EARLY_IN_UTC = "0001-01-01T00:00+01:00"  # before the first moment once turned to UTC
LATE_IN_UTC = "9999-12-31T23:59-01:00"


@pytest.fixture
def world(client, make_user):
    alice = make_user("alice", "Annotator")
    carol = make_curator(make_user)
    article = make_article()
    mine = annotate(article, "delegation", alice)
    client.force_login(alice)
    return {"alice": alice, "carol": carol, "article": article, "mine": mine}


@pytest.mark.parametrize("field", ["claim", "source"])
def test_the_link_form_refuses_an_id_int_cannot_read(client, world, field):
    data = {"claim": world["mine"].pk, "source": world["mine"].pk, field: SUPERSCRIPT_TWO}
    response = client.post(f"/articles/{world['article'].pk}/attributions/", data, headers=HTMX)
    assert response.status_code == 400


def test_the_link_suggestion_refuses_a_source_int_cannot_read(client, world):
    url = f"/articles/{world['article'].pk}/who/{world['mine'].pk}/suggestion/"
    assert client.get(url, {"source": SUPERSCRIPT_TWO}).status_code == 400


@pytest.mark.parametrize("article", [SUPERSCRIPT_TWO, BEYOND_64_BITS])
def test_source_suggestions_ignore_an_article_that_is_no_id(client, world, article):
    assert client.get("/sources/suggest/", {"q": "a", "article": article}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"article": SUPERSCRIPT_TWO},
        {"since": EARLY_IN_UTC},
        {"since": LATE_IN_UTC, "format": "jsonl"},
        {"since": EARLY_IN_UTC, "format": "w3c"},
    ],
)
def test_the_export_refuses_values_before_it_streams(client, world, params):
    response = client.get("/annotations/export/", params)
    assert response.status_code == 400
    assert not getattr(response, "streaming", False)


@pytest.mark.parametrize(
    "params",
    [
        {"to": "9999-12-31"},
        {"from": "0001-01-01"},
        {"author": f"#{SUPERSCRIPT_TWO}"},
        {"batch": SUPERSCRIPT_TWO},
        {"article": SUPERSCRIPT_TWO},
        {"article": BEYOND_64_BITS},
    ],
)
@pytest.mark.parametrize("where", ["/analytics/", "/analytics/overview/outlets.csv"])
def test_analytics_refuses_what_is_no_id_or_day(client, world, params, where):
    client.force_login(world["carol"])
    assert client.get(where, params).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"article_ids": SUPERSCRIPT_TWO},
        {"article_ids": BEYOND_64_BITS},
        {"article_ids": "9" * 5000},
        {"seed": "9223372036854775808"},
        {"analysts": BEYOND_64_BITS},
        {"query": "-x"},
        {"query": "word " * 120},
    ],
)
def test_a_new_coding_batch_refuses_bad_values_with_a_form_error(client, world, data):
    client.force_login(world["carol"])
    form = {
        "name": "B",
        "article_ids": str(world["article"].pk),
        "analysts": [world["alice"].pk],
        "coders_per_article": 1,
        "seed": 1,
        **data,
    }
    response = client.post("/coding/batches/new/", form)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors


def jsonl_row(article, **extra):
    start = article.body.index("productive")
    return {
        "annotation_id": str(uuid.uuid4()),
        "article_id": article.pk,
        "category": "Claim",
        "label": "factual",
        "start": start,
        "end": start + len("productive"),
        "quote": "productive",
        "author": "alice",
        **extra,
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"article_id": SUPERSCRIPT_TWO},
        {"start": SUPERSCRIPT_TWO},
        {"created_at": EARLY_IN_UTC},
        {"updated_at": LATE_IN_UTC},
    ],
)
def test_an_import_refuses_the_row(client, world, extra):
    data = json.dumps(jsonl_row(world["article"], **extra)).encode()
    response = client.post("/annotations/import/", {"file": SimpleUploadedFile("a.jsonl", data)})
    assert response.status_code == 400
    assert "line 1" in response.content.decode()
    assert Annotation.all_objects.count() == 1


def test_an_import_refuses_an_entity_id_int_cannot_read(client, world):
    row = jsonl_row(world["article"], category="Source", label="named person")
    row["source_entity"] = {"id": SUPERSCRIPT_TWO, "name": "Someone", "type": "other"}
    response = client.post(
        "/annotations/import/", {"file": SimpleUploadedFile("a.jsonl", json.dumps(row).encode())}
    )
    assert response.status_code == 400 and "line 1" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"label__category__id__exact": SUPERSCRIPT_TWO},
        {"label__category__id__exact": BEYOND_64_BITS},
        {"created_at__gte": "0001-01-01 00:00:00+01:00"},
        {"created_at__lt": "0001-01-01 00:00:00+01:00"},
    ],
)
@pytest.mark.parametrize("where", [ANNOTATIONS_URL, ARTICLES_URL])
def test_the_admin_lists_refuse_filter_values_quietly(client, world, params, where):
    client.force_login(world["carol"])
    response = client.get(where, params)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("entity", ["abc", SUPERSCRIPT_TWO, "1.5", BEYOND_64_BITS])
def test_the_admin_annotation_form_shows_a_bad_entity_as_a_form_error(client, world, entity):
    client.force_login(world["carol"])
    source = annotate(world["article"], "productive", world["alice"], label="named person")
    data = {"label": source.label_id, "note": "", "status": "pending", "source_entity": entity}
    response = client.post(f"{ANNOTATIONS_URL}{source.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "command",
    [
        ["analytics", "overview", "--author", f"#{SUPERSCRIPT_TWO}"],
        ["analytics", "overview", "--batch", SUPERSCRIPT_TWO],
        ["analytics", "overview", "--article", SUPERSCRIPT_TWO],
        ["analytics", "overview", "--to", "9999-12-31"],
        ["agreement", SUPERSCRIPT_TWO],
        ["export_annotations", "--article", SUPERSCRIPT_TWO],
        ["export_annotations", "--since", EARLY_IN_UTC],
    ],
)
def test_the_commands_refuse_with_a_one_line_reason(world, command):
    with pytest.raises(CommandError) as refused:
        call_command(*command, stdout=io.StringIO())
    assert "\n" not in str(refused.value)
