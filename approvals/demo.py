"""Demo travel applications in every state (seed_demo), made through the services like real ones.

Trips that have already happened (permit issued and awaiting the report, report submitted, closed) are
made as future trips and then moved into the past, because the rules refuse a trip that has begun.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from foreign_affairs.accounts.models import Organization, Person, User
from foreign_affairs.documents.pdf import render_pdf

from . import services
from .models import DisclosureOutcome, ItineraryLeg, TravelApplication

# title, legs (country, city, host, days), member names (leader first), the states to walk through, comments
TRIPS = [
    ("赴德国汉堡港洽谈物流合作", [("DE", "汉堡", "Hamburg Port Logistics AG", 4)], ["张伟", "杨帆"], []),
    ("参加新加坡国际物流展", [("SG", "新加坡", "Singapore Expo Pte Ltd", 4)], ["杨帆", "陈晨"], ["submit"]),
    (
        "赴日本、韩国考察跨境电商",
        [("JP", "东京", "JETRO Tokyo", 3), ("KR", "首尔", "KITA Seoul", 3)],
        ["陈晨", "李娜"],
        ["submit", "endorse"],
    ),
    (
        "赴法国参加中欧班列合作论坛",
        [("FR", "里昂", "Lyon Expo SA", 4)],
        ["张伟", "刘敏"],
        ["submit", "endorse", ("return_for_changes", "请补充论坛主办方盖章的邀请函及详细日程。")],
    ),
    (
        "赴哈萨克斯坦推进“一带一路”物流园项目",
        [("KZ", "阿拉木图", "Almaty Logistics Hub", 9)],
        ["张伟", "陈晨"],
        ["submit", "endorse", "escalate"],
    ),
    (
        "赴意大利米兰参加国际食品展",
        [("IT", "米兰", "Fiera Milano", 4)],
        ["刘敏", "陈晨"],
        ["submit", "endorse", "approve"],
    ),
    (
        "赴美国洽谈投资合作",
        [("US", "洛杉矶", "LA Trade Council", 5)],
        ["杨帆", "李娜"],
        ["submit", "endorse", ("reject", "邀请单位资质不足，出访必要性不充分。")],
    ),
    ("赴英国参加航运峰会", [("GB", "伦敦", "London Shipping Forum", 3)], ["陈晨", "杨帆"], ["withdraw"]),
    (
        "赴荷兰考察冷链物流",
        [("NL", "鹿特丹", "Port of Rotterdam", 4)],
        ["刘敏", "李娜"],
        ["submit", "endorse", "approve", ("cancel", "合作方会议延期。")],
    ),
]
# Trips that already happened: (title, legs, members, transitions after approval, days ago they ended)
PAST_TRIPS = [
    ("赴波兰罗兹考察中欧班列终点站", [("PL", "罗兹", "Lodz Logistics Centre", 4)], ["张伟", "刘敏"], [], 5),
    (
        "赴匈牙利布达佩斯参加经贸洽谈会",
        [("HU", "布达佩斯", "HEPA Budapest", 4)],
        ["杨帆", "陈晨"],
        ["submit_report"],
        30,
    ),
    (
        "赴阿联酋迪拜参加物流博览会",
        [("AE", "迪拜", "Dubai World Trade Centre", 4)],
        ["陈晨", "李娜"],
        ["submit_report", "accept_report"],
        60,
    ),
]


def seed() -> int:
    organization = Organization.objects.get(uscc="91410100MA47XK3T84")
    if TravelApplication.objects.filter(organization=organization).exists():
        return 0
    users = {name: User.objects.get(username=name) for name in ("applicant", "liaison", "officer", "leader")}
    actors = {
        "submit": "applicant",
        "resubmit": "applicant",
        "withdraw": "applicant",
        "cancel": "applicant",
        "submit_report": "applicant",
        "endorse": "liaison",
        "approve": "officer",
        "escalate": "officer",
        "reject": "officer",
        "return_for_changes": "officer",
        "accept_report": "officer",
        "sign_off": "leader",
    }
    created = 0
    start = timezone.localdate() + timedelta(days=50)
    for index, (title, legs, members, steps) in enumerate(TRIPS):
        application = _create(
            organization, users["applicant"], title, legs, members, start + timedelta(days=index * 9)
        )
        services.application_assign(
            application=application, actor=users["officer"], officer=users["officer"]
        ) if "endorse" in [s if isinstance(s, str) else s[0] for s in steps] else None
        for step in steps:
            name, comment = (step, "") if isinstance(step, str) else step
            services.application_transition(
                application=application, actor=users[actors[name]], name=name, comment=comment
            )
        created += 1
    for title, legs, members, steps, ended_days_ago in PAST_TRIPS:
        application = _create(organization, users["applicant"], title, legs, members, start)
        for name in ("submit", "endorse", "approve"):
            services.application_transition(application=application, actor=users[actors[name]], name=name)
        # The public notice ran its course without objection; the permit follows.
        application.disclosures.update(outcome=DisclosureOutcome.COMPLETED, closed_at=timezone.now())
        _move_into_the_past(application, ended_days_ago)
        services.permit_issue(application_id=application.pk)
        application.refresh_from_db()
        # The recent trip's passports are still out (not yet due); 杨帆 has kept his a month: overdue.
        _passports(application, users["liaison"], kept=None if ended_days_ago < 10 else {"杨帆"})
        for name in steps:
            report = {
                "summary": "代表团完成既定考察任务，与对方签署合作备忘录一份。",
                "outcomes": "合作备忘录 1 份",
                "actual_return_date": application.return_date,
            }
            services.application_transition(
                application=application, actor=users[actors[name]], name=name, report=report
            )
        created += 1
    return created


def _create(organization, applicant, title, legs, member_names, departure):
    people = {person.full_name: person for person in Person.objects.filter(organization=organization)}
    itinerary, day = [], departure
    for country, city, host, days in legs:
        itinerary.append(
            {
                "country": country,
                "city": city,
                "host_organization": host,
                "arrive_on": day,
                "leave_on": day + timedelta(days=days - 1),
            }
        )
        day += timedelta(days=days)
    application = services.application_create(
        actor=applicant,
        organization=organization,
        data={
            "title": title,
            "purpose": f"{title}，推进自贸区企业国际合作。",
            "mission_type": "business_negotiation",
            "belt_and_road": "一带一路" in title,
            "budget_amount": 60000 + 15000 * len(member_names),
            "budget_currency": "CNY",
            "funding_source": "own_funds",
            "contact_name": "李娜",
            "contact_phone": "0371-6555 0101",
            "justification": "项目落地需现场踏勘园区并与三方签约。" if legs[0][3] > 5 else "",
        },
        legs=itinerary,
        members=[
            {"person": people[name], "position_on_trip": "团长" if i == 0 else "团员", "is_leader": i == 0}
            for i, name in enumerate(member_names)
        ],
    )
    first = legs[0]
    letter = render_pdf(
        "approvals/pdf/demo_invitation.html",
        {
            "organization": organization,
            "host": first[2],
            "city": first[1],
            "date": timezone.localdate(),
            "leader": member_names[0],
            "arrive": departure,
            "leave": departure + timedelta(days=first[3] - 1),
        },
    )
    services.attachment_add(
        application=application,
        actor=applicant,
        kind="invitation",
        uploaded_file=ContentFile(letter, name="invitation.pdf"),
    )
    return application


def _passports(application, liaison, *, kept: set | None) -> None:
    """The members' official passports were handed out for the trip and came back, except those in
    `kept` (None: none came back yet)."""
    from django.utils import timezone as tz

    from .models import PassportHandover

    for member in application.members.select_related("person"):
        handover = services.passport_hand_out(
            application=application, person=member.person, actor=liaison, handed_to=member.person.full_name
        )
        PassportHandover.objects.filter(pk=handover.pk).update(
            handed_out_at=tz.make_aware(
                tz.datetime.combine(application.departure_date, tz.datetime.min.time())
            )
            - timedelta(days=2)
        )
        if kept is not None and member.person.full_name not in kept:
            services.passport_return(handover=handover, actor=liaison)


def _move_into_the_past(application, ended_days_ago: int) -> None:
    shift = application.return_date - (timezone.localdate() - timedelta(days=ended_days_ago))
    for leg in application.legs.all():
        ItineraryLeg.objects.filter(pk=leg.pk).update(
            arrive_on=leg.arrive_on - shift, leave_on=leg.leave_on - shift
        )
    services.refresh_summary(application)
    TravelApplication.objects.filter(pk=application.pk).update(
        departure_date=application.departure_date, return_date=application.return_date
    )
    application.refresh_from_db()
