"""OneQueryModelBackend: ModelBackend's permissions and users, in fewer, cheaper queries."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.accounts.backends import OneQueryModelBackend


def test_it_finds_the_permissions_modelbackend_finds_in_one_query(make_user):
    user = make_user("alice", "Annotator")
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    fresh = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        found = OneQueryModelBackend().get_all_permissions(fresh)
        assert OneQueryModelBackend().has_perm(fresh, "articles.add_annotation")
    assert found == expected
    assert "articles.add_article" in found  # the user's own
    assert "articles.add_annotation" in found  # the group's
    assert len(queries) == 1


def test_it_gives_an_inactive_user_no_permissions(make_user):
    user = make_user("alice", "Annotator", is_active=False)
    assert OneQueryModelBackend().get_all_permissions(user) == set()


def test_it_gets_the_user_of_a_session_as_modelbackend_does(make_user):
    user = make_user("alice", "Annotator")
    found = OneQueryModelBackend().get_user(user.pk)
    assert found == user and found.date_joined == user.date_joined and found.date_joined.tzinfo
    assert OneQueryModelBackend().get_user(user.pk + 1000) is None
    assert OneQueryModelBackend().get_user("not a number") is None
    user.is_active = False
    user.save()
    assert OneQueryModelBackend().get_user(user.pk) is None
