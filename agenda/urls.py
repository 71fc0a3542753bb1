from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("feed/<str:token>.ics", views.ical_feed, name="feed"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/email/", views.preference, name="preference"),
]
