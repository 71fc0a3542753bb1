"""Load scenario (loadtest/README.md): commune staff officers browse and save drafts, commanders watch.

Run through `make loadtest` (loadtest/run.py), which seeds the database, starts gunicorn and passes the
sample objects in LOADTEST_TARGETS (JSON, from loadtest/probe.py). Every user signs in through the real
login form once, then loops over its tasks with a human's pause between pages.

A 409 on a draft save is the portal refusing a stale save (two officers of one commune saving the same
report): a correct answer, counted under its own name, not a failure. Any other non-2xx/3xx is a failure.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

TARGETS = json.loads(os.environ.get("LOADTEST_TARGETS", "{}"))
PASSWORD = os.environ.get("DEMO_PASSWORD", "baolam-demo")
SEARCHES = ["nguyen", "van", "thi", "ly seo", "hoang van", "vang", "duc", "mai", "lo thi", "trieu"]
_officers = itertools.cycle(sorted(TARGETS.get("officers", {})))
_lock = threading.Lock()


_log = (
    open(os.environ["LOADTEST_REQUESTS_FILE"], "w", encoding="utf-8")  # noqa: SIM115 (closed on quitting)
    if os.environ.get("LOADTEST_REQUESTS_FILE")
    else None
)


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    """One line per request (time, ms, failed, name): run.py derives the steady-state figures from it."""
    if _log is not None:
        _log.write(f"{time.time():.3f}\t{response_time:.1f}\t{int(exception is not None)}\t{request_type} {name}\n")


@events.quitting.add_listener
def _close(**kwargs):
    if _log is not None:
        _log.close()


def next_officer():
    with _lock:
        return next(_officers)


class FormReader(HTMLParser):
    """Every POST form of a page: its fields as a browser would send them, in document order."""

    def __init__(self):
        super().__init__()
        self.forms, self._fields = [], None
        self._select, self._textarea, self._text = None, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = []
            return
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None
        elif tag == "select" and self._select and self._fields is not None:
            name, selected, first = self._select
            self._fields.append((name, selected if selected is not None else (first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea and self._fields is not None:
            self._fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def read_form(html, must_have):
    """The fields of the page's POST form that has a field named `must_have` (not the header's forms)."""
    reader = FormReader()
    reader.feed(html)
    for fields in reader.forms:
        if any(name == must_have for name, _value in fields):
            return fields
    return []


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(2, 6)  # a person reads a page before the next click
    username = None

    def on_start(self):
        with self.client.get("/login/", name="login page", catch_response=True) as page:
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
            if page.status_code != 200 or not match:
                page.failure(f"login page: HTTP {page.status_code}")
                return
        with self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"sign-in of {self.username}: HTTP {response.status_code}")

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/login/" in response.url:
                response.failure("signed out")
            return response

    def post_form_back(self, form_path, name, *, must_have, edit=None):
        """Open a form page and save it as a user would: its own values, one field edited."""
        with self.client.get(form_path, name=f"{name} (form)", catch_response=True) as page:
            fields = read_form(page.text or "", must_have) if page.status_code == 200 else []
            if page.status_code != 200:
                page.failure(f"HTTP {page.status_code}")
                return
            if not fields:
                page.failure(f"no form with a field {must_have!r}")
                return
        if edit:
            fields = edit(fields)
        with self.client.post(
            form_path,
            fields,
            name=f"{name} (save)",
            headers={"Referer": self.host + form_path},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            elif response.status_code == 409:
                # Someone of the same commune saved first: refused, as it must be; listed on its own line.
                response.request_meta["name"] = f"{name} (stale save refused, 409)"
                response.success()
            else:
                response.failure(f"save answered HTTP {response.status_code}")


class StaffOfficer(PortalUser):
    """A commune military staff officer: the registry, the rosters, the call-up, and the annual report."""

    weight = 4

    def on_start(self):
        self.username = next_officer()
        mine = TARGETS["officers"][self.username]
        self.person, self.report = mine["person"], mine["report"]
        super().on_start()

    @task(4)
    def search_people(self):
        self.page(f"/people/?q={random.choice(SEARCHES).replace(' ', '+')}", "people search")

    @task(2)
    def people_list(self):
        self.page("/people/", "people list")

    @task(3)
    def militia_roster(self):
        self.page("/militia/members/", "militia roster")

    @task(2)
    def candidates(self):
        self.page(f"/recruitment/campaigns/{TARGETS['campaign']}/candidates/", "candidate list")

    @task(2)
    def open_report(self):
        if self.report:
            self.page(f"/reports/{self.report}/", "report page")
        else:
            self.page(f"/people/{self.person}/", "person page")

    @task(2)
    def save_draft(self):
        if self.report:

            def edit(fields):
                # Change one narrative: the first textarea-like text field gets a new sentence.
                out, done = [], False
                for key, value in fields:
                    if not done and key.startswith("text_"):
                        value, done = f"{value}\nCập nhật {random.randint(1, 10**6)}.", True
                    out.append((key, value))
                return out

            self.post_form_back(f"/reports/{self.report}/edit/", "report draft", must_have="version", edit=edit)
        else:
            self.post_form_back(f"/people/{self.person}/edit/", "person edit", must_have="full_name")


class Commander(PortalUser):
    """The district commander: the dashboard, who has filed, and the reports waiting for approval."""

    weight = 1

    def on_start(self):
        self.username = TARGETS.get("commander") or "chihuy"
        super().on_start()

    @task(3)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(2)
    def completeness(self):
        if TARGETS.get("period"):
            self.page(f"/reports/periods/{TARGETS['period']}/", "period completeness")

    @task(2)
    def inbox(self):
        self.page("/reports/inbox/", "report inbox")
