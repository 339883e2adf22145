"""`make loadtest`'s simulated users (locust): enterprise staff, liaisons, officers, managers, API clients
and anonymous visitors working side by side against the production stack (bench/loadtest.py starts it).

Every path requested is built from ROUTES, which tests/bench/test_locustfile.py resolves in the portal's
URLconf, so a renamed page fails a test instead of turning into 404s in the next load test.

Accounts come from the JSON file named by LOADTEST_ACCOUNTS, written by bench/loadtest.py: enterprise
applicants and liaisons of the organisations with the most applications, and office staff with an
authenticator app (OTP_REQUIRED_FOR_STAFF is on in production), whose codes are computed here. Without
the file the demo accounts are used (a DEBUG server of `make run`, no second step).

The weights are the number of users of each kind at 50 users; FloorVisitor is the floor phase's only user
and is named on locust's command line. A request answered with an error, or whose page says the action was
refused, is a failure: the load test wants none. Officers never decide the same application (see Officer),
so a refusal is never an expected race.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date, timedelta
from pathlib import Path

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

# name: (path template, sample arguments, the URL name it must resolve to). Nothing else is requested.
ROUTES = {
    "floor": ("/robots.txt", {}, "robots"),
    "healthz": ("/healthz", {}, "healthz"),
    "home": ("/", {}, "home"),
    "login": ("/accounts/login/", {}, "login"),
    "dashboard": ("/dashboard/", {}, "dashboard"),
    "applications": ("/applications/", {}, "approvals:list"),
    "application": ("/applications/{pk}/", {"pk": 1}, "approvals:detail"),
    "application_new": ("/applications/new/", {}, "approvals:create"),
    "endorsements": ("/applications/endorsements/", {}, "approvals:endorsements"),
    "people": ("/people/", {}, "accounts:person_list"),
    "queue": ("/admin/approvals/travelapplication/", {}, "admin:approvals_travelapplication_changelist"),
    "queue_change": (
        "/admin/approvals/travelapplication/{pk}/change/",
        {"pk": 1},
        "admin:approvals_travelapplication_change",
    ),
    "queue_transition": (
        "/admin/approvals/travelapplication/{pk}/transition/",
        {"pk": 1},
        "admin:approvals_travelapplication_transition",
    ),
    "reports": ("/reports/", {}, "reports:dashboard"),
    "report_export": ("/reports/export/", {}, "reports:export"),
    "report_job": (
        "/reports/exports/{pk}/status/",
        {"pk": "6f1c2a4e-8b0d-4c1e-9a55-0d2b7c3e4f10"},
        "reports:job_status",
    ),
    "report_download": (
        "/reports/exports/{pk}/download/",
        {"pk": "6f1c2a4e-8b0d-4c1e-9a55-0d2b7c3e4f10"},
        "reports:download",
    ),
    "api_token": ("/api/v1/auth/token/", {}, "api:token"),
    "api_me": ("/api/v1/me/", {}, "api:me"),
    "api_applications": ("/api/v1/travel-applications/", {}, "api:travel-application-list"),
    "api_application": ("/api/v1/travel-applications/{pk}/", {"pk": 1}, "api:travel-application-detail"),
    "api_people": ("/api/v1/people/", {}, "api:person-list"),
}
DEMO_ACCOUNTS = {
    "password": os.environ.get("DEMO_PASSWORD", "demo-pass-2026"),
    "applicants": ["applicant", "applicant2"],
    "liaisons": ["liaison"],
    "api_applicants": ["applicant"],
    "officers": [{"username": "officer"}],
    "api_officers": [{"username": "officer"}],
    "managers": [{"username": "manager"}],
}
EXPORT_WAIT_SECONDS = float(os.environ.get("LOADTEST_EXPORT_WAIT", "180"))
TIMEOUT = 120
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION_LINK = re.compile(r'href="/applications/(\d+)/"')
QUEUE_LINK = re.compile(r'href="/admin/approvals/travelapplication/(\d+)/change/')
JOB_URL = re.compile(r"exports/([0-9a-f-]{36})/")
JOB_STATE = re.compile(r'data-state="(\w+)"')
MESSAGE = re.compile(r'<li class="(success|error|warning|info)"')


def url(name: str, **kwargs) -> str:
    return ROUTES[name][0].format(**kwargs)


_accounts = None
_next = {}  # pool name → itertools.count: each simulated user takes the next account of its kind
_claimed: set[int] = set()  # applications an officer has taken; users share one process (gevent)


def accounts() -> dict:
    global _accounts
    if _accounts is None:
        path = os.environ.get("LOADTEST_ACCOUNTS", "")
        _accounts = json.loads(Path(path).read_text(encoding="utf-8")) if path else DEMO_ACCOUNTS
    return _accounts


def take(pool: str) -> dict:
    """The next account of `pool`, round robin; office accounts are {"username", "totp_key"}."""
    entries = accounts()[pool]
    counter = _next.setdefault(pool, itertools.count())
    entry = entries[next(counter) % len(entries)]
    return entry if isinstance(entry, dict) else {"username": entry}


def totp(key_hex: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows now for a django-otp TOTP device's hex key (RFC 6238:
    30-second steps, SHA-1)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else ""


class PortalUser(FastHttpUser):
    """A person with a browser: signs in through the form once, then works with think time between
    pages."""

    abstract = True
    wait_time = between(2, 8)  # reading a page, choosing the next
    network_timeout = TIMEOUT
    pool = ""

    def on_start(self):
        if self.pool:
            self.account = take(self.pool)
            self.sign_in()

    def sign_in(self):
        page = self.page("login", "sign in: form")
        form = {
            "username": self.account["username"],
            "password": accounts()["password"],
            "csrfmiddlewaretoken": csrf_token(page.text),
        }
        if self.account.get("totp_key"):
            form["otp"] = totp(self.account["totp_key"])
        with self.client.post(
            url("login"), data=form, name="sign in: submit", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.account['username']} could not sign in ({response.status_code})")
                raise StopUser
            response.success()

    def page(self, name: str, label: str, query: str = "", **kwargs):
        return self.client.get(url(name, **kwargs) + query, name=label)

    def post_form(self, name: str, label: str, data: dict, token: str, *, follow: bool = True, **kwargs):
        """POST a form as the browser does, with the CSRF token of the page it was on; the caller checks
        the response (catch_response)."""
        return self.client.post(
            url(name, **kwargs),
            data={**data, "csrfmiddlewaretoken": token},
            name=label,
            catch_response=True,
            allow_redirects=follow,
        )


class Visitor(PortalUser):
    """Anonymous: the trivial page (the floor of every figure) and the public pages around it."""

    weight = 2

    @task(3)
    def floor(self):
        self.page("floor", "floor: robots.txt (trivial view)")

    @task(1)
    def home(self):
        self.page("home", "home page, anonymous")

    @task(1)
    def health(self):
        self.page("healthz", "health check")


class FloorVisitor(FastHttpUser):
    """The floor phase alone (bench/loadtest.py runs it after the mixed workload): the trivial page without
    think time, i.e. as many requests per second as this server and this client manage together."""

    wait_time = constant(0)

    @task
    def floor(self):
        self.client.get(url("floor"), name="floor: robots.txt, no think time")


class EnterpriseApplicant(PortalUser):
    """Enterprise staff: their applications, one of them, the form for a new one, their travellers."""

    weight = 18
    pool = "applicants"

    def on_start(self):
        super().on_start()
        self.seen: list[int] = []

    @task(4)
    def applications(self):
        response = self.page("applications", "enterprise: applications list")
        self.seen = [int(pk) for pk in APPLICATION_LINK.findall(response.text)] or self.seen

    @task(5)
    def application(self):
        if not self.seen:
            return self.applications()
        self.page("application", "enterprise: application detail", pk=random.choice(self.seen))

    @task(2)
    def new_application(self):
        self.page("application_new", "enterprise: new application form")

    @task(2)
    def dashboard(self):
        self.page("dashboard", "enterprise: dashboard")

    @task(1)
    def people(self):
        self.page("people", "enterprise: travellers")


class Liaison(EnterpriseApplicant):
    """The enterprise's foreign-affairs liaison: what awaits endorsement, besides the applicant's pages."""

    weight = 6
    pool = "liaisons"

    @task(3)
    def endorsements(self):
        self.page("endorsements", "liaison: endorsements")


class Officer(PortalUser):
    """An approval officer in the back office: the review queue, an application's page, and a decision.

    The decisions are the cheap ones that need no documents: returning an application in review for
    changes (with a comment), and accepting a submitted post-trip report. An officer takes the first
    application of the queue page that no other officer has taken (the shared claim set), so no two
    decide the same one: a refusal is a failure, never an expected race."""

    weight = 12
    pool = "officers"
    # The queue filtered by state: its label, the decision taken there and its comment.
    DECISIONS = {
        "in_review": ("officer: review queue", "return_for_changes", "负载测试：请补充邀请函。"),
        "report_submitted": ("officer: reports to check", "accept_report", ""),
    }

    @task(4)
    def queue(self):
        self.queue_page("in_review")

    @task(4)
    def application(self):
        candidates = self.queue_page(random.choice(list(self.DECISIONS)))
        if candidates:
            self.page("queue_change", "officer: application page", pk=random.choice(candidates))

    @task(3)
    def decide(self):
        state = random.choice(list(self.DECISIONS))
        _label, transition, comment = self.DECISIONS[state]
        pk = next((pk for pk in self.queue_page(state) if pk not in _claimed), None)
        if pk is None:
            return
        _claimed.add(pk)
        page = self.page("queue_change", "officer: application page", pk=pk)
        if f'name="transition" value="{transition}"' not in page.text:
            return  # not offered on this application (a leader's sign-off trip, say): nothing to decide
        with self.post_form(
            "queue_transition",
            f"officer: {transition}",
            {"transition": transition, "comment": comment},
            csrf_token(page.text),
            pk=pk,
        ) as response:
            kinds = MESSAGE.findall(response.text or "")
            if response.status_code != 200 or kinds != ["success"]:
                response.failure(f"{transition} of {pk} refused or failed ({response.status_code}, {kinds})")

    def queue_page(self, state: str) -> list[int]:
        """Open the queue filtered by `state` (the review queue opens on "in review"); the applications
        listed."""
        label = self.DECISIONS[state][0]
        response = self.page("queue", label, "" if state == "in_review" else f"?state={state}")
        return [int(pk) for pk in QUEUE_LINK.findall(response.text or "")]


class Manager(PortalUser):
    """A manager: the reports dashboard over several periods, and now and then an export followed to its
    file (queued to the Celery worker, polled every second as the export's page does). The time from the
    request to the file ready is recorded as "manager: export, queued to ready"."""

    weight = 3
    pool = "managers"
    wait_time = between(5, 15)  # reading figures

    @task(4)
    def dashboard(self):
        preset = random.choice(["last_12_months", "this_quarter", "this_year", "last_month"])
        self.page("reports", "manager: reports dashboard", f"?preset={preset}")

    @task(1)
    def export(self):
        page = self.page("reports", "manager: reports dashboard")
        data = {
            "report": "travel_approvals",
            "format": random.choice(["csv", "xlsx"]),
            "date_from": (date.today() - timedelta(days=90)).isoformat(),
            "date_to": date.today().isoformat(),
            "ftz_area": "",
        }
        started = time.perf_counter()
        with self.post_form(
            "report_export", "manager: export (start)", data, csrf_token(page.text), follow=False
        ) as response:
            match = JOB_URL.search(response.headers.get("Location", "") if response.headers else "")
            if response.status_code != 302 or not match:
                response.failure(f"the export did not start ({response.status_code})")
                return
            response.success()
        job, state = match.group(1), ""
        while time.perf_counter() - started < EXPORT_WAIT_SECONDS:
            status = self.page("report_job", "manager: export (status poll)", pk=job)
            found = JOB_STATE.search(status.text or "")
            state = found.group(1) if found else ""
            if state in ("done", "failed"):
                break
            time.sleep(1)
        self.environment.events.request.fire(
            request_type="EXPORT",
            name="manager: export, queued to ready",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None if state == "done" else RuntimeError(f"export {job}: {state or 'not finished'}"),
            context={},
        )
        if state == "done":
            self.page("report_download", "manager: export (download)", pk=job)


class ApiClient(FastHttpUser):
    """An integrator's program: a token from the token endpoint, then the travel applications API."""

    abstract = True
    wait_time = between(1, 5)  # a program polling, not a tight loop
    network_timeout = TIMEOUT
    pool = ""
    label = ""

    def on_start(self):
        account = take(self.pool)
        body = {"username": account["username"], "password": accounts()["password"]}
        if account.get("totp_key"):
            body["otp"] = totp(account["totp_key"])
        with self.client.post(
            url("api_token"), json=body, name="api: token", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"no token for {account['username']} ({response.status_code})")
                raise StopUser
        self.client.auth_header = f"Token {json.loads(response.content)['token']}"
        self.ids: list[int] = []

    def api(self, name: str, label: str, params: dict | None = None, **kwargs):
        return self.client.get(url(name, **kwargs), params=params, name=label)

    @task(4)
    def applications(self):
        state = random.choice(["", "", "in_review", "submitted", "approved", "permit_issued"])
        response = self.api(
            "api_applications", f"api {self.label}: applications list", {"state": state} if state else None
        )
        if response.status_code == 200:
            self.ids = [row["id"] for row in json.loads(response.content)["results"]] or self.ids

    @task(4)
    def application(self):
        if self.ids:
            self.api("api_application", f"api {self.label}: application detail", pk=random.choice(self.ids))

    @task(1)
    def me(self):
        self.api("api_me", f"api {self.label}: me")


class ApiEnterprise(ApiClient):
    """An enterprise's program: it also lists its travellers and saves drafts."""

    weight = 5
    pool = "api_applicants"
    label = "enterprise"

    @task(1)
    def draft(self):
        people = self.api("api_people", "api enterprise: travellers")
        results = json.loads(people.content).get("results") if people.status_code == 200 else None
        if not results:
            return
        arrive = date.today() + timedelta(days=random.randint(60, 120))
        body = {
            "title": "负载测试出访",
            "purpose": "洽谈合作，考察市场。",
            "mission_type": "business_negotiation",
            "legs": [
                {
                    "country": "DE",
                    "city": "汉堡",
                    "arrive_on": arrive.isoformat(),
                    "leave_on": (arrive + timedelta(days=2)).isoformat(),
                    "host_organization": "Hamburg Trade Partner",
                }
            ],
            "members": [{"person": random.choice(results)["id"], "is_leader": True}],
        }
        with self.client.post(
            url("api_applications"), json=body, name="api enterprise: save a draft", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"draft not saved ({response.status_code}: {(response.text or '')[:300]})")


class ApiOffice(ApiClient):
    """The office's program (a dashboard of its own, say): every organisation's applications."""

    weight = 4
    pool = "api_officers"
    label = "office"
