"""Every URL of the project needs a login, except a short explicit list of public ones.

The test walks the URL tree instead of listing pages, so a page added later without login
protection (e.g. marked `login_not_required` by mistake) makes it fail.
"""

import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from baolam_portal.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

# The calendar feed of a phone: its secret token in the address is its credential (agenda/views.py).
PUBLIC = {"login", "logout", "healthz", "admin:login", "static", "agenda:feed"}

SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")
_UNNAMED_GROUP = re.compile(r"\((?!\?)[^()]*\)")


def _route_sample(pattern):
    """The URL piece of one pattern with every parameter filled, or None when it cannot be built."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return _CONVERTER.sub(lambda m: SAMPLES.get(m["converter"] or "str", "x"), route)
    if isinstance(pattern, RegexPattern):
        regex = pattern.regex.pattern

        def fill(match):
            body = match["body"]
            # "(?P<app_label>auth|people)" → its first alternative; anything else → "x".
            return body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else "x"

        sample = _REGEX_GROUP.sub(fill, regex)
        sample = _UNNAMED_GROUP.sub("x", sample).removeprefix("^").removesuffix("$").replace("\\", "")
        return sample if pattern.regex.fullmatch(sample) else None
    return None


def iter_patterns(resolver=None, prefix="/", namespace=""):
    """(qualified name or None, sample URL or None, pattern) for every view of the URL tree."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        piece = _route_sample(entry.pattern)
        url = None if piece is None or prefix is None else prefix + piece
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from iter_patterns(entry, url, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
            yield name, url, entry, namespace


def _resolves_to(url, entry):
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.func is entry.callback


def login_gaps(client):
    """URLs of the current URL tree that an anonymous user reaches without signing in."""
    gaps = []
    checked = 0
    for name, url, entry, namespace in iter_patterns(get_resolver()):
        in_admin = namespace.split(":")[0] == "admin"
        if name in PUBLIC:
            continue
        if url is None or not _resolves_to(url, entry):
            # Only the admin's regex patterns (e.g. its app index) may be beyond a sensible sample URL.
            assert in_admin, f"cannot build a URL for the pattern {entry.pattern!r} ({name}): extend the test"
            continue
        response = client.get(url)
        checked += 1
        # Admin pages send to the admin's login or (its model pages, via LoginRequiredMiddleware) the portal's.
        logins = ("/admin/login/?next=", "/login/?next=") if in_admin else ("/login/?next=",)
        if response.status_code != 302 or not response.url.startswith(logins):
            gaps.append((name or str(entry.pattern), url, response.status_code))
    assert checked, "no URL was checked"
    return gaps


def test_every_url_needs_a_login(client):
    assert login_gaps(client) == []


def test_it_checks_the_pages_of_every_app(client):
    names = {name for name, *_rest in iter_patterns()}
    for expected in ("home", "people:list", "people:detail", "people:update", "set_language", "admin:index"):
        assert expected in names
    assert "admin:people_person_changelist" in names


@pytest.mark.parametrize(
    ("url", "status"),
    [("/login/", 200), ("/healthz", 200), ("/admin/login/", 200), ("/logout/", 405)],
)
def test_public_urls_answer_without_login(client, url, status):
    assert client.get(url).status_code == status


def test_admin_index_sends_anonymous_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/"


@login_not_required
def _forgotten_view(request, pk):
    return HttpResponse("secret roster")


def _protected_view(request):
    return HttpResponse("fine")


urlpatterns = [
    *project_urlpatterns,
    path("forgotten/<int:pk>/", _forgotten_view, name="forgotten"),
    path("protected/", _protected_view, name="protected"),
]


@pytest.mark.urls(__name__)
def test_it_catches_a_page_left_without_login(client):
    assert login_gaps(client) == [("forgotten", "/forgotten/1/", 200)]
