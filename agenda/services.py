"""Writes of the calendar and the reminders: seeding the law's dates, the feed tokens, the notifications and
their e-mails. A reminder is made once per person and occasion (a unique key), so a run repeated, or two
workers running at once, never send it twice."""

from contextlib import suppress

from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.freshness import changed
from units.models import Unit

from . import reminders, rules
from .models import EmailMode, Event, FeedToken, Notification, ReminderPreference


def bell_key(user_id):
    return f"agenda:bell:{user_id}"


def bell_forget(user_ids):
    """The bell of these users counts again on their next page (their notifications changed)."""
    cache.delete_many([bell_key(pk) for pk in user_ids])


@transaction.atomic
def calendar_seed(*, year) -> int:
    """Put the year's dates the law fixes on the calendar of every district (any unit with communes under
    it); an event already seeded is left as it is, edits included. Returns the number of events made."""
    units = Unit.objects.current().filter(children__kind__is_commune_level=True).distinct()
    made = 0
    rows = rules.law_events(year)
    for unit in units:
        existing = set(
            Event.objects.filter(unit=unit, seed_key__in=[r[0] for r in rows]).values_list("seed_key", flat=True)
        )
        for key, kind, title, start, end, law in rows:
            if key in existing:
                continue
            Event.objects.create(
                unit=unit, kind=kind, title=title, starts_on=start, ends_on=end, law_ref=law, seed_key=key
            )
            made += 1
    if made:
        changed(units=units, records={"agenda"})
    return made


@transaction.atomic
def event_save(*, user, event=None, **fields) -> Event:
    from units.scoping import get_scope

    event = event or Event()
    before = event.unit_id
    for name, value in fields.items():
        setattr(event, name, value)
    if not get_scope(user).can_write_path(event.unit.path):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not keep the calendar of %(unit)s.") % {"unit": event.unit.name})
    event.full_clean()
    event.save()
    changed(units=[before, event.unit], records={"agenda"})
    return event


def feed_token(*, user) -> FeedToken:
    """The user's feed token, made on first use."""
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def feed_token_revoke(*, user) -> FeedToken:
    """Revoke the user's feed address: the old one stops working at once, a new one replaces it."""
    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user)


def preference_set(*, user, email_mode) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(user=user, defaults={"email_mode": email_mode})
    return preference


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications read (all of them, or those of `ids`)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = queryset.update(read_at=timezone.now())
    bell_forget([user.pk])
    return count


def notify(occasions) -> list:
    """Make the notifications of `occasions` (reminders.Occasion) that do not exist yet; returns those made.

    The unique (user, key) constraint decides what exists, so concurrent runs make each one once."""
    occasions = list({(o.user_id, o.key): o for o in occasions}.values())
    if not occasions:
        return []
    keys = {o.key for o in occasions}
    made = []
    for start in range(0, len(occasions), 2000):
        batch = occasions[start : start + 2000]
        users = {o.user_id for o in batch}
        have = set(
            Notification.objects.filter(user_id__in=users, key__in={o.key for o in batch} & keys).values_list(
                "user_id", "key"
            )
        )
        new = [
            Notification(user_id=o.user_id, key=o.key, kind=o.kind, title=o.title[:255], url=o.url)
            for o in batch
            if (o.user_id, o.key) not in have
        ]
        # ignore_conflicts: another run that made the same row in the meantime wins, nothing is raised.
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        made += new
    # What this run made (bulk_create with ignore_conflicts returns no keys): the rows it created now.
    if made:
        bell_forget({n.user_id for n in made})
    return made


def _send(user, subject, lines):
    try:
        send_mail(subject, "\n".join(lines), None, [user.email])
    except OSError:
        return False
    return True


def emails_send(*, on=None, modes=None) -> int:
    """E-mail the notifications not yet e-mailed to the users who asked: one mail each (immediate) or one
    digest (daily). Each is marked as e-mailed in the same transaction that claims it, so two workers never
    e-mail it twice. Returns the number of mails sent."""
    sent = 0
    preferences = ReminderPreference.objects.exclude(email_mode=EmailMode.OFF).select_related("user")
    if modes is not None:
        preferences = preferences.filter(email_mode__in=modes)
    for preference in preferences:
        user = preference.user
        if not (user.is_active and user.email):
            continue
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(user=user, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
            if preference.email_mode == EmailMode.IMMEDIATE:
                for notification in pending:
                    sent += _send(user, notification.title, [notification.title, _link(notification)])
            else:
                lines = [f"- {n.title} {_link(n)}" for n in pending]
                subject = _("Reminders of the Bảo Lâm portal: %(count)s new") % {"count": len(pending)}
                sent += _send(user, subject, lines)
    return sent


def _link(notification):
    from django.conf import settings

    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    return f"{base}{notification.url}" if notification.url else ""


def reminders_for_report(*, report_id, on=None) -> dict:
    """At once when a report is submitted or returned: its reminders, and the e-mails of those who asked for
    them immediately (the daily digest keeps its day)."""
    on = on or timezone.localdate()
    made = notify(reminders.report_occasions(report_id=report_id, on=on))
    return {"notifications": len(made), "emails": emails_send(on=on, modes=[EmailMode.IMMEDIATE]) if made else 0}


def reminders_run(*, on=None) -> dict:
    """The daily run: seed the calendar of this year and the next, make the day's reminders, send the
    e-mails. Safe to run twice or in two workers at once."""
    on = on or timezone.localdate()
    for year in (on.year, on.year + 1):
        with suppress(IntegrityError):  # another worker seeded it at the same moment
            calendar_seed(year=year)
    made = notify(reminders.occasions(on=on))
    return {"notifications": len(made), "emails": emails_send(on=on)}
