"""The dates the law fixes every year; each rule in one function that cites its article."""

import datetime

from django.utils.translation import gettext as _


def first_registration_window(year):
    """Luật Nghĩa vụ quân sự 2015 Điều 16.1: male citizens turning 17 in the year register for military
    service in April."""
    return datetime.date(year, 4, 1), datetime.date(year, 4, 30), "Luật NVQS 2015, Điều 16"


def militia_registration_window(year):
    """Luật Dân quân tự vệ 2019 Điều 9.1: citizens reaching the age of militia duty register in April."""
    return datetime.date(year, 4, 1), datetime.date(year, 4, 30), "Luật DQTV 2019, Điều 9"


def examination_window(year):
    """Luật Nghĩa vụ quân sự 2015 Điều 40.2: the health examinations for the call-up run from 1 November to
    31 December."""
    return datetime.date(year, 11, 1), datetime.date(year, 12, 31), "Luật NVQS 2015, Điều 40"


def law_events(year):
    """(seed key, kind, title, first day, last day, legal basis) of the year's dates the law fixes."""
    rows = []
    for key, kind, title, window in (
        ("registration", "registration", _("First military-service registration (April)"), first_registration_window),
        (
            "militia_registration",
            "militia_registration",
            _("Militia duty registration (April)"),
            militia_registration_window,
        ),
        ("examinations", "examinations", _("Health examinations for the call-up"), examination_window),
    ):
        start, end, law = window(year)
        rows.append((f"{key}:{year}", kind, title, start, end, law))
    return rows
