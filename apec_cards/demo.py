"""Demo APEC card applications and cards (seed_demo), made through the services on the days they happened.

The story (both sizes), at 郑州示范贸易有限公司: 张伟 holds an early card (Australia and Japan approved, the
card issued, Singapore added later, Korea still pending); 李娜's card, issued four and a half years ago,
expires within six months (renewal open); 何静's card expired three days ago; 马骏 reported his card lost
and applied for a replacement (endorsed, awaiting the office); 陈晨 is in pre-clearance (Chile refused,
the others pending); 杨帆 awaits the liaison's endorsement, 刘敏 has a draft and 郭婷婷 was not approved.

The year (`seed_demo --size year`): the card applications of the other organisations over the last
fifteen months — cards issued early and economies added as they answer, applications in pre-clearance,
awaiting the office, returned, refused and withdrawn.

As for the travel applications (approvals.demo), nothing is made today and moved back: the steps are
played in order of time on a DemoClock (foreign_affairs.demo_clock), so the application's dates, the
pre-clearance answers, the card's term, its decision letter (rendered the day of each change) and the
audit events are true; the beat expires cards and sends the reminders before expiry on the days it would.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts import services as accounts_services
from foreign_affairs.accounts.models import Gender, Membership, Organization, PassportType, Person, User
from foreign_affairs.demo_clock import DemoClock, Timeline
from foreign_affairs.workdays.models import CalendarDay
from foreign_affairs.workdays.selectors import is_working_day

from . import services
from .models import Card, CardApplication
from .terms import add_months

DEMO_USCC = accounts_demo.DEMO_USCC
JUSTIFICATION = "负责公司亚太区市场开拓与客户维护，每年赴APEC经济体开展商务洽谈、参展及项目考察六次以上。"
# Travellers added for the card demo: name, pinyin, gender, birth date, position, passport, days to expiry
EXTRA_PEOPLE = [
    ("马骏", "MA JUN", Gender.MALE, date(1983, 4, 12), "亚太区销售总监", "E56781234", 2600),
    ("何静", "HE JING", Gender.FEMALE, date(1986, 8, 21), "采购经理", "E56781235", 2400),
    ("郭婷婷", "GUO TINGTING", Gender.FEMALE, date(1995, 1, 3), "销售专员", "E56781236", 2800),
]
# How long each economy takes to answer, in days after the request (DOMAIN.md: three to four months at most).
ANSWER_DAYS = {
    "SG": (18, 35), "NZ": (20, 40), "AU": (21, 45), "MY": (25, 50), "TH": (25, 55), "BN": (30, 60),
    "HK": (20, 40), "ID": (35, 70), "PH": (35, 75), "VN": (40, 80), "JP": (45, 90), "KR": (45, 95),
    "TW": (40, 80), "CL": (60, 110), "PE": (60, 115), "MX": (70, 120), "PG": (70, 120), "RU": (80, 125),
}  # fmt: skip
# The year's card applications: organisation, person, economies, days ago it was started, how it goes.
# issued: early card once the first economies approve, later ones added; preclearance: asked, waiting;
# returned: returned once by the officer, then issued; the others stop in their state.
ISSUED, PRECLEARANCE, RETURNED, REJECTED, WITHDRAWN = (
    "issued",
    "preclearance",
    "returned",
    "rejected",
    "withdrawn",
)
_EXTRA = {extra["username"]: extra["uscc"] for extra in accounts_demo.EXTRA_ORGANIZATIONS}
YEAR_CARDS = [
    (_EXTRA["hhagri"], "付建华", ("AU", "NZ", "CL", "PE", "TH"), 430, ISSUED),
    (_EXTRA["zylogistics"], "高原", ("AU", "JP", "KR", "SG", "MY", "TH", "RU"), 400, ISSUED),
    (_EXTRA["zhilian"], "秦悦", ("JP", "KR", "SG", "MY", "ID", "VN", "PH"), 370, ISSUED),
    (_EXTRA["yuou"], "蒋涵", ("AU", "NZ", "SG", "MY", "TH", "JP", "KR"), 330, RETURNED),
    (accounts_demo.LUOYANG_USCC, "王磊", ("RU", "SG", "TH", "VN", "ID", "CL", "PE"), 305, ISSUED),
    (_EXTRA["jinggong"], "邓凯", ("JP", "KR", "AU", "MX", "CL"), 265, ISSUED),
    (_EXTRA["ruifa"], "魏敏", ("AU", "NZ", "MY", "TH", "ID", "PH", "MX"), 235, ISSUED),
    (_EXTRA["hhagri"], "范强", ("AU", "NZ", "CL", "PE", "TH", "VN"), 190, ISSUED),
    (_EXTRA["jinggong"], "江雪梅", ("JP", "KR", "TH", "VN", "ID", "MY"), 150, ISSUED),
    (_EXTRA["ruifa"], "杜宏伟", ("AU", "NZ", "SG", "MY"), 125, REJECTED),
    (_EXTRA["jinggong"], "沈建国", ("JP", "KR", "RU", "MX", "PE"), 105, PRECLEARANCE),
    (accounts_demo.KAIFENG_USCC, "冯立", ("JP", "KR", "SG"), 95, WITHDRAWN),
    (_EXTRA["yuou"], "钱峰", ("SG", "MY", "TH", "ID", "VN", "PH", "JP"), 62, PRECLEARANCE),
    (accounts_demo.LUOYANG_USCC, "郑丽", ("AU", "NZ", "SG", "JP", "KR"), 48, PRECLEARANCE),
    (_EXTRA["biankang"], "彭涛", ("JP", "KR", "SG", "TH", "MY"), 16, "in_review"),
    (_EXTRA["songyun"], "程雅", ("JP", "KR", "SG", "NZ", "AU"), 10, "endorsed"),
    (_EXTRA["yiluo"], "袁芳", ("RU", "KR", "JP", "SG"), 4, "submitted"),
    (_EXTRA["zhilian"], "方浩然", ("JP", "KR", "SG", "MY", "TH", "VN", "ID"), 2, "draft"),
]
REJECT_COMMENT = "申请人近三年无赴APEC经济体商务出访记录，暂不符合申办条件。"
RETURN_COMMENT = "护照资料页扫描件不清晰，请重新上传并补充近两年出访记录。"


def _image(text: str, size=(360, 480)) -> ContentFile:
    """A plain placeholder image (JPEG/PNG are what the upload check accepts)."""
    image = Image.new("RGB", size, (236, 240, 244))
    ImageDraw.Draw(image).text((20, 20), text, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"{text.lower().replace(' ', '-')}.png")


def _history(today: date) -> str:
    """The trips the applicant lists: the year and a half before the application."""
    trips = [(430, "新加坡 亚洲物流展"), (300, "日本 东京 客户拜访"), (160, "澳大利亚 悉尼 项目考察")]
    return "\n".join(f"{today - timedelta(days=days):%Y-%m} {what}" for days, what in trips)


def seed() -> int:
    organization = Organization.objects.get(uscc=DEMO_USCC)
    if CardApplication.objects.filter(organization=organization).exists():
        return 0
    demo = _Cards(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan_story(organization)
    if demo.year:
        demo.plan_year()
    return demo.play()


class _Cards:
    def __init__(self, *, year: bool):
        self.year = year
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.rng = random.Random(20262)
        self.exceptions = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        self.officer = User.objects.get(username="officer")
        self.admin = User.objects.get(username="admin")
        self.threads: list[list] = []  # each: (moment, action) in order, one card application's story
        self.created = 0
        self.beats_from = self.today - timedelta(days=470 if year else 190)

    # Calendar ----------------------------------------------------------------------------------------------

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def workday(self, day: date, forward: bool = False) -> date:
        while not is_working_day(day, self.exceptions):
            day += timedelta(days=1 if forward else -1)
        return day

    def office(self, day: date, hour: float | None = None) -> datetime:
        """Office hours on `day`, or on the working day before it."""
        return self.at(self.workday(day), hour if hour is not None else self.rng.uniform(9, 17))

    def ago(self, days: int, hour: float | None = None) -> datetime:
        return self.office(self.today - timedelta(days=days), hour)

    def later(self, moment: datetime, working_days: int) -> datetime:
        day = timezone.localtime(moment).date()
        for _ in range(working_days):
            day = self.workday(day + timedelta(days=1), forward=True)
        candidate = self.at(self.workday(day, forward=True), self.rng.uniform(9, 17))
        return candidate if candidate > moment else moment + timedelta(hours=1)

    # The story ---------------------------------------------------------------------------------------------

    def plan_story(self, organization: Organization) -> None:
        applicant, liaison = User.objects.get(username="applicant"), User.objects.get(username="liaison")
        today, ago = self.today, self.ago
        # The three travellers of the card demo joined the enterprise's records before 何静's first card.
        oldest = self.office(add_months(today - timedelta(days=3), -60) - timedelta(days=120))
        self.threads.append([(oldest, partial(self._people, organization))])
        story = partial(self._thread, organization, applicant, liaison)

        # 李娜: a card issued four and a half years ago that expires within six months.
        issued = self.office(add_months(today + timedelta(days=150), -60))
        requested = self.office(timezone.localtime(issued).date() - timedelta(days=100))
        story(
            "李娜",
            ("AU", "SG", "MY"),
            requested - timedelta(days=12),
            [(issued - timedelta(days=40), ["AU"]), (issued - timedelta(hours=5), ["SG", "MY"])],
            issue_at=issued,
            requested=requested,
        )
        # 何静: a card that expired three days ago (the beat expires it).
        issued = self.office(add_months(today - timedelta(days=3), -60))
        requested = self.office(timezone.localtime(issued).date() - timedelta(days=85))
        story(
            "何静",
            ("JP", "KR"),
            requested - timedelta(days=10),
            [(issued - timedelta(days=4), ["JP", "KR"])],
            issue_at=issued,
            requested=requested,
        )
        # 马骏: issued seven months ago, Thailand added later, reported lost; the replacement waits for the office.
        requested = ago(250)
        issued = ago(212)
        lost = ago(25)
        thread = story(
            "马骏",
            ("AU", "NZ", "TH", "VN"),
            ago(262),
            [(ago(216), ["AU", "NZ"]), (ago(160), ["TH"])],
            issue_at=issued,
            requested=requested,
        )
        lost_on = timezone.localtime(lost).date() - timedelta(days=4)
        thread.append(
            (
                lost,
                partial(
                    self._report_lost, "马骏", applicant, f"{lost_on:%Y年%-m月%-d日}在曼谷出差途中遗失。"
                ),
            )
        )
        replacement = self.later(lost, 1)
        thread.append(
            (replacement, partial(self._create, organization, applicant, "马骏", (), kind="replacement"))
        )
        key = f"{organization.pk}:马骏"
        thread.append((replacement + timedelta(minutes=40), partial(self._step, key, "submit", applicant)))
        thread.append((self.later(replacement, 2), partial(self._step, key, "endorse", liaison)))
        # 张伟: an early card: Australia and Japan approved, issued; Singapore added since; Korea pending.
        story(
            "张伟",
            ("AU", "JP", "SG", "KR"),
            ago(152),
            [(ago(100), ["AU"]), (ago(88), ["JP"]), (ago(20), ["SG"])],
            issue_at=ago(85),
            requested=ago(145),
        )
        # 陈晨: in pre-clearance: Chile refused, the others pending.
        story("陈晨", ("AU", "CL", "JP", "PE"), ago(76), [(ago(30), [("CL", "refused")])], requested=ago(68))
        # 郭婷婷: reviewed and not approved.
        asked = ("AU", "JP", "KR", "SG", "NZ", "TH")
        story("郭婷婷", asked, ago(42), [], stop=["submit", "endorse", "start_review"], reject_at=ago(33))
        # 杨帆: awaits the liaison; 刘敏: a draft.
        story("杨帆", asked, ago(3), [], stop=["submit"])
        story("刘敏", ("SG", "MY", "TH", "VN", "ID", "PH"), ago(1), [], stop=[])

    def _thread(
        self,
        organization,
        applicant,
        liaison,
        name,
        economies,
        created,
        answers,
        *,
        issue_at=None,
        requested=None,
        stop=None,
        reject_at=None,
        return_at=None,
    ) -> list:
        """The steps of one card application: created, submitted, endorsed, reviewed, pre-clearance asked,
        answers (moment, [economy or (economy, decision)]), issued; or only the steps in `stop`."""
        key = f"{organization.pk}:{name}"
        thread = [(created, partial(self._create, organization, applicant, name, economies))]
        submitted = self.later(created, self.rng.choice([0, 1, 2]))
        if submitted <= created:
            submitted = created + timedelta(minutes=35)
        endorsed = self.later(submitted, self.rng.choice([0, 1, 1, 2]))
        reviewed = self.later(endorsed, self.rng.choice([1, 2, 3]))
        if stop is not None:
            moments = {"submit": submitted, "endorse": endorsed, "start_review": reviewed}
            for step in stop:
                actor = liaison if step == "endorse" else applicant if step == "submit" else self.officer
                thread.append((moments[step], partial(self._step, key, step, actor)))
            if reject_at is not None:
                thread.append((reject_at, partial(self._step, key, "reject", self.officer, REJECT_COMMENT)))
            self.threads.append(thread)
            return thread
        thread.append((submitted, partial(self._step, key, "submit", applicant)))
        thread.append((endorsed, partial(self._step, key, "endorse", liaison)))
        if return_at is not None:  # returned by the officer; changed and filed again
            thread.append(
                (return_at, partial(self._step, key, "return_for_changes", self.officer, RETURN_COMMENT))
            )
            submitted = self.later(return_at, 2)
            endorsed = self.later(submitted, 1)
            reviewed = self.later(endorsed, 1)
            thread.append((submitted, partial(self._step, key, "resubmit", applicant)))
            thread.append((endorsed, partial(self._step, key, "endorse", liaison)))
        requested = max(requested or self.later(reviewed, 1), reviewed + timedelta(hours=1))
        thread.append((reviewed, partial(self._step, key, "start_review", self.officer)))
        thread.append((requested, partial(self._step, key, "request_preclearance", self.officer)))
        later = [
            (max(moment, requested + timedelta(hours=2)), partial(self._answers, key, batch))
            for moment, batch in answers
        ]
        if issue_at is not None:
            later.append(
                (issue_at, partial(self._step, key, "issue", self.officer, "经审核，符合申办条件。"))
            )
        if reject_at is not None:
            later.append((reject_at, partial(self._step, key, "reject", self.officer, REJECT_COMMENT)))
        # In order of the day they happen (on one day: the answers, then the decision).
        thread += sorted(later, key=lambda step: timezone.localtime(step[0]).date())
        self.threads.append(thread)
        return thread

    # The year ----------------------------------------------------------------------------------------------

    def plan_year(self) -> None:
        organizations = {
            o.uscc: o for o in Organization.objects.filter(uscc__in={row[0] for row in YEAR_CARDS})
        }
        users = {}
        for membership in Membership.objects.filter(organization__in=organizations.values()).select_related(
            "user"
        ):
            authors, liaisons = users.setdefault(membership.organization_id, ([], []))
            (liaisons if membership.is_liaison else authors).append(membership.user)
        rng = self.rng
        for uscc, name, economies, days, outcome in YEAR_CARDS:
            organization = organizations[uscc]
            authors, liaisons = users[organization.pk]
            liaison = liaisons[0]
            applicant = authors[0] if authors else liaison
            created = self.ago(days)
            if outcome in ("draft", "submitted", "endorsed", "in_review"):
                stop = {"draft": [], "submitted": ["submit"], "endorsed": ["submit", "endorse"]}.get(
                    outcome, ["submit", "endorse", "start_review"]
                )
                self._thread(organization, applicant, liaison, name, economies, created, [], stop=stop)
                continue
            if outcome == WITHDRAWN:
                thread = self._thread(
                    organization, applicant, liaison, name, economies, created, [], stop=["submit"]
                )
                key = f"{organization.pk}:{name}"
                thread.append((self.later(created, 6), partial(self._step, key, "withdraw", applicant)))
                continue
            if outcome == REJECTED:
                stop = ["submit", "endorse", "start_review"]
                self._thread(
                    organization,
                    applicant,
                    liaison,
                    name,
                    economies,
                    created,
                    [],
                    stop=stop,
                    reject_at=self.later(created, 9),
                )
                continue
            return_at = self.later(created, 5) if outcome == RETURNED else None
            requested = self.later(created, 11 if return_at else 5)
            # Each economy answers in its time; the office records what came in the first two months, and
            # the rest when it has come (each recording after the issue renders the letter again).
            asked_on = timezone.localtime(requested).date()
            batches = {}
            for code in economies:
                low, high = ANSWER_DAYS[code]
                waited = rng.randint(low, high)
                decision = "refused" if rng.random() < 0.06 else "approved"
                batches.setdefault(waited > 60, []).append((waited, code, decision))
            answers = [
                (
                    self.office(asked_on + timedelta(days=max(w for w, _c, _d in batch) + 1)),
                    [(c, d) for _w, c, d in batch],
                )
                for _late, batch in sorted(batches.items())
            ]
            issue_at = None
            if outcome != PRECLEARANCE:
                first = next(
                    (moment for moment, batch in answers if any(d == "approved" for _c, d in batch)), None
                )
                if first is not None:
                    issue_at = self.later(first, rng.choice([1, 2, 3, 5]))
            self._thread(
                organization,
                applicant,
                liaison,
                name,
                economies,
                created,
                answers,
                issue_at=issue_at,
                requested=requested,
                return_at=return_at,
            )

    # Playing -----------------------------------------------------------------------------------------------

    def play(self) -> int:
        self.applications: dict[str, CardApplication] = {}
        with DemoClock() as clock:
            timeline = Timeline(clock)
            for number, thread in enumerate(self.threads):
                previous = None
                for moment, action in thread:
                    # In the order planned: a step that fell on the same day as the one before comes after it.
                    if previous is not None and moment <= previous:
                        moment = previous + timedelta(minutes=25)
                    previous = moment
                    timeline.add(
                        moment, action, thread=number, label=f"card {number} {getattr(action, 'args', '')}"
                    )
            day = self.beats_from
            while day <= self.today:
                # The beat: cards past their date expire after midnight; reminders before expiry at ten past nine.
                timeline.add(self.at(day, 0.17), services.expire_cards, label="expire cards")
                timeline.add(self.at(day, 9.17), services.send_expiry_reminders, label="expiry reminders")
                day += timedelta(days=1)
            timeline.run()
        return self.created

    def _people(self, organization) -> None:
        for name, pinyin, gender, born, position, number, days in EXTRA_PEOPLE:
            if not Person.objects.filter(organization=organization, full_name=name).exists():
                accounts_services.person_create(
                    organization=organization,
                    actor=self.admin,
                    full_name=name,
                    pinyin_name=pinyin,
                    gender=gender,
                    birth_date=born,
                    position=position,
                    passport_type=PassportType.ORDINARY,
                    passport_number=number,
                    passport_expiry=self.today + timedelta(days=days),
                )

    def _create(self, organization, applicant, name, economies, *, kind="new") -> None:
        person = Person.objects.get(organization=organization, full_name=name)
        data = {
            "person": person,
            "kind": kind,
            "justification": JUSTIFICATION,
            "travel_history": _history(timezone.localdate()),
        }
        if economies is not None:
            data["economies"] = list(economies)
        application = services.application_create(actor=applicant, organization=organization, data=data)
        for kind_, text in (("passport", "PASSPORT DATA PAGE (SPECIMEN)"), ("photo", "PHOTO")):
            services.attachment_add(
                application=application, actor=applicant, kind=kind_, uploaded_file=_image(text)
            )
        self.applications[f"{organization.pk}:{name}"] = application
        self.created += 1

    def _step(self, key, name, actor, comment="") -> None:
        self.applications[key] = services.application_transition(
            application=self.applications[key], actor=actor, name=name, comment=comment
        )

    def _answers(self, key, batch) -> None:
        for item in batch:
            economy, decision = (item, "approved") if isinstance(item, str) else item
            services.preclearance_record(
                application=self.applications[key],
                actor=self.officer,
                economy=economy,
                decision=decision,
                decided_on=timezone.localdate(),
            )

    def _report_lost(self, name, actor, comment) -> None:
        card = Card.objects.get(holder__full_name=name, holder__organization__uscc=DEMO_USCC, state="active")
        services.card_transition(card=card, actor=actor, name="report_lost", comment=comment)
