"""A create request runs a fixed, small number of queries: this pins it so it cannot creep back."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Annotation
from articles.tests.helpers import HTMX, label, selection

# session, user, article, the user's permissions (their own and their groups' in one
# query, cached on the user for the request, so asked once), label with its category,
# whether the author has the same tag there already (one indexed probe), insert, the coding assignment's status (a signal), history insert (INSERT … SELECT), the
# touched paragraphs' spans, the panel's count with the next item. The blind rule is a
# subquery of the last two, not a query of its own.
CREATE_QUERIES = 11


def test_a_create_request_runs_a_fixed_number_of_queries(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    url = f"/articles/{sample_article.pk}/annotations/"
    opinion = label("opinion")
    client.post(url, {**selection(sample_article, "Exasperated"), "label": opinion.pk}, headers=HTMX)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, {**selection(sample_article, "pitted us"), "label": opinion.pk}, headers=HTMX
        )
    assert response.status_code == 200
    assert Annotation.objects.count() == 2
    # The test runs in a transaction, so the create's own transaction shows as a savepoint.
    sql = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    listing = "\n".join(statement[:160] for statement in sql)
    assert len(sql) == CREATE_QUERIES, listing
