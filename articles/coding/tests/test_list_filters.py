from articles.coding.models import Assignment
from articles.coding.tests.helpers import make_batch
from articles.tests.admin_helpers import make_curator


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return {title for title in ("Markets rally", "Senior Pakistani") if title in html.split("<tbody>")[-1]}


def test_it_filters_the_article_list_by_assignment_batch_and_status(
    client, make_user, sample_article, other_article
):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice], name="One")
    make_batch([other_article], [bob], name="Two")
    Assignment.objects.filter(analyst=alice).update(status=Assignment.DONE)
    client.force_login(alice)
    assert titles(client, "/") == {"Markets rally", "Senior Pakistani"}
    assert titles(client, "/?assigned=1") == {"Senior Pakistani"}
    assert titles(client, "/?assigned=1&status=done") == {"Senior Pakistani"}
    assert titles(client, "/?assigned=1&status=todo") == set()
    assert titles(client, f"/?batch={batch.pk}") == {"Senior Pakistani"}
    assert titles(client, "/?status=todo") == {"Markets rally"}


def test_it_rejects_unknown_filters(client, make_user):
    client.force_login(make_user("alice"))
    assert client.get("/?status=nope").status_code == 400
    assert client.get("/?batch=x").status_code == 400
    assert client.get("/?batch=999").status_code == 400


def test_it_keeps_filters_in_the_pager_and_offers_curators_a_batch(client, make_user):
    from articles.ingest.pipeline import ingest, store_article

    alice = make_user("alice")
    articles = [store_article(ingest(f"Story {i}\n\nText {i}.", title=f"S{i}"))[0] for i in range(30)]
    make_batch(articles, [alice])
    client.force_login(alice)
    assert 'href="?assigned=1&amp;page=2"' in client.get("/?assigned=1").content.decode()
    client.force_login(make_curator(make_user))
    assert "/coding/batches/new/?q=Story" in client.get("/?q=Story").content.decode()


def test_it_keeps_filters_when_searching(client, make_user, sample_article):
    alice = make_user("alice")
    batch = make_batch([sample_article], [alice])
    client.force_login(alice)
    html = client.get(f"/?assigned=1&batch={batch.pk}&status=todo").content.decode()
    form = html.split('role="search"')[1].split("</form>")[0]
    assert 'name="assigned" id="id_assigned" checked' in form
    assert f'<option value="{batch.pk}" selected>' in form
    assert '<option value="todo" selected>' in form
