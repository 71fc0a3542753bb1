"""The user's calendar as an iCalendar file (RFC 5545) for a phone's calendar app."""

import datetime

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as ICalEvent

PRODID = "-//Bao Lam military command//portal calendar//VI"


def ical(entries, *, base_url=""):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Bảo Lâm – lịch công tác")
    stamp = datetime.datetime.now(tz=datetime.UTC)
    host = getattr(settings, "PORTAL_BASE_URL", "") or "baolam.invalid"
    for entry in entries:
        event = ICalEvent()
        event.add("uid", f"{entry.uid}@{host.split('//')[-1].strip('/')}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{entry.title} – {entry.unit}" if entry.unit else entry.title)
        event.add("dtstart", entry.day)
        event.add("dtend", (entry.last_day or entry.day) + datetime.timedelta(days=1))  # all-day: the day after
        if entry.url:
            event.add("url", f"{base_url}{entry.url}")
        event.add("categories", [str(entry.kind_label)])
        calendar.add_component(event)
    return calendar.to_ical()
