"""factory_boy factories; users come with the role they are named for."""

import random
from datetime import date, timedelta

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from foreign_affairs.accounts.models import FTZArea, Membership, Organization, PassportType, Person, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import USCC_ALPHABET, uscc_check_character


def make_uscc(n: int) -> str:
    first17 = "91410100" + "".join(USCC_ALPHABET[(n * 7 + i * 13) % 31] for i in range(9))
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "伟"
    last_name = factory.Iterator(["张", "王", "李", "赵"])
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(settings.DEMO_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            if set(extracted) & {Role.OFFICER, Role.LEADER, Role.MANAGER}:
                self.is_staff = True
            self.save()
            self.__dict__.pop("roles", None)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_zh = factory.Sequence(lambda n: f"河南测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Henan Test Enterprise {n} Co., Ltd.")
    uscc = factory.Sequence(make_uscc)
    ftz_area = FTZArea.ZHENGZHOU


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    is_liaison = False

    @factory.post_generation
    def sync_roles(self, create, extracted, **kwargs):
        if create:
            self.user.groups.add(*Group.objects.filter(name__in=self.roles))
            self.user.__dict__.pop("roles", None)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Iterator(["张三", "李四", "王五", "赵六"])
    pinyin_name = factory.Iterator(["ZHANG SAN", "LI SI", "WANG WU", "ZHAO LIU"])
    gender = "male"
    birth_date = date(1985, 6, 1)
    position = "经理"
    passport_type = PassportType.OFFICIAL_ORDINARY
    passport_number = factory.Sequence(lambda n: f"SE{1000000 + n}")
    passport_expiry = factory.LazyFunction(
        lambda: date.today() + timedelta(days=1000 + random.randint(0, 500))
    )


def enterprise_user(organization=None, *, liaison=False, **kwargs) -> User:
    membership = MembershipFactory(
        organization=organization or OrganizationFactory(), is_liaison=liaison, user=UserFactory(**kwargs)
    )
    return User.objects.get(pk=membership.user_id)


def office_user(role: str, **kwargs) -> User:
    user = UserFactory(roles=[role], **kwargs)
    return User.objects.get(pk=user.pk)
