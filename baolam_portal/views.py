"""Portal-wide pages: home, health check, error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from people.selectors import people_summary_by_commune
from units.scoping import get_scope


def home(request):
    """A summary of the user's units, from the registry (real figures, scoped)."""
    rows = people_summary_by_commune(user=request.user)
    totals = {
        "people": sum(r["people"] for r in rows),
        "party": sum(r["party"] for r in rows),
        "men": sum(r["men"] for r in rows),
        "communes": len(rows),
    }
    context = {"rows": rows, "totals": totals, "assignments": get_scope(request.user).assignments}
    return render(request, "home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", {"message": _message(exception)}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", {"message": _message(exception)}, status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def _message(exception):
    text = str(exception) if exception else ""
    # Django's own resolver messages are dicts and English; show only our translated ones.
    return text if text and not text.startswith("{") else ""


def csrf_failure(request, reason=""):
    """Our own page when a form's security token is missing or stale (e.g. a form left open for hours)."""
    return render(request, "403_csrf.html", status=403)
