from articles.coding.models import Assignment, BatchArticle, CodingBatch
from articles.tests.admin_helpers import make_curator

URL = "/coding/batches/new/"


def post_data(analysts, **extra):
    data = {
        "name": "Pakistan sample",
        "query": "",
        "article_ids": "",
        "analysts": [a.pk for a in analysts],
        "coders_per_article": "2",
        "blind": "on",
        "seed": "42",
        "due_date": "2026-12-01",
    }
    data.update(extra)
    return data


def test_it_creates_a_batch_from_a_search_and_numbers(client, make_user, sample_article, other_article):
    client.force_login(make_curator(make_user))
    alice, bob = make_user("alice"), make_user("bob")
    response = client.post(URL, post_data([alice, bob], query="Pakistani", article_ids=f"{other_article.pk}"))
    batch = CodingBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/coding/batches/{batch.pk}/"
    assert batch.blind and batch.seed == 42 and str(batch.due_date) == "2026-12-01"
    assert set(BatchArticle.objects.values_list("article_id", flat=True)) == {
        sample_article.pk,
        other_article.pk,
    }
    assert Assignment.objects.count() == 4
    assert set(Assignment.objects.values_list("analyst__username", flat=True)) == {"alice", "bob"}


def test_it_prefills_from_the_article_list(client, make_user):
    client.force_login(make_curator(make_user))
    html = client.get(URL + "?q=pakistan&article=3&article=5").content.decode()
    assert 'value="pakistan"' in html and "3 5</textarea>" in html


def test_it_refuses_non_curators(client, make_user):
    client.force_login(make_user("alice"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, post_data([])).status_code == 403


def test_it_rejects_bad_input_with_messages(client, make_user, sample_article):
    client.force_login(make_curator(make_user))
    alice = make_user("alice")
    response = client.post(URL, post_data([alice], article_ids=str(sample_article.pk)))
    assert response.status_code == 400
    assert "2 coders per article need at least 2 analysts" in response.content.decode()
    response = client.post(URL, post_data([alice], coders_per_article="1", article_ids="12x"))
    assert response.status_code == 400 and "“12x” is not an article number" in response.content.decode()
    response = client.post(URL, post_data([alice], coders_per_article="1", article_ids="99999"))
    assert "There is no article #99999" in response.content.decode()
    response = client.post(URL, post_data([alice], coders_per_article="1", query="no such words anywhere"))
    assert "Choose the articles" in response.content.decode()
    response = client.post(
        URL, post_data([alice], coders_per_article="9", article_ids=str(sample_article.pk))
    )
    assert response.status_code == 400
    assert not CodingBatch.objects.exists()


def test_it_shows_progress_per_analyst(client, make_user, sample_article, other_article):
    from articles.coding.tests.helpers import make_batch

    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article, other_article], [alice, bob])
    Assignment.objects.filter(analyst=alice, article=sample_article).update(status=Assignment.DONE)
    client.force_login(make_curator(make_user))
    html = client.get(f"/coding/batches/{batch.pk}/").content.decode()
    assert "Done 1 of 4" in html and 'aria-label="25% done"' in html and 'aria-label="50% done"' in html
    client.force_login(alice)
    assert client.get(f"/coding/batches/{batch.pk}/").status_code == 403
