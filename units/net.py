"""The client's address as the portal records it (audit trail, sign-in lock-out).

Behind a reverse proxy every request comes from the proxy's address; the proxy appends the real
client to X-Forwarded-For. The portal believes that header only when the request comes from one of
TRUSTED_PROXIES, and then takes the address TRUSTED_PROXY_COUNT hops from the right (what the
nearest trusted proxy saw), so a client cannot forge its own address.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR") or None
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not hops or remote not in getattr(settings, "TRUSTED_PROXIES", ()):
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote
