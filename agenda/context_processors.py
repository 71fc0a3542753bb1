"""The bell in the header: the number of unread notifications, kept in the cache until they change (the
services that make or read notifications forget it), so a page costs at most one query for it."""

from django.core.cache import cache

from .models import Notification
from .services import bell_key


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        key = bell_key(user.pk)
        count = cache.get(key)
        if count is None:
            count = Notification.objects.filter(user=user, read_at__isnull=True).count()
            cache.set(key, count, 3600)
        return count

    return {"bell_unread": unread}
