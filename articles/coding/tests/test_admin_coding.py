from articles.coding.models import Assignment
from articles.coding.tests.helpers import make_batch
from articles.tests.admin_helpers import make_curator


def test_it_lists_batches_with_progress(client, make_user, sample_article, other_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article, other_article], [alice, bob], name="Wave 1")
    Assignment.objects.filter(analyst=alice).update(status=Assignment.DONE)
    client.force_login(make_curator(make_user))
    html = client.get("/admin/articles/codingbatch/").content.decode()
    assert "Wave 1" in html and '<progress max="100" value="50"' in html and "2 / 4" in html


def test_it_reassigns_an_assignment(client, make_user, sample_article):
    alice, bob, carl = make_user("alice"), make_user("bob"), make_user("carl")
    make_batch([sample_article], [alice, bob])
    assignment = Assignment.objects.get(analyst=alice)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.IN_PROGRESS)
    client.force_login(make_curator(make_user))
    url = f"/admin/articles/assignment/{assignment.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"analyst": carl.pk})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.analyst, assignment.status) == (carl, Assignment.TODO)
    # Not to someone who codes the article already.
    response = client.post(url, {"analyst": bob.pk})
    assert response.status_code == 200 and "bob already codes this article" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.analyst == carl


def test_it_is_hidden_from_analysts(client, make_user):
    client.force_login(make_user("alice", is_staff=True))
    assert client.get("/admin/articles/codingbatch/").status_code == 403
    assert client.get("/admin/articles/assignment/").status_code == 403
