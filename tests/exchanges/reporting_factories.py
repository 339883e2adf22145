"""A half year of exchanges whose figures are known, shared by the reports' and the start page's tests.

Today is 2026-07-01 10:00 (Asia/Shanghai). The officer proposes and owns every activity (incoming visits,
each with the reception checklist); the leader approves. Z, L, K, O: the Zhengzhou, Luoyang and Kaifeng
areas and outside the zone; "p" the zone presented.

    key  kind                 areas  country  dates         state      p  focus
    A1   dignitary visit      Z      DE       Apr 10–12     closed     p  platforms, connectivity
    A2   provincial exchange  Z, L   FR       May 5–6       reported   p  plans
    A3   friendship city      K      JP       May 20–21     held          coordination
    A4   media interview      L      US       Jun 3         held       p  pivots, platforms
    A10  other                —      —        Jun 25–26     held          —
    A5   overseas Chinese     Z      IT       Jun 15–16     proposed      platforms, connectivity
    A6   dignitary visit      Z      GB       Jun 10–11     cancelled  p  platforms, connectivity
    A9   dignitary visit      K      DE       Jun 28–Jul 2  confirmed     platforms, connectivity
    A11  dignitary visit      L      KR       May 12–13     postponed     platforms, connectivity
    A7   other                O      SG       Jul 20–22     approved      platforms, connectivity
    A8   provincial exchange  K      DE       Mar 20–21     closed     p  platforms, connectivity

A1 visits the enterprise and hands materials over; agreements are signed in A1 (an agreement on Apr 11, a
memorandum on Apr 12), A3 (a letter of intent on May 21, A3 being of the Kaifeng–Toda pair) and A8 (Mar 21).
A7 is to visit the enterprise.

April to June: 5 held (A1 A2 A3 A4 A10), 3 of them presenting the zone (60 %), 3 planned (A5 A9 A11), 1
cancelled; 3 agreements in 2 activities (April 2, May 1). This year: 6 held, 4 presenting the zone.

The officer's reception checklist items, not done: A9 interpreters due Jun 30 (overdue), A7 gifts due Jul 15,
A7 arrival without a date (A9's invitation is done, A9's arrival is the other officer's, A6's security is of
a cancelled visit). Follow-up tasks: the officer's A1 Jun 25 (overdue), A2 Jul 5 (due within 7 days), A2
Aug 1 (later), A1 Jun 20 done; the other officer's A2 Jul 3. Held more than 14 days ago and not reported: A3,
A4 (A10 ended on Jun 26). Interview requests: two requested, one declined.

Friendship cities: Kaifeng–Toda (A3 in May: active), Zhengzhou–Lyon (2016) and Luoyang–Tours (2019), never an
exchange (dormant), Zhengzhou–Bremen (2024, an agreement to renew by Oct 1: needs attention).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from exchanges.services import activities, cities, media

from .factories import activity, city, media_request, run

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)


def _made(officer, leader, state: str, *, outcomes: str = "Two agreements signed.", **data):
    """An activity of `data` taken to `state` through the services."""
    item = activity(officer, **data)
    if state == "proposed":
        return item
    if state == "cancelled":
        return run(item, officer, "cancel", comment="The delegation could not travel.")
    if state == "postponed":
        return run(item, leader, "postpone", comment="The minister's schedule changed.")
    item = run(item, leader, "approve")
    if state == "approved":
        return item
    item = run(item, officer, "confirm")
    if state == "confirmed":
        return item
    item = run(item, officer, "hold")
    if state == "held":
        return item
    activities.activity_update(activity=item, actor=officer, data={"outcome_summary_en": outcomes})
    item = run(item, officer, "report")
    return item if state == "reported" else run(item, officer, "close")


def _dates(first: date, last: date | None = None) -> dict:
    return {"starts_on": first, "ends_on": last or first}


def _assign(item, kind: str, user, actor, due_on=None, *, done=False):
    found = item.checklist.get(kind=kind)
    data = {"assignee": user.pk, "due_on": due_on or ""}
    if done:
        data["done"] = True
    return activities.checklist_update(item=found, actor=actor, data=data)


def _follow_up(item, officer, owner, due_on: date, task: str, *, done=False):
    made = activities.follow_up_add(
        activity=item, actor=officer, data={"task": task, "owner": owner.pk, "due_on": due_on}
    )
    if done:
        activities.follow_up_done(follow_up=made, actor=owner)
    return made


def exchange_half_year(officer, other_officer, leader, organization) -> dict:
    """The activities, agreements, checklist items, follow-ups, interview requests and friendship cities of
    the module's table, made at TODAY."""
    made: dict = {}
    with time_machine.travel(TODAY, tick=False):
        made["toda"] = city(
            officer,
            henan_name_zh="开封市",
            henan_name_en="Kaifeng",
            foreign_name_zh="户田市",
            foreign_name_en="Toda",
            country="JP",
            established_on="2010-05-01",
        )
        made["lyon"] = city(officer)
        made["tours"] = city(
            officer,
            henan_name_zh="洛阳市",
            henan_name_en="Luoyang",
            foreign_name_zh="图尔",
            foreign_name_en="Tours",
            established_on="2019-01-01",
        )
        made["bremen"] = city(
            officer,
            foreign_name_zh="不来梅",
            foreign_name_en="Bremen",
            country="DE",
            kind="friendly_exchange",
            established_on="2024-01-15",
        )
        cities.agreement_add(
            city=made["bremen"],
            actor=officer,
            data={"title": "友好交流协议", "signed_on": "2024-01-15", "renew_by": "2026-10-01"},
        )

        made["A1"] = _made(
            officer,
            leader,
            "closed",
            **_dates(date(2026, 4, 10), date(2026, 4, 12)),
            zone_presented=True,
            materials="Zone brochure (Chinese, German)",
            enterprises_visited=[organization.pk],
        )
        made["A2"] = _made(
            officer,
            leader,
            "reported",
            **_dates(date(2026, 5, 5), date(2026, 5, 6)),
            kind="provincial_exchange",
            title_zh="河南省代表团与法国奥弗涅-罗讷-阿尔卑斯大区会谈",
            title_en="Henan delegation meets Auvergne-Rhône-Alpes",
            ftz_areas=["zhengzhou", "luoyang"],
            country="FR",
            zone_presented=True,
            focus=["plans"],
        )
        made["A3"] = _made(
            officer,
            leader,
            "held",
            **_dates(date(2026, 5, 20), date(2026, 5, 21)),
            kind="friendship_city",
            title_zh="户田市代表团访问开封",
            title_en="A delegation of Toda visits Kaifeng",
            ftz_areas=["kaifeng"],
            country="JP",
            focus=["coordination"],
            friendship_city=made["toda"].pk,
        )
        made["A4"] = _made(
            officer,
            leader,
            "held",
            **_dates(date(2026, 6, 3)),
            kind="media_interview",
            title_zh="美国记者采访洛阳片区",
            title_en="American journalists in the Luoyang area",
            ftz_areas=["luoyang"],
            country="US",
            zone_presented=True,
            focus=["pivots", "platforms"],
        )
        made["A10"] = _made(
            officer,
            leader,
            "held",
            **_dates(date(2026, 6, 25), date(2026, 6, 26)),
            kind="other",
            title_zh="线上交流会",
            title_en="An online exchange",
            ftz_areas=[],
            country="",
            focus=[],
        )
        made["A5"] = _made(
            officer,
            leader,
            "proposed",
            **_dates(date(2026, 6, 15), date(2026, 6, 16)),
            kind="overseas_chinese",
            title_zh="意大利侨领座谈会",
            title_en="Meeting with overseas-Chinese leaders from Italy",
            country="IT",
        )
        made["A6"] = _made(
            officer,
            leader,
            "proposed",
            **_dates(date(2026, 6, 10), date(2026, 6, 11)),
            title_zh="英国贸易代表团访问郑州",
            title_en="A British trade delegation visits Zhengzhou",
            country="GB",
            zone_presented=True,
        )
        _assign(made["A6"], "security", officer, officer, date(2026, 6, 5))
        made["A6"] = run(made["A6"], officer, "cancel", comment="The delegation could not travel.")
        made["A9"] = _made(
            officer,
            leader,
            "confirmed",
            **_dates(date(2026, 6, 28), date(2026, 7, 2)),
            title_zh="德国萨克森州代表团访问开封",
            title_en="A delegation of Saxony visits Kaifeng",
            ftz_areas=["kaifeng"],
        )
        _assign(made["A9"], "interpreters", officer, officer, date(2026, 6, 30))
        _assign(made["A9"], "invitation", officer, officer, date(2026, 6, 1), done=True)
        _assign(made["A9"], "arrival", other_officer, officer, date(2026, 6, 29))
        made["A11"] = _made(
            officer,
            leader,
            "postponed",
            **_dates(date(2026, 5, 12), date(2026, 5, 13)),
            title_zh="韩国京畿道代表团访问洛阳",
            title_en="A delegation of Gyeonggi visits Luoyang",
            ftz_areas=["luoyang"],
            country="KR",
        )
        made["A7"] = _made(
            officer,
            leader,
            "approved",
            **_dates(date(2026, 7, 20), date(2026, 7, 22)),
            kind="other",
            title_zh="新加坡企业家访问团",
            title_en="Singaporean entrepreneurs visit the enterprise",
            ftz_areas=["outside"],
            country="SG",
            enterprises_visited=[organization.pk],
        )
        _assign(made["A7"], "gifts", officer, officer, date(2026, 7, 15))
        _assign(made["A7"], "arrival", officer, officer)
        made["A8"] = _made(
            officer,
            leader,
            "closed",
            **_dates(date(2026, 3, 20), date(2026, 3, 21)),
            kind="provincial_exchange",
            title_zh="省领导会见德国客人",
            title_en="Provincial leaders receive German guests",
            ftz_areas=["kaifeng"],
            zone_presented=True,
        )

        made["agreements"] = [
            activities.agreement_add(
                activity=made["A1"],
                actor=officer,
                data={
                    "kind": "agreement",
                    "title": "郑州—巴伐利亚物流合作协议",
                    "parties": "郑州市人民政府；Bayerisches Staatsministerium",
                    "signed_on": date(2026, 4, 11),
                },
            ),
            activities.agreement_add(
                activity=made["A1"],
                actor=officer,
                data={
                    "kind": "memorandum",
                    "title": "跨境电商合作备忘录",
                    "parties": "河南自贸试验区郑州片区；bayern international",
                    "signed_on": date(2026, 4, 12),
                },
            ),
            activities.agreement_add(
                activity=made["A3"],
                actor=officer,
                data={
                    "kind": "letter_of_intent",
                    "title": "开封—户田文化旅游合作意向书",
                    "parties": "开封市人民政府；户田市",
                    "signed_on": date(2026, 5, 21),
                },
            ),
            activities.agreement_add(
                activity=made["A8"],
                actor=officer,
                data={"title": "开封片区合作协议", "signed_on": date(2026, 3, 21)},
            ),
        ]

        made["follow_ups"] = [
            _follow_up(made["A1"], officer, officer, date(2026, 6, 25), "Send the logistics study"),
            _follow_up(made["A2"], officer, officer, date(2026, 7, 5), "Invite the region to the expo"),
            _follow_up(made["A2"], officer, officer, date(2026, 8, 1), "Prepare the return visit"),
            _follow_up(made["A1"], officer, officer, date(2026, 6, 20), "Thank the delegation", done=True),
            _follow_up(made["A2"], officer, other_officer, date(2026, 7, 3), "Translate the minutes"),
        ]

        made["media"] = [media_request(), media_request(outlet="Nikkei Asia", outlet_country="JP")]
        declined = media_request(outlet="Daily Example", outlet_country="GB")
        made["declined"] = media.media_request_run(
            request=declined, actor=officer, name="decline", comment="No interviewee available."
        )
    return made
