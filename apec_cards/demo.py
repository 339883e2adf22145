"""Demo APEC card applications and cards in several states (seed_demo), made through the services.

Zhengzhou Demo Trading: 张伟 holds an early card (Australia and Japan approved, Singapore added later,
Korea still pending); 李娜's card expires within six months (renewal open); 马骏 reported his card lost
and applied for a replacement (endorsed, awaiting the office); 何静's card has expired; 陈晨 is in
pre-clearance, 杨帆 awaits the liaison's endorsement, 刘敏 has a draft and 郭婷婷 was not approved.
Cards that have lived a while are issued today and then moved into the past.
"""

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from foreign_affairs.accounts import services as accounts_services
from foreign_affairs.accounts.models import Gender, Organization, PassportType, Person, User

from . import services
from .models import Card, CardApplication
from .terms import add_months

DEMO_USCC = "91410100MA47XK3T84"
JUSTIFICATION = "负责公司亚太区市场开拓与客户维护，每年赴APEC经济体开展商务洽谈、参展及项目考察六次以上。"
HISTORY = "2025-03 新加坡 亚洲物流展\n2025-06 日本 东京 客户拜访\n2025-10 澳大利亚 悉尼 项目考察"
# Travellers added for the card demo: name, pinyin, gender, birth date, position, passport, days to expiry
EXTRA_PEOPLE = [
    ("马骏", "MA JUN", Gender.MALE, date(1983, 4, 12), "亚太区销售总监", "E56781234", 2600),
    ("何静", "HE JING", Gender.FEMALE, date(1986, 8, 21), "采购经理", "E56781235", 2400),
    ("郭婷婷", "GUO TINGTING", Gender.FEMALE, date(1995, 1, 3), "销售专员", "E56781236", 2800),
]


def _image(text: str, size=(360, 480)) -> ContentFile:
    """A plain placeholder image (JPEG/PNG are what the upload check accepts)."""
    image = Image.new("RGB", size, (236, 240, 244))
    ImageDraw.Draw(image).text((20, 20), text, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"{text.lower().replace(' ', '-')}.png")


def _people(organization, admin) -> dict[str, Person]:
    today = timezone.localdate()
    for name, pinyin, gender, born, position, number, days in EXTRA_PEOPLE:
        if not Person.objects.filter(organization=organization, full_name=name).exists():
            accounts_services.person_create(
                organization=organization,
                actor=admin,
                full_name=name,
                pinyin_name=pinyin,
                gender=gender,
                birth_date=born,
                position=position,
                passport_type=PassportType.ORDINARY,
                passport_number=number,
                passport_expiry=today + timedelta(days=days),
            )
    return {person.full_name: person for person in Person.objects.filter(organization=organization)}


def seed() -> int:
    organization = Organization.objects.get(uscc=DEMO_USCC)
    if CardApplication.objects.filter(organization=organization).exists():
        return 0
    users = {name: User.objects.get(username=name) for name in ("applicant", "liaison", "officer", "admin")}
    people = _people(organization, users["admin"])
    applicant, liaison, officer = users["applicant"], users["liaison"], users["officer"]

    def apply(name, kind="new", economies=("AU", "JP", "KR", "SG", "NZ", "TH"), **data):
        application = services.application_create(
            actor=applicant,
            organization=organization,
            data={
                "person": people[name],
                "kind": kind,
                "economies": list(economies),
                "justification": JUSTIFICATION,
                "travel_history": HISTORY,
                **data,
            },
        )
        for kind_, text in (("passport", "PASSPORT DATA PAGE (SPECIMEN)"), ("photo", "PHOTO")):
            services.attachment_add(
                application=application, actor=applicant, kind=kind_, uploaded_file=_image(text)
            )
        return application

    def step(application, *names, comment=""):
        actors = {"submit": applicant, "resubmit": applicant, "withdraw": applicant, "endorse": liaison}
        for name in names:
            application = services.application_transition(
                application=application, actor=actors.get(name, officer), name=name, comment=comment
            )
        return application

    def answer(application, economy, decision="approved"):
        services.preclearance_record(
            application=application,
            actor=officer,
            economy=economy,
            decision=decision,
            decided_on=timezone.localdate(),
        )

    def issued(name, economies, approve):
        application = step(
            apply(name, economies=economies), "submit", "endorse", "start_review", "request_preclearance"
        )
        for economy in approve:
            answer(application, economy)
        return step(application, "issue", comment="经审核，符合申办条件。").card

    count = 0
    # 张伟: early card; Singapore answers after the issue, Korea has not answered yet.
    card = issued("张伟", ("AU", "JP", "SG", "KR"), ("AU", "JP"))
    answer(card.application, "SG")
    count += 1
    # 李娜: a card issued four and a half years ago that expires within six months.
    _age(issued("李娜", ("AU", "SG", "MY"), ("AU", "SG", "MY")), expires_in_days=150)
    count += 1
    # 何静: an expired card.
    _age(issued("何静", ("JP", "KR"), ("JP", "KR")), expires_in_days=-3)
    services.expire_cards()
    count += 1
    # 马骏: card reported lost; the replacement is endorsed and waits for the office.
    lost = issued("马骏", ("AU", "NZ", "TH", "VN"), ("AU", "NZ", "TH"))
    services.card_transition(
        card=lost, actor=applicant, name="report_lost", comment="2026年10月在曼谷出差途中遗失。"
    )
    step(apply("马骏", kind="replacement", economies=()), "submit", "endorse")
    count += 2
    # 陈晨: in pre-clearance; Chile refused, the others pending.
    chen = step(
        apply("陈晨", economies=("AU", "CL", "JP", "PE")),
        "submit",
        "endorse",
        "start_review",
        "request_preclearance",
    )
    answer(chen, "CL", "refused")
    count += 1
    step(apply("杨帆"), "submit")  # awaits the liaison
    apply("刘敏", economies=("SG", "MY", "TH", "VN", "ID", "PH"))  # a draft
    rejected = step(apply("郭婷婷"), "submit", "endorse", "start_review")
    step(rejected, "reject", comment="申请人近三年无赴APEC经济体商务出访记录，暂不符合申办条件。")
    return count + 3


def _age(card: Card, *, expires_in_days: int) -> None:
    """Move an issued card back in time so that it expires in `expires_in_days` days."""
    expires_on = timezone.localdate() + timedelta(days=expires_in_days)
    issued_on = add_months(expires_on, -60)
    Card.objects.filter(pk=card.pk).update(
        issued_on=issued_on, term_started_on=issued_on, expires_on=expires_on
    )
