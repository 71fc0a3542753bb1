"""Pages of the calendar and the reminders: the month of a user's units, the phone feed and its address,
the notifications under the bell and the e-mail choice."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from units.paging import CountCachedPaginator

from . import feed, selectors, services
from .forms import PreferenceForm
from .models import FeedToken, Notification, ReminderPreference


def _month(text, today):
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return datetime.date(year, month, 1) if 1900 <= year <= 2100 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def calendar(request):
    today = timezone.localdate()
    first = _month(request.GET.get("month"), today)
    following = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    found = selectors.entries(user=request.user, start=first, end=last)
    context = {
        "first": first,
        "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "today": today,
        "entries": found,
        "weeks": _weeks(selectors.month_days(found, first.year, first.month)),
        "view": "list" if request.GET.get("view") == "list" else "month",
        "feed_url": request.build_absolute_uri(
            reverse("agenda:feed", args=[services.feed_token(user=request.user).token])
        ),
    }
    return render(request, "agenda/calendar.html", context)


def _weeks(days):
    """The month's days in weeks from Monday, padded with None."""
    cells = [None] * days[0][0].weekday() + days
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


@login_not_required
@require_GET
def ical_feed(request, token):
    """The feed a phone reads: the token in the address is the only credential; a revoked one is a 404."""
    found = FeedToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404(_("No such calendar."))
    today = timezone.localdate()
    entries = selectors.entries(
        user=found.user, start=today - datetime.timedelta(days=31), end=today.replace(year=today.year + 1)
    )
    content = feed.ical(entries, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="baolam.ics"'
    return response


@require_POST
def feed_revoke(request):
    services.feed_token_revoke(user=request.user)
    messages.success(request, _("The old calendar address no longer works. Add the new one to your phone."))
    return redirect("agenda:calendar")


def notifications(request):
    preference = ReminderPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(initial={"email_mode": preference.email_mode if preference else "off"})
    items = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    if request.GET.get("show") == "unread":
        items = items.filter(read_at__isnull=True)
    page = CountCachedPaginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "agenda/notifications.html", {"page": page, "form": form, "show": request.GET.get("show", "")}
    )


@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("agenda:notifications")


def notification_open(request, pk):
    """Mark the notification read and go to what it concerns."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("agenda:notifications")
    return redirect(target)


@require_POST
def preference(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["email_mode"] != "off" and not request.user.email:
            messages.error(request, _("Your account has no e-mail address: ask the administrator to add one."))
        else:
            services.preference_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
            messages.success(request, _("Your choice of e-mails has been saved."))
    else:
        messages.error(request, _("Choose one of the options."))
    return redirect("agenda:notifications")
