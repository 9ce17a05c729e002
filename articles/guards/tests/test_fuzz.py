"""Regression guard (issue 8): random and hostile values posted to every form and endpoint.

For each request: never a 5xx (the test client re-raises any exception a view lets
through), and a 4xx writes nothing. Runs on SQLite and PostgreSQL in the normal suite;
FUZZ_EXAMPLES (default 100 per endpoint group; the admin group, four requests an example,
gets a quarter) raises the budget for a longer hunt.
"""

import json
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Annotation, Article
from articles.tests.admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, make_curator
from articles.tests.export_helpers import annotate, make_article

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 100))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HTMX = {"HX-Request": "true"}

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "9" * 5000,
        "99999999999999999999999",
        "-1",
        "0",
        "1.5",
        "1e309",
        "NaN",
        "[" * 3000,
        "{" * 3000,
        "<div>" * 400,
        "<script>alert(1)</script>",
        "'; DROP TABLE articles_annotation; --",
        "\ufffd",
        "😀" * 50,
        "\u202e\u2028\u2029",
        "x" * 3000,
        "../../etc/passwd",
        "%00",
        str(uuid.uuid4()),
        "=cmd|' /C calc'!A0",
        # Digits int() refuses, ids beyond 64 bits, moments and days at the calendar's edges
        "²",
        "#²",
        "9223372036854775808",
        "0001-01-01",
        "9999-12-31",
        "0001-01-01T00:00+01:00",
        "9999-12-31T23:59-01:00",
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=60), st.integers(-(2**70), 2**70).map(str))
OPTIONAL = st.one_of(st.none(), VALUE)


def form(**fields):
    """A dict strategy that leaves out the fields drawn as None."""
    return st.fixed_dictionaries(fields).map(
        lambda data: {key: value for key, value in data.items() if value is not None}
    )


def fingerprint():
    """Everything the app could write, cheaply: rows and the fields a request can change."""
    annotations = list(
        Annotation.all_objects.order_by("pk").values_list(
            "pk", "label_id", "note", "status", "deleted_at", "uuid", "reviewed_by_id"
        )
    )
    return (
        annotations,
        Article.objects.count(),
        Annotation.history.count(),
        Article.history.count(),
    )


def check(response, before):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # errors inside the stream count too
    assert response.status_code < 500, response.status_code
    if 400 <= response.status_code < 500:
        assert fingerprint() == before, f"a {response.status_code} wrote something"


@pytest.fixture
def world(client, make_user):
    alice = make_user("alice", "Annotator")
    bob = make_user("bob", "Annotator")
    carol = make_curator(make_user)
    article = make_article()
    mine = annotate(article, "delegation", alice, note="mine")
    theirs = annotate(article, "productive", bob, note="theirs")
    client.force_login(alice)
    return {"alice": alice, "carol": carol, "article": article, "mine": mine, "theirs": theirs}


def pick_article(world, choice):
    return {"ours": world["article"].pk, "missing": 999_999}[choice]


@FUZZ
@given(data=form(label=OPTIONAL, start=OPTIONAL, end=OPTIONAL, quote=OPTIONAL, note=OPTIONAL, uuid=OPTIONAL))
def test_create(client, world, data):
    before = fingerprint()
    response = client.post(f"/articles/{world['article'].pk}/annotations/", data, headers=HTMX)
    check(response, before)


@FUZZ
@given(
    target=st.sampled_from(["mine", "theirs"]),
    action=st.sampled_from(["", "delete/", "restore/", "edit/"]),
    data=form(label=OPTIONAL, note=OPTIONAL),
)
def test_update_delete_restore(client, world, target, action, data):
    annotation = world[target]
    url = f"/articles/{annotation.article_id}/annotations/{annotation.pk}/{action}"
    before = fingerprint()
    response = client.get(url, headers=HTMX) if action == "edit/" else client.post(url, data, headers=HTMX)
    check(response, before)


@FUZZ
@given(
    data=form(text=OPTIONAL, title=OPTIONAL, outlet=OPTIONAL, url=OPTIONAL, published=OPTIONAL),
    upload=st.one_of(st.none(), st.binary(max_size=300), HOSTILE.map(lambda text: text.encode())),
    name=st.sampled_from(["a.txt", "a.html", "a.pdf", "", "a"]),
)
def test_add_article(client, world, data, upload, name):
    if upload is not None:
        data["file"] = SimpleUploadedFile(name or "x", upload)
    before = fingerprint()
    response = client.post("/articles/add/", data)
    check(response, before)


def import_file():
    header = "annotation_id,article_id,category,label,start,end,quote,author,note,status,reviewed_by\n"
    return st.one_of(
        st.binary(max_size=400),
        HOSTILE.map(str.encode),
        st.lists(VALUE, min_size=11, max_size=11).map(
            lambda cells: (header + ",".join(c.replace(",", " ") for c in cells) + "\n").encode()
        ),
        st.dictionaries(
            st.sampled_from(header.strip().split(",")),
            st.one_of(VALUE, st.integers(), st.none(), st.lists(st.integers(), max_size=3)),
        ).map(lambda record: json.dumps(record).encode()),
    )


@FUZZ
@given(
    data=import_file(),
    name=st.sampled_from(["a.csv", "a.jsonl", "a.jsonld", "a.txt"]),
    options=form(format=OPTIONAL, skip_bad=st.sampled_from([None, "on"]), raw=st.sampled_from([None, "on"])),
)
def test_import(client, world, data, name, options):
    before = fingerprint()
    response = client.post("/annotations/import/", {"file": SimpleUploadedFile(name, data), **options})
    check(response, before)


