"""Building exchange records through the services, as the doors do."""

from datetime import timedelta

from django.utils import timezone

from exchanges.services import activities, cities, contacts, media


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


ACTIVITY = {
    "kind": "dignitary_visit",
    "direction": "incoming",
    "title_zh": "德国巴伐利亚州经济代表团访问郑州片区",
    "title_en": "Bavarian economic delegation visits the Zhengzhou area",
    "summary_zh": "代表团考察自贸试验区跨境电商和物流平台。",
    "summary_en": "The delegation visits the zone's cross-border e-commerce and logistics platforms.",
    "ftz_areas": ["zhengzhou"],
    "city": "郑州",
    "venue": "河南省人民政府外事办公室",
    "country": "DE",
    "foreign_organisation": "Bayerisches Staatsministerium für Wirtschaft",
    "head_name": "Dr. Anna Huber",
    "head_title": "State Secretary",
    "head_rank": "vice_minister",
    "members": "Max Bauer, Head of Division\nLena Vogel, Adviser",
    "delegation_size": 8,
    "hosts": "省外办主任",
    "focus": ["platforms", "connectivity"],
}

MEDIA_REQUEST = {
    "journalist_name": "Claire Martin",
    "email": "claire.martin@example.fr",
    "phone": "+33 1 23 45 67 89",
    "outlet": "Le Quotidien Économique",
    "outlet_country": "FR",
    "press_card": "FR-2026-11873, Commission de la carte d'identité des journalistes professionnels",
    "topic": "How the Henan Free Trade Zone links Zhengzhou's airport to European markets.",
    "people_wished": "A logistics enterprise; an official of the zone",
    "sites_wished": "Zhengzhou airport economy zone",
}

CITY = {
    "henan_name_zh": "郑州市",
    "henan_name_en": "Zhengzhou",
    "foreign_name_zh": "里昂",
    "foreign_name_en": "Lyon",
    "country": "FR",
    "kind": "formal",
    "established_on": "2016-06-01",
}

CONTACT = {
    "name_zh": "陈立华",
    "name_latin": "Chen Lihua",
    "country": "IT",
    "city": "Milano",
    "association": "意大利河南同乡会",
    "role": "会长",
    "phone": "+39 02 1234 5678",
    "email": "chen.lihua@example.it",
    "consent": True,
    "consent_on": "2026-03-01",
    "consent_basis": "writing",
}


def activity(officer, *, starts_in=10, length=2, **overrides):
    data = {**ACTIVITY, "starts_on": days(starts_in), "ends_on": days(starts_in + length), **overrides}
    return activities.activity_create(actor=officer, data=data)


def run(item, actor, *names, comment=""):
    for name in names:
        item = activities.activity_run(activity=item, actor=actor, name=name, comment=comment)
    return item


def media_request(**overrides):
    data = {**MEDIA_REQUEST, "wished_from": days(20), "wished_until": days(25), **overrides}
    return media.media_request_submit(data=data, language="en")


def city(officer, **overrides):
    return cities.city_create(actor=officer, data={**CITY, **overrides})


def contact(officer, **overrides):
    return contacts.contact_create(actor=officer, data={**CONTACT, **overrides})
