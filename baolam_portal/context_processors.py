"""Values every page may show: the sign-in limits (from settings, so the text never lies)."""

from django.conf import settings


def security(request):
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
