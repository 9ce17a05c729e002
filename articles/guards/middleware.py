"""Refuse request values that no field accepts before a view, or the database, sees them.

PostgreSQL cannot store or compare a NUL character in text: a NUL that reached a query
was a 500 (a search, an export filter, a note, an admin search). Django's form fields
already refuse it; this covers the views that read request.GET and request.POST directly.
"""

from articles.guards.views import refused

NUL_MESSAGE = "The request contains a NUL character (\\0), which no field accepts."


def has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # process_view: after the log-in and CSRF checks have had their say.
        if has_nul(request.GET) or (request.method == "POST" and has_nul(request.POST)):
            return refused(request, NUL_MESSAGE)
        return None