@FUZZ
@given(
    where=st.sampled_from(["/", "/annotations/export/", "article_export"]),
    params=form(
        q=OPTIONAL,
        page=OPTIONAL,
        article=OPTIONAL,
        label=OPTIONAL,
        author=OPTIONAL,
        since=OPTIONAL,
        format=st.one_of(st.sampled_from(["csv", "jsonl", "w3c"]), VALUE),
        raw=OPTIONAL,
        excel=OPTIONAL,
    ),
)
def test_search_and_export_filters(client, world, where, params):
    url = f"/articles/{world['article'].pk}/export/" if where == "article_export" else where
    before = fingerprint()
    check(client.get(url, params), before)


@settings(FUZZ, max_examples=max(1, EXAMPLES // 4))
@given(
    action=st.one_of(
        st.sampled_from(["accept", "reject", "reset_to_pending", "change_label", "soft_delete", "restore"]),
        VALUE,
    ),
    selected=st.lists(st.one_of(st.sampled_from(["mine", "theirs"]), VALUE), max_size=3),
    extra=form(label=OPTIONAL, apply=st.sampled_from([None, "1"]), select_across=OPTIONAL, index=OPTIONAL),
    listing=form(q=OPTIONAL, status=OPTIONAL, state=OPTIONAL, o=OPTIONAL, p=OPTIONAL),
)
def test_admin(client, world, action, selected, extra, listing):
    client.force_login(world["carol"])
    ids = [world[value].pk if value in ("mine", "theirs") else value for value in selected]
    before = fingerprint()
    check(client.get(ANNOTATIONS_URL, listing), before)
    check(client.get(ARTICLES_URL, listing), before)
    data = {"action": action, "_selected_action": ids, **extra}
    check(client.post(ANNOTATIONS_URL, data), before)
    change = {
        "label": extra.get("label", ""),
        "note": extra.get("select_across", ""),
        "status": listing.get("status", ""),
    }
    check(
        client.post(f"{ANNOTATIONS_URL}{world['theirs'].pk}/change/", {k: v for k, v in change.items() if v}),
        fingerprint(),
    )


@FUZZ
@given(
    where=st.sampled_from(["/login/", "/admin/login/", "/password/change/", "/password/reset/"]),
    data=form(
        username=OPTIONAL,
        password=OPTIONAL,
        old_password=OPTIONAL,
        new_password1=OPTIONAL,
        new_password2=OPTIONAL,
        email=OPTIONAL,
        next=OPTIONAL,
    ),
)
def test_log_in_and_password_forms(client, world, where, data):
    client.force_login(world["alice"])  # a log-in form may have logged the client in or out
    before = fingerprint()
    check(client.post(where, data), before)


@FUZZ
@given(
    claim=OPTIONAL,
    source=OPTIONAL,
    params=form(q=OPTIONAL, article=OPTIONAL, field=OPTIONAL, source=OPTIONAL, target_text=OPTIONAL),
)
def test_who_said_what(client, world, claim, source, params):
    article = world["article"].pk
    before = fingerprint()
    data = {key: value for key, value in {"claim": claim, "source": source}.items() if value is not None}
    check(client.post(f"/articles/{article}/attributions/", data, headers=HTMX), before)
    check(client.get(f"/articles/{article}/who/{world['mine'].pk}/suggestion/", params), before)
    check(client.get("/sources/suggest/", params), before)


@FUZZ
@given(
    where=st.sampled_from(
        ["/analytics/", "/analytics/sourcing/", "/analytics/overview/outlets.csv", "/analytics/voices/"]
    ),
    params=form(
        **{"from": OPTIONAL},
        to=OPTIONAL,
        author=OPTIONAL,
        batch=OPTIONAL,
        article=OPTIONAL,
        label=OPTIONAL,
        outlet=OPTIONAL,
        status=OPTIONAL,
        period=OPTIONAL,
    ),
)
def test_analytics_filters(client, world, where, params):
    client.force_login(world["carol"])
    before = fingerprint()
    check(client.get(where, params), before)


@FUZZ
@given(
    data=form(
        name=OPTIONAL,
        article_ids=OPTIONAL,
        query=OPTIONAL,
        analysts=st.one_of(st.none(), st.lists(VALUE, max_size=2)),
        coders_per_article=OPTIONAL,
        seed=OPTIONAL,
        blind=st.sampled_from([None, "on"]),
    )
)
def test_new_coding_batch(client, world, data):
    client.force_login(world["carol"])
    before = fingerprint()
    check(client.post("/coding/batches/new/", data), before)


@FUZZ
@given(
    listing=form(
        label__category__id__exact=OPTIONAL,
        created_at__gte=OPTIONAL,
        created_at__lt=OPTIONAL,
        article=OPTIONAL,
    ),
    entity=OPTIONAL,
)
def test_admin_filters_and_autocomplete_fields(client, world, listing, entity):
    client.force_login(world["carol"])
    before = fingerprint()
    check(client.get(ANNOTATIONS_URL, listing), before)
    check(client.get(ARTICLES_URL, listing), before)
    data = {"label": world["theirs"].label_id, "note": "theirs", "status": "pending"}
    if entity is not None:
        data["source_entity"] = entity
    check(client.post(f"{ANNOTATIONS_URL}{world['theirs'].pk}/change/", data), fingerprint())
