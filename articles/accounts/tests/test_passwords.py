"""Password change for every user, and password reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

NEW = "a-new-and-long-passphrase-42"


@pytest.fixture
def alice(make_user):
    return make_user("alice", "Annotator", email="alice@example.org")


@pytest.mark.parametrize("role", ["Annotator", "Viewer", "Curator"])
def test_it_lets_every_user_change_their_password(client, make_user, role):
    user = make_user("u", role)
    client.force_login(user)
    page = client.get("/password/change/")
    assert page.status_code == 200 and '<header class="site-header">' in page.content.decode()
    data = {"old_password": "pw-for-tests-1", "new_password1": NEW, "new_password2": NEW}
    response = client.post("/password/change/", data, follow=True)
    assert response.status_code == 200
    assert "Your password was changed" in response.content.decode()
    assert get_user_model().objects.get(pk=user.pk).check_password(NEW)


def test_the_change_page_needs_a_log_in(client, db):
    assert client.get("/password/change/").status_code == 302


def test_the_navigation_links_to_it(client, alice):
    client.force_login(alice)
    assert 'href="/password/change/"' in client.get("/").content.decode()


def test_it_resets_a_forgotten_password_by_email(client, alice):
    assert 'href="/password/reset/"' in client.get("/login/").content.decode()
    response = client.post("/password/reset/", {"email": "alice@example.org"}, follow=True)
    assert response.status_code == 200
    assert "If an account has that address" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Your password has been set" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_it_says_the_same_for_an_unknown_address(client, db):
    response = client.post("/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert "If an account has that address" in response.content.decode()
    assert mail.outbox == []


def test_mail_goes_to_the_console_in_development_and_smtp_from_the_environment():
    from articles.tests.test_settings import manage

    show = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    assert "console.EmailBackend" in manage("shell", "-c", show, DEBUG="1").stdout
    production = manage("shell", "-c", show, SECRET_KEY="s" * 50, EMAIL_HOST="smtp.example.org")
    assert "smtp.EmailBackend" in production.stdout, production.stderr
