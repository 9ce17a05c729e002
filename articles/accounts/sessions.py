# ruff: noqa: S608 (table and column names from the models; values are parameters)
"""Django's database sessions, with the session row read by one hand-written query.

Every request reads its session; the ORM's get() cost several times the query itself (the
create path's profile, docs/scaling.md). Rows, expiry and everything else are Django's:
sessions stay in the database, so any app server behind the load balancer can answer any
request, and logging out ends the session everywhere at once.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        row = None
        if key:
            connection = connections[router.db_for_read(self.model)]
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT session_data FROM {quote(self.model._meta.db_table)} "
                    "WHERE session_key = %s AND expire_date > %s",
                    [key, connection.ops.adapt_datetimefield_value(timezone.now())],
                )
                row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])
