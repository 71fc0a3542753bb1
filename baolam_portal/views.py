"""Portal-wide pages: home, health check, error pages."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.probes import probe

logger = logging.getLogger(__name__)


@probe
@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The load balancer's probe: one query of its own and nothing else (no session, no user)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def ping(request):
    """A trivial page behind the login: the framework floor of the benchmark (bench/run.py)."""
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", {"message": _message(exception)}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", {"message": _message(exception)}, status=404)


def error_500(request):
    """The page of an unexpected error. Rendered without the request's context (no session, no user, no
    query), since the failure may be the database itself; a database that cannot be reached answers 503,
    "try again in a moment". Both pages are plain Vietnamese."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = _static_page("503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _static_page("500.html", 500)


def _static_page(template, status):
    try:
        content = loader.render_to_string(template)  # no request: no context processor runs
    except Exception:  # the last resort must not fail in turn (a bare server error page is English)
        logger.exception("Error page %s could not be rendered", template)
        response = HttpResponse(_LAST_RESORT, status=status, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(content, status=status)
    response["Cache-Control"] = "no-store, private"  # set here: outer middlewares may be what failed
    return response


_LAST_RESORT = "Hệ thống đang gặp sự cố. Dữ liệu đã lưu vẫn an toàn. Vui lòng thử lại sau ít phút."


def _message(exception):
    text = str(exception) if exception else ""
    # Django's own resolver messages are dicts and English; show only our translated ones.
    return text if text and not text.startswith("{") else ""


def csrf_failure(request, reason=""):
    """Our own page when a form's security token is missing or stale (e.g. a form left open for hours)."""
    return render(request, "403_csrf.html", status=403)
