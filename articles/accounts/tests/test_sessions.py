"""The session store reads a session row by hand; expiry and logout work as Django's."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from articles.accounts.sessions import SessionStore


def test_it_loads_a_saved_session(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}


def test_it_ignores_an_expired_session(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    again = SessionStore(store.session_key)
    assert again.load() == {}
    assert again.session_key is None


def test_it_ends_the_session_on_every_server_at_log_out(client, annotator_user):
    client.force_login(annotator_user)
    assert client.get("/").status_code == 200
    stolen = client.cookies["sessionid"].value
    client.post("/logout/")
    client.cookies["sessionid"] = stolen
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
