"""Log-in throttling (django-axes, keyed on username and IP) and unlocking it."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from articles.tests.admin_helpers import make_curator

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def alice(make_user):
    return make_user("alice", "Annotator")


def attempt(client, password, *, url="/login/", ip="10.0.0.1", username="alice"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_limit_is_a_setting(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_it_locks_out_after_five_failures_even_with_the_right_password(client, alice):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429, "the fifth failure locks"
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins for “alice”" in page and "Try again in 15 minutes" in page
    assert '<header class="site-header">' in page
    assert "_auth_user_id" not in client.session


def test_it_locks_the_admin_log_in_too(client, make_user):
    carol = make_curator(make_user)
    for _ in range(5):
        attempt(client, "wrong", url="/admin/login/", username=carol.username)
    assert attempt(client, PASSWORD, url="/admin/login/", username=carol.username).status_code == 429


def test_it_keys_on_username_and_address(client, alice, make_user):
    make_user("bob", "Annotator")
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, ip="10.0.0.2").status_code == 302, "another address"
    client.logout()
    assert attempt(client, PASSWORD, username="bob").status_code == 302, "another user"


def test_a_success_before_the_limit_clears_the_count(client, alice):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302


def test_the_reset_command_unlocks_a_username(client, alice):
    for _ in range(5):
        attempt(client, "wrong")
    call_command("axes_reset_username", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert attempt(client, PASSWORD).status_code == 302


def test_a_superuser_sees_and_deletes_lockouts_in_the_admin(client, alice, make_user):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "wrong")
    root = make_user("root", None, is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    AccessAttempt.objects.all().delete()  # what the admin's delete action does
    client.logout()
    assert attempt(client, PASSWORD).status_code == 302


def test_it_behind_a_proxy_uses_the_address_the_proxy_saw(client, alice, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    for _ in range(5):
        client.post(
            "/login/", {"username": "alice", "password": "x"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.9.9"
        )
    locked = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="2.2.2.2, 10.9.9.9"
    )
    assert locked.status_code == 429
    other = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.8"
    )
    assert other.status_code == 302


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_it_refuses_an_over_long_username_with_a_message(client, db, url):
    # Found by the fuzz test on PostgreSQL: axes could not store the username (a 500).
    response = client.post(url, {"username": "9" * 1000, "password": "x"})
    assert response.status_code == 200
    assert "A username has at most 150 characters." in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="999").exists()
