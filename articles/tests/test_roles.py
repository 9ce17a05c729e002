"""The three roles (Annotator, Curator, Viewer) and the superuser, in views and admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Annotation, Label

from .admin_helpers import (
    ANNOTATIONS_URL,
    ARTICLES_URL,
    CATEGORIES_URL,
    LABELS_URL,
    NO_LINKS,
    make_curator,
    make_superuser,
    run_action,
)
from .export_helpers import annotate
from .helpers import HTMX, label, selection

ADMIN_PAGES = [LABELS_URL, CATEGORIES_URL, ANNOTATIONS_URL, ARTICLES_URL, f"{LABELS_URL}add/"]

EXPECTED_PERMISSIONS = {
    "Annotator": {
        "view_article",
        "add_article",
        "view_category",
        "view_label",
        "view_annotation",
        "add_annotation",
        "change_annotation",
        "delete_annotation",
        "view_source",
        "add_source",
        "change_source",
        "view_attribution",
        "add_attribution",
        "change_attribution",
        "delete_attribution",
    },
    "Curator": {
        f"{verb}_{model}"
        for verb in ("view", "add", "change", "delete")
        for model in ("article", "category", "label", "annotation", "source", "attribution")
    }
    | {"curate_annotation"}
    # Feeds (the web capability's data migration).
    | {"view_feed", "add_feed", "change_feed", "delete_feed", "view_feedentry"},
    "Viewer": {
        "view_article",
        "view_category",
        "view_label",
        "view_annotation",
        "view_source",
        "view_attribution",
    },
}


@pytest.fixture
def someone_elses(sample_article, make_user):
    return annotate(sample_article, "coalition partner", make_user("bob", "Annotator"), note="bob's")


def reader_update(client, annotation, **data):
    url = f"/articles/{annotation.article_id}/annotations/{annotation.pk}/"
    return client.post(url, {"label": annotation.label_id, "note": "", **data}, headers=HTMX)


def reader_delete(client, annotation):
    url = f"/articles/{annotation.article_id}/annotations/{annotation.pk}/delete/"
    return client.post(url, headers=HTMX)


def reader_create(client, article):
    data = {**selection(article, "Pakistani military official"), "label": label().pk}
    return client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX)


@pytest.mark.parametrize("role", sorted(EXPECTED_PERMISSIONS))
def test_it_gives_each_role_exactly_its_permissions(db, role):
    codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
    assert codenames == EXPECTED_PERMISSIONS[role]


@pytest.mark.parametrize("role", ["Annotator", "Viewer"])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_keeps_annotators_and_viewers_out_of_the_admin(client, make_user, role, url):
    client.force_login(make_user("someone", role))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_it_needs_staff_status_for_a_curator_to_use_the_admin(client, make_user):
    client.force_login(make_user("cat", "Curator"))
    assert client.get(ANNOTATIONS_URL)["Location"].startswith("/admin/login/")


def test_it_lets_a_viewer_read_but_not_create_edit_or_delete(
    client, make_user, sample_article, someone_elses
):
    client.force_login(make_user("vic", "Viewer"))
    assert client.get(sample_article.get_absolute_url()).status_code == 200
    assert reader_create(client, sample_article).status_code == 403
    assert reader_update(client, someone_elses, note="vandalised").status_code == 403
    assert reader_delete(client, someone_elses).status_code == 403
    assert client.get("/articles/add/").status_code == 403
    assert Annotation.objects.count() == 1
    someone_elses.refresh_from_db()
    assert someone_elses.note == "bob's"


def test_it_lets_an_annotator_change_only_their_own(client, annotator_user, sample_article, someone_elses):
    client.force_login(annotator_user)
    assert reader_create(client, sample_article).status_code == 200
    own = Annotation.objects.get(author=annotator_user)
    assert reader_update(client, own, note="mine").status_code == 200
    assert reader_update(client, someone_elses, note="not mine").status_code == 403
    assert reader_delete(client, someone_elses).status_code == 403
    someone_elses.refresh_from_db()
    assert someone_elses.note == "bob's" and not someone_elses.is_deleted


def test_it_lets_a_curator_edit_and_delete_anyones_annotation_in_the_reader(client, make_user, someone_elses):
    client.force_login(make_curator(make_user))
    assert reader_update(client, someone_elses, note="tidied").status_code == 200
    someone_elses.refresh_from_db()
    assert someone_elses.note == "tidied"
    assert reader_delete(client, someone_elses).status_code == 200
    assert Annotation.all_objects.get(pk=someone_elses.pk).is_deleted


def test_it_lets_a_curator_edit_anyones_annotation_in_the_admin(client, make_user, someone_elses):
    curator = make_curator(make_user)
    client.force_login(curator)
    data = {"label": label("opinion").pk, "note": "corrected", "status": "accepted", **NO_LINKS}
    response = client.post(f"{ANNOTATIONS_URL}{someone_elses.pk}/change/", data)
    assert response.status_code == 302
    someone_elses.refresh_from_db()
    assert (someone_elses.label.name, someone_elses.note, someone_elses.status) == (
        "opinion",
        "corrected",
        "accepted",
    )


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_it_opens_the_curation_admin_for_a_curator(client, make_user, url):
    client.force_login(make_curator(make_user))
    assert client.get(url).status_code == 200


def test_it_gives_a_staff_annotator_no_more_than_their_role(client, make_user, annotator_user, someone_elses):
    """Staff status opens the admin, but the role's permissions still decide."""
    annotator_user.is_staff = True
    annotator_user.save()
    client.force_login(annotator_user)
    opinion = Label.objects.get(name="opinion")
    assert client.get(f"{LABELS_URL}add/").status_code == 403
    response = client.post(f"{LABELS_URL}{opinion.pk}/change/", {"name": "views", "colour": "#000000"})
    assert response.status_code == 403
    assert client.post(f"{ANNOTATIONS_URL}{someone_elses.pk}/change/", {"note": "x"}).status_code == 403
    changelist = client.get(ANNOTATIONS_URL).content.decode()
    assert 'value="accept"' not in changelist and 'value="soft_delete"' not in changelist
    run_action(client, ANNOTATIONS_URL, "accept", [someone_elses])
    someone_elses.refresh_from_db()
    assert someone_elses.status == "pending"
    own = annotate(someone_elses.article, "Pakistani", annotator_user)
    page = client.get(f"{ANNOTATIONS_URL}{own.pk}/change/").content.decode()
    assert 'name="note"' in page and 'name="status"' not in page


@pytest.mark.parametrize(
    "url", [*ADMIN_PAGES, "/admin/auth/user/", "/admin/auth/group/", "/admin/articles/label/1/history/"]
)
def test_it_lets_a_superuser_do_everything(client, make_user, url):
    client.force_login(make_superuser(make_user))
    assert client.get(url).status_code == 200


def test_it_sets_up_one_demo_login_per_role(db, capsys):
    call_command("load_demo", force=True)
    roles = {user.username: [g.name for g in user.groups.all()] for user in User.objects.all()}
    assert roles == {"analyst": ["Annotator"], "curator": ["Curator"], "viewer": ["Viewer"], "admin": []}
    assert User.objects.get(username="curator").is_staff
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="analyst").is_staff
    assert "curator / curator-demo-pw" in capsys.readouterr().out


def test_it_prints_the_log_in_address_the_server_is_started_on(db, capsys):
    # `make run PORT=8123` serves on 8123: the printed address must say so.
    call_command("load_demo", "--url", "http://127.0.0.1:8123/login/", force=True)
    assert "Demo logins (http://127.0.0.1:8123/login/):" in capsys.readouterr().out
