"""Building cooperation-project records through the services, as the doors do."""

from foreign_affairs.accounts.roles import Role
from projects.models import Industry
from projects.services import interest as interest_services
from projects.services import projects

PROJECT = {
    "title_zh": "中德新能源汽车零部件合资项目",
    "title_en": "Sino-German joint venture for new-energy vehicle parts",
    "description_zh": "郑州片区汽车零部件企业寻求德国合作伙伴，共建电驱动系统生产线。",
    "description_en": "A Zhengzhou area parts maker seeks a German partner for an electric drive production line.",
    "channel": "foreign_affairs",
    "ftz_area": "zhengzhou",
    "mode": "joint_venture",
    "partner_country": "DE",
    "partner_city": "Stuttgart",
    "partner_organisation": "Schwaben Antriebstechnik GmbH",
    "amount": "12000000.00",
    "currency": "EUR",
    "contact_name": "王磊",
    "contact_email": "wang.lei@example.cn",
}

INTEREST = {
    "name": "Maria Rossi",
    "organisation": "Torino Components S.p.A.",
    "country": "IT",
    "email": "maria.rossi@example.it",
    "message": "We make electric drive housings and would like to join the line.",
}


def industry(code="automobiles") -> Industry:
    return Industry.objects.get(code=code)


def project(actor, *, enterprises=(), industries=("automobiles",), **overrides):
    data = {**PROJECT, "industries": [industry(c).pk for c in industries], **overrides}
    if enterprises and actor.has_role(Role.OFFICER):
        data["enterprises"] = [e.pk for e in enterprises]
    return projects.project_create(actor=actor, data=data)


def published(officer, **overrides):
    item = project(officer, **overrides)
    return projects.publication_run(project=item, actor=officer, name="publish")


def interest(item, **overrides):
    return interest_services.interest_express(project=item, data={**INTEREST, **overrides}, language="en")
