"""The client address that log-in throttling keys on."""

from django.conf import settings


def client_ip(request):
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]  # appended by our balancer; earlier hops are the client's to forge
    return request.META.get("REMOTE_ADDR")
