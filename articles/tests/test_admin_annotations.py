"""Reviewing annotations in the admin: list, filters, search, bulk actions, change form."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from articles.admin.display import quote_in_context
from articles.models import Annotation, Label
from articles.spans.annotating import delete_annotation
from articles.spans.offsets import context_around

from .admin_helpers import ANNOTATIONS_URL, NO_LINKS, many_annotations, messages_of, run_action
from .export_helpers import annotate


@pytest.fixture
def three(sample_article, analyst):
    return [
        annotate(sample_article, "so-called coalition partner", analyst, label="opinion", note="loaded"),
        annotate(sample_article, "Pakistani military official", analyst, label="named person"),
        annotate(sample_article, "Pakistan", analyst, label="negative", occurrence=1),
    ]


def listed_ids(response):
    return {annotation.pk for annotation in response.context["cl"].result_list}


def test_it_lists_quote_in_context_label_article_author_status_note(client, curator, three):
    response = client.get(ANNOTATIONS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    opinion = three[0]
    assert "<mark>so-called coalition partner</mark>" in html
    # A few words either side of the quote, from the stored context.
    before, after = opinion.prefix.split()[-1], opinion.suffix.split()[0]
    assert f"{escape(before)} <mark>" in html and f"</mark>{escape(after)}" in html
    assert 'fill="#e69f00"' in html and "Claim: opinion" in html
    assert f'href="/articles/{opinion.article_id}/#item-{opinion.pk}"' in html
    assert '<td class="field-author nowrap">ann</td>' in html
    assert '<span class="status status-pending">Pending</span>' in html
    assert '<td class="field-note_column">loaded</td>' in html


@pytest.mark.parametrize(
    ("text", "quote", "shown"),
    [
        (
            "The senior official told reporters that our so-called coalition partner had put the "
            "military in an awkward spot today.",
            "coalition partner",
            "… reporters that our so-called <mark>coalition partner</mark> had put the military …",
        ),
        ("Coalition partner, he said.", "Coalition", "<mark>Coalition</mark> partner, he said."),
        ("It was <b>bold</b>.", "<b>bold</b>", "It was <mark>&lt;b&gt;bold&lt;/b&gt;</mark>."),
    ],
)
def test_it_shows_whole_words_either_side_of_the_quote(text, quote, shown):
    start = text.index(quote)
    prefix, suffix = context_around(text, start, start + len(quote))
    html = quote_in_context(Annotation(quote=quote, prefix=prefix, suffix=suffix))
    assert html == f'<span class="in-context">{shown}</span>'


def test_it_marks_a_retired_label(client, curator, three):
    Label.objects.filter(name="opinion").update(active=False)
    assert "Claim: opinion (retired)" in client.get(ANNOTATIONS_URL).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=accepted", [1]),
        ("status__exact=pending", [0, 2, 3]),
        ("label__category__id__exact={source}", [1]),
        ("label__id__exact={opinion}", [0]),
        ("article__outlet=ABC+News", [0, 1, 2]),
        ("article__outlet=Daily+Ledger", [3]),
        ("article={other}", [3]),
        ("author={curator}", [3]),
        ("author=ann", [0, 1, 2]),
        ("q=coalition", [0]),
        ("q=loaded", [0]),
        ("q=nothing+like+this", []),
    ],
)
def test_it_filters_and_searches(client, curator, three, other_article, query, expected):
    rally = annotate(other_article, "rallied", curator, label="factual")
    three[1].status = Annotation.ACCEPTED
    three[1].save()
    everything = [*three, rally]
    query = query.format(
        source=three[1].label.category_id,
        opinion=three[0].label_id,
        other=other_article.pk,
        curator=curator.username,
    )
    response = client.get(f"{ANNOTATIONS_URL}?{query}")
    assert response.status_code == 200
    assert listed_ids(response) == {everything[i].pk for i in expected}


def test_it_filters_by_date(client, curator, three):
    three[0].created_at = timezone.now() - datetime.timedelta(days=30)
    three[0].save()
    # The "Past 7 days" link of the date filter.
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    week = {
        "created_at__gte": today - datetime.timedelta(days=7),
        "created_at__lt": today + datetime.timedelta(days=1),
    }
    assert listed_ids(client.get(ANNOTATIONS_URL, week)) == {three[1].pk, three[2].pk}


def test_it_hides_deleted_annotations_unless_asked(client, curator, three):
    delete_annotation(three[0])
    assert listed_ids(client.get(ANNOTATIONS_URL)) == {three[1].pk, three[2].pk}
    assert listed_ids(client.get(f"{ANNOTATIONS_URL}?state=deleted")) == {three[0].pk}
    assert listed_ids(client.get(f"{ANNOTATIONS_URL}?state=all")) == {a.pk for a in three}


@pytest.mark.parametrize(
    "query",
    [
        "created_at__gte=yesterday",
        "label__id__exact=abc",
        "status__exact=bogus",
        "article__id__exact=-1",
        "article=-1",
        "article=abc",
        'q=-"only+exclusions"',
    ],
)
def test_it_survives_nonsense_in_the_query_string(client, curator, three, query):
    assert client.get(f"{ANNOTATIONS_URL}?{query}").status_code in (200, 302)


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("accept", Annotation.ACCEPTED, "Accepted: 2 annotations."),
        ("reject", Annotation.REJECTED, "Rejected: 2 annotations."),
    ],
)
def test_it_reviews_the_selection(client, curator, three, action, status, message):
    before = timezone.now()
    response = run_action(client, ANNOTATIONS_URL, action, three[:2])
    assert message in messages_of(response)
    for annotation in three[:2]:
        annotation.refresh_from_db()
        assert annotation.status == status
        assert annotation.reviewed_by == curator
        assert annotation.reviewed_at >= before
    three[2].refresh_from_db()
    assert (three[2].status, three[2].reviewed_by, three[2].reviewed_at) == (Annotation.PENDING, None, None)


def test_it_sets_a_review_back_to_pending(client, curator, three):
    run_action(client, ANNOTATIONS_URL, "reject", three[:1])
    run_action(client, ANNOTATIONS_URL, "reset_to_pending", three[:1])
    three[0].refresh_from_db()
    assert three[0].status == Annotation.PENDING and three[0].reviewed_by == curator


def test_it_does_not_review_deleted_annotations(client, curator, three):
    delete_annotation(three[0])
    response = run_action(client, f"{ANNOTATIONS_URL}?state=all", "accept", three)
    assert "Accepted: 2 annotations." in messages_of(response)
    assert "Skipped 1 deleted annotation; restore them first." in messages_of(response)
    three[0].refresh_from_db()
    assert three[0].status == Annotation.PENDING


def test_it_refuses_an_action_without_a_selection(client, curator, three):
    response = client.post(ANNOTATIONS_URL, {"action": "accept", "index": 0}, follow=True)
    assert any("Items must be selected" in message for message in messages_of(response))
    assert not Annotation.objects.exclude(status=Annotation.PENDING).exists()


def test_it_changes_the_label_of_the_selection_after_asking_which(client, curator, three):
    retired = Label.objects.get(name="prediction")
    retired.active = False
    retired.save()
    ask = run_action(client, ANNOTATIONS_URL, "change_label", three[:2])
    html = ask.content.decode()
    assert "Give 2 annotations a new label." in html
    assert f'<option value="{Label.objects.get(name="factual").pk}">Claim: factual</option>' in html
    assert f'value="{retired.pk}"' not in html
    factual = Label.objects.get(name="factual")
    response = run_action(client, ANNOTATIONS_URL, "change_label", three[:2], apply="yes", label=factual.pk)
    assert "Changed the label of 2 annotations to “Claim: factual”." in messages_of(response)
    assert [Annotation.objects.get(pk=a.pk).label for a in three] == [factual, factual, three[2].label]


@pytest.mark.parametrize("label", ["999999", "abc", "retired"])
def test_it_refuses_a_label_that_is_not_offered(client, curator, three, label):
    if label == "retired":
        label = Label.objects.get(name="prediction")
        label.active = False
        label.save()
        label = label.pk
    response = run_action(client, ANNOTATIONS_URL, "change_label", three[:1], apply="yes", label=label)
    assert response.status_code == 200
    assert "Choose one of the active labels." in response.content.decode()
    three[0].refresh_from_db()
    assert three[0].label.name == "opinion"


def test_it_changes_the_label_of_everything_the_filter_shows(client, curator, three):
    tone = Label.objects.get(name="neutral")
    url = f"{ANNOTATIONS_URL}?q=Pakistan*"  # full-text: the prefix covers “Pakistani”
    ask = run_action(client, url, "change_label", three[1:2], select_across=1)
    assert "Give 2 annotations a new label." in ask.content.decode()
    run_action(client, url, "change_label", three[1:2], select_across=1, apply="yes", label=tone.pk)
    assert [Annotation.objects.get(pk=a.pk).label.name for a in three] == ["opinion", "neutral", "neutral"]


def test_it_deletes_softly_and_restores_exactly(client, curator, three, sample_article):
    target = three[0]
    run_action(client, ANNOTATIONS_URL, "accept", [target])
    before = Annotation.objects.filter(pk=target.pk).values().get()

    response = run_action(client, ANNOTATIONS_URL, "soft_delete", [target])
    assert any(message.startswith("Deleted 1 annotation.") for message in messages_of(response))
    assert not Annotation.objects.filter(pk=target.pk).exists()
    assert Annotation.all_objects.get(pk=target.pk).deleted_at is not None
    reader = client.get(sample_article.get_absolute_url()).content.decode()
    assert f'data-id="{target.pk}"' not in reader and f'data-id="{three[1].pk}"' in reader
    export = b"".join(client.get(f"/articles/{sample_article.pk}/export/").streaming_content).decode()
    assert str(target.uuid) not in export and str(three[1].uuid) in export

    response = run_action(client, f"{ANNOTATIONS_URL}?state=deleted", "restore", [target])
    assert "Restored 1 annotation." in messages_of(response)
    after = Annotation.objects.filter(pk=target.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert f'data-id="{target.pk}"' in client.get(sample_article.get_absolute_url()).content.decode()


def test_it_exports_the_live_part_of_the_selection_as_csv(client, curator, three):
    delete_annotation(three[2])
    response = run_action(client, f"{ANNOTATIONS_URL}?state=all", "export_annotations_csv", three)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["quote"] for row in rows] == [three[1].quote, three[0].quote]  # in text order


def test_it_deletes_softly_from_the_annotation_page(client, curator, three):
    page = client.get(f"{ANNOTATIONS_URL}{three[0].pk}/delete/").content.decode()
    assert "nothing is lost" in page and "restore it from the annotation list" in page
    response = client.post(f"{ANNOTATIONS_URL}{three[0].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Annotation.all_objects.get(pk=three[0].pk).is_deleted


def test_it_has_no_permanent_delete_action(client, curator, three):
    response = run_action(client, ANNOTATIONS_URL, "delete_selected", three, post="yes")
    assert Annotation.all_objects.count() == 3
    assert response.status_code == 200


def test_it_shows_a_deleted_annotation_with_a_restore_action(client, curator, three):
    delete_annotation(three[0])
    html = client.get(f"{ANNOTATIONS_URL}{three[0].pk}/change/").content.decode()
    assert "This annotation was deleted on" in html
    assert '<option value="restore">Restore this deleted annotation</option>' in html
    response = client.post(
        f"{ANNOTATIONS_URL}{three[0].pk}/change/",
        {"CHANGE_FORM-action": "restore", "_selected_action": three[0].pk},
        follow=True,
    )
    assert "Restored 1 annotation." in messages_of(response)
    assert Annotation.objects.filter(pk=three[0].pk).exists()


def test_it_accepts_from_the_annotation_page(client, curator, three):
    client.post(
        f"{ANNOTATIONS_URL}{three[1].pk}/change/",
        {"CHANGE_FORM-action": "accept", "_selected_action": three[1].pk},
    )
    three[1].refresh_from_db()
    assert three[1].status == Annotation.ACCEPTED and three[1].reviewed_by == curator


def test_it_corrects_label_and_note_and_records_a_review(client, curator, three):
    neutral = Label.objects.get(name="neutral")
    data = {"label": neutral.pk, "note": "not loaded after all", "status": Annotation.REJECTED, **NO_LINKS}
    response = client.post(f"{ANNOTATIONS_URL}{three[0].pk}/change/", data)
    assert response.status_code == 302
    three[0].refresh_from_db()
    assert (three[0].label, three[0].note, three[0].status) == (neutral, "not loaded after all", "rejected")
    assert three[0].reviewed_by == curator and three[0].reviewed_at is not None


def test_it_does_not_count_a_correction_as_a_review(client, curator, three):
    data = {"label": three[0].label_id, "note": "typo fixed", "status": Annotation.PENDING, **NO_LINKS}
    client.post(f"{ANNOTATIONS_URL}{three[0].pk}/change/", data)
    three[0].refresh_from_db()
    assert (three[0].note, three[0].reviewed_by, three[0].reviewed_at) == ("typo fixed", None, None)


def test_it_offers_active_labels_and_the_annotations_own_retired_one(client, curator, three):
    Label.objects.filter(name__in=["opinion", "prediction"]).update(active=False)
    html = client.get(f"{ANNOTATIONS_URL}{three[0].pk}/change/").content.decode()
    assert f'<option value="{three[0].label_id}" selected>Claim: opinion</option>' in html
    assert f'<option value="{Label.objects.get(name="prediction").pk}">Claim: prediction' not in html
    prediction = Label.objects.get(name="prediction")
    response = client.post(
        f"{ANNOTATIONS_URL}{three[0].pk}/change/", {"label": prediction.pk, "status": "pending", **NO_LINKS}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_it_refuses_an_unknown_status(client, curator, three):
    response = client.post(
        f"{ANNOTATIONS_URL}{three[0].pk}/change/", {"label": three[0].label_id, "status": "maybe"}
    )
    assert response.status_code == 200
    assert "Select a valid choice. maybe is not one of the available choices." in response.content.decode()


def test_it_has_no_add_page(client, curator):
    assert client.get(f"{ANNOTATIONS_URL}add/").status_code == 403


def test_it_says_a_missing_annotation_does_not_exist(client, curator):
    for pk in ("999999", "abc"):
        response = client.get(f"{ANNOTATIONS_URL}{pk}/change/", follow=True)
        assert response.status_code == 200
        assert any("doesn’t exist" in message for message in messages_of(response))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_lists_annotations_in_a_number_of_queries_that_does_not_grow(
    client, curator, sample_article, other_article, analyst
):
    many_annotations(sample_article, analyst, 10)
    annotate(other_article, "rallied", curator)
    few = count_queries(client, ANNOTATIONS_URL)
    many_annotations(sample_article, analyst, 990, label="opinion")
    Annotation.objects.filter(pk__in=Annotation.objects.values("pk")[:300]).update(
        status=Annotation.ACCEPTED, reviewed_by=curator
    )
    assert count_queries(client, ANNOTATIONS_URL) == few
    assert count_queries(client, f"{ANNOTATIONS_URL}?state=all&status__exact=accepted") == few
    assert few <= 15


def test_it_offers_no_codebook_icons_beside_an_annotations_label(client, curator, three):
    html = client.get(f"{ANNOTATIONS_URL}{three[0].pk}/change/").content.decode()
    assert 'name="label"' in html
    for link in ("add_id_label", "change_id_label", "delete_id_label", "view_id_label"):
        assert link not in html
