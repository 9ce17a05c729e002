"""Error handlers: a full page in the site's layout, or for an HTMX request the message
alone, placed in the page's message area (a whole error page swapped into the reader
would replace part of it)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django_htmx.http import reswap, retarget

MESSAGES = {
    400: "Bad request: the server could not understand it.",
    403: "You are not allowed to do that.",
    404: "Not found: it may have been deleted, or the address is mistyped.",
    500: "Something went wrong on our side; nothing was changed by this request. Retry in a moment.",
}


def refused(request, message, status=400):
    """A 4xx with `message`: in the page's message area for HTMX, else as a full page."""
    if _is_htmx(request):
        return _htmx_message(status, message)
    return render(request, f"{status}.html", {"message": message}, status=status)


def _htmx_message(status, message=None):
    html = loader.render_to_string(
        "articles/detail.html#error_message", {"error": message or MESSAGES[status]}
    )
    return reswap(retarget(HttpResponse(html, status=status), "#messages"), "innerHTML")


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def bad_request(request, exception):
    return _htmx_message(400) if _is_htmx(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _htmx_message(403) if _is_htmx(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _htmx_message(404) if _is_htmx(request) else defaults.page_not_found(request, exception)


def server_error(request):
    # No database, no session, no request context: whatever failed must not fail again here.
    return _htmx_message(500) if _is_htmx(request) else defaults.server_error(request)


def csrf_failure(request, reason=""):
    if _is_htmx(request):
        return _htmx_message(403, "Not saved: the page is out of date (security token). Reload the page.")
    return django_csrf_failure(request, reason, template_name="403_csrf.html")
