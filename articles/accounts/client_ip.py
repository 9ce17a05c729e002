"""The client address that log-in throttling keys on."""

from django.conf import settings


def client_ip(request):
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]  # appended by our balancer; earlier hops are the client's to forge
    return request.META.get("REMOTE_ADDR")


def client_username(request, credentials):
    """The username that log-in throttling keys on, cut to what its table holds (255), so
    a hostile over-long name is throttled like any other instead of failing on PostgreSQL."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:255] if isinstance(username, str) else username
