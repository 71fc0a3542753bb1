"""The portal's URLs plus a page that fails, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from baolam_portal.urls import handler403, handler404, handler500  # noqa: F401
from baolam_portal.urls import urlpatterns as portal_urls
from units.probes import probe


def fails(request):
    raise RuntimeError("a defect in a page")


urlpatterns = [path("fails", probe(login_not_required(fails))), *portal_urls]
