"""Full-page errors (400, 403, 404, 500) come in the site's layout, DEBUG off as in production."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

LAYOUT = '<header class="site-header">'


def test_404_is_in_the_layout(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get("/articles/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in page and "Page not found" in page and 'href="/"' in page


def test_403_is_in_the_layout(client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    response = client.get("/articles/add/")
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "not allowed" in page


def test_a_csrf_failure_is_in_the_layout(annotator_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {"text": "T\n\nBody"})
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "reload the page" in page


def test_400_is_in_the_layout(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get("/", {"q": "\x00"})
    assert response.status_code == 400 and LAYOUT in response.content.decode()


@pytest.mark.django_db
def test_500_is_in_the_layout_and_touches_no_database(django_assert_num_queries):
    request = RequestFactory().get("/articles/1/")
    with django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in page and "Something went wrong on our side" in page
    assert "Log out" not in page, "no user, no session: nothing that could fail again"


def test_an_htmx_request_gets_the_message_in_the_message_area(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get("/articles/999999/annotations/1/edit/", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#messages" and response["HX-Reswap"] == "innerHTML"
    assert (
        response.content.decode()
        .strip()
        .startswith('<p class="message message-error" role="alert">Not found')
    )


def test_an_htmx_request_that_fails_gets_a_message_not_a_page():
    from articles.guards.views import server_error

    request = RequestFactory().post("/articles/1/annotations/", headers={"HX-Request": "true"})
    response = server_error(request)
    assert response.status_code == 500 and response["HX-Retarget"] == "#messages"
    assert "Something went wrong on our side" in response.content.decode()
