"""The admin actions "Export selected annotations as CSV" and "Export the annotations of
selected articles as CSV", on a throwaway admin site (articles/tests/admin_site_urls.py)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from articles.exchange.writers import CSV_COLUMNS
from articles.models import Annotation, Article
from articles.spans.annotating import delete_annotation
from articles.tests import admin_site_urls
from articles.tests.export_helpers import annotate, csv_records, make_article

pytestmark = pytest.mark.urls("articles.tests.admin_site_urls")

ANNOTATIONS = "/test-admin/articles/annotation/"
ARTICLES = "/test-admin/articles/article/"


@pytest.fixture
def annotated(sample_article, annotator_user):
    article = make_article()
    annotations = [
        annotate(article, "productive", annotator_user, note="=cmd"),
        annotate(article, "delegation", annotator_user, label="opinion"),
        annotate(sample_article, "Pakistani", annotator_user),
    ]
    return article, annotations


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("sam", "Viewer", is_staff=True))
    return client


def run_action(client, url, action, objects):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects]})


def rows(response):
    assert isinstance(response, StreamingHttpResponse)
    return csv_records(b"".join(response.streaming_content).decode("utf-8"))


def test_it_exports_the_selected_live_annotations(annotated, staff_client):
    article, (productive, delegation, pakistani) = annotated
    delete_annotation(delegation)

    response = run_action(staff_client, ANNOTATIONS, "export_annotations_csv", [productive, delegation])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="annotations-')
    records = rows(response)
    assert list(records[0]) == list(CSV_COLUMNS)
    assert [(r["quote"], r["note"]) for r in records] == [("productive", "'=cmd")]


def test_it_exports_the_annotations_of_the_selected_articles(annotated, staff_client, sample_article):
    article, _ = annotated
    response = run_action(staff_client, ARTICLES, "export_articles_annotations_csv", [article])
    assert [r["quote"] for r in rows(response)] == ["delegation", "productive"]
    response = run_action(
        staff_client, ARTICLES, "export_articles_annotations_csv", [article, sample_article]
    )
    assert len(rows(response)) == 3


def test_it_is_only_for_staff(annotated, client, annotator_user):
    article, annotations = annotated
    client.force_login(annotator_user)  # has view permission, is not staff
    response = run_action(client, ANNOTATIONS, "export_annotations_csv", annotations)
    assert response.status_code == 302
    assert "/test-admin/login/" in response["Location"]


def test_it_is_offered_only_with_view_permission(make_user):
    request = RequestFactory().get(ANNOTATIONS)
    model_admin = admin_site_urls.site.get_model_admin(Annotation)

    request.user = make_user("staff-no-role", role=None, is_staff=True)
    assert "export_annotations_csv" not in model_admin.get_actions(request)
    request.user = make_user("staff-viewer", "Viewer", is_staff=True)
    assert "export_annotations_csv" in model_admin.get_actions(request)


def test_it_needs_view_annotation_for_the_article_action(annotated, client, make_user):
    article, _ = annotated
    user = make_user("archivist", role=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)

    response = run_action(client, ARTICLES, "export_articles_annotations_csv", [article])

    assert not isinstance(response, StreamingHttpResponse)
    assert response.status_code == 302  # back to the changelist, with the message
    page = client.get(response["Location"]).content.decode()
    assert "You may not view annotations, so you cannot export them." in page
    assert Article.objects.exists()
