"""Writes to organisations, memberships, people and user profiles. Every change is audited."""

import re

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event
from foreign_affairs.notifications.services import notify

from .models import Membership, Organization, Person, Substitution, User
from .roles import OFFICE_ROLES, Role


def _changes(instance, data: dict) -> dict:
    """Apply `data` to `instance`; return {field: [old, new]} for what really changed."""
    changed = {}
    for field, value in data.items():
        old = getattr(instance, field)
        if old != value:
            changed[field] = [old, value]
            setattr(instance, field, value)
    return changed


def _update(instance, *, actor, data: dict, action: str, redact=None):
    """Lock the row, apply `data`, validate, save what changed and audit it ({"changed": {field: [old, new]}}).

    `redact` may rewrite the recorded changes (e.g. to keep a passport number out of the log).
    """
    with transaction.atomic():
        instance = type(instance).objects.select_for_update().get(pk=instance.pk)
        changed = _changes(instance, data)
        if changed:
            instance.full_clean()
            instance.save(update_fields=[*changed, "updated_at"])
            record_event(
                actor=actor,
                action=action,
                obj=instance,
                data={"changed": redact(instance, changed) if redact else changed},
            )
    return instance


def organization_create(*, actor, **fields) -> Organization:
    """Register an organisation (office staff). Validates every field, including the USCC check digit."""
    with transaction.atomic():
        organization = Organization(**fields)
        organization.full_clean()
        organization.save(force_insert=True)
        record_event(
            actor=actor,
            action="organization.create",
            obj=organization,
            data={"uscc": organization.uscc, "ftz_area": organization.ftz_area},
        )
    return organization


def organization_update(*, organization: Organization, actor, data: dict) -> Organization:
    """Change an organisation's fields; records which fields changed, old and new."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        changed = _changes(organization, data)
        if changed:
            organization.full_clean()
            organization.save(update_fields=[*changed, "updated_at"])
            record_event(
                actor=actor, action="organization.update", obj=organization, data={"changed": changed}
            )
    return organization


def organization_delete(*, organization: Organization, actor) -> None:
    """Delete an organisation (requires delete_organization: superusers). Its memberships go with it and
    their users lose the enterprise roles; travellers are protected, so an organisation with people stays.
    """
    if not actor.has_perm("accounts.delete_organization"):
        raise PermissionDenied
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        members = list(User.objects.filter(membership__organization=organization))
        record_event(
            actor=actor, action="organization.delete", obj=organization, data={"uscc": organization.uscc}
        )
        organization.delete()
        for user in members:
            _sync_roles(user, [])


def _sync_roles(user: User, roles: list[str]) -> None:
    """Give the user exactly the enterprise roles `roles`; a change ends their sessions (they sign in again
    with their new powers)."""
    enterprise = Group.objects.filter(name__in=[Role.APPLICANT, Role.LIAISON])
    before = set(user.groups.filter(name__in=[Role.APPLICANT, Role.LIAISON]).values_list("name", flat=True))
    user.groups.remove(*enterprise.exclude(name__in=roles))
    user.groups.add(*enterprise.filter(name__in=roles))
    if before != set(roles):
        user.end_sessions()
    user.__dict__.pop("roles", None)
    user.__dict__.pop("organization", None)


def membership_save(*, membership: Membership, actor) -> Membership:
    """Create or change a membership and give the user the Applicant (and Liaison) role to match.

    Requires a user who is not office staff. Notifies the user when they join an organisation or
    become its liaison.
    """
    with transaction.atomic():
        membership.full_clean()
        previous = Membership.objects.filter(pk=membership.pk).first() if membership.pk else None
        membership.save()
        _sync_roles(membership.user, membership.roles)
        if previous is None:
            action, data = (
                "membership.create",
                {"organization": membership.organization_id, "is_liaison": membership.is_liaison},
            )
        else:
            action, data = (
                "membership.update",
                {
                    "changed": {
                        f: [getattr(previous, f), getattr(membership, f)]
                        for f in ("organization_id", "is_liaison", "job_title")
                        if getattr(previous, f) != getattr(membership, f)
                    }
                },
            )
        record_event(actor=actor, action=action, obj=membership, data=data)
        if previous is None or (membership.is_liaison and not previous.is_liaison):
            notify(
                recipient=membership.user,
                template="accounts/membership",
                context={"membership": membership, "organization": membership.organization},
                link=reverse("dashboard"),
            )
    return membership


def membership_delete(*, membership: Membership, actor) -> None:
    """Remove a user from their organisation; they lose the enterprise roles and its data."""
    with transaction.atomic():
        user = membership.user
        record_event(
            actor=actor,
            action="membership.delete",
            obj=membership,
            data={"organization": membership.organization_id, "user": user.pk},
        )
        membership.delete()
        _sync_roles(user, [])


def _organization_for_new_person(actor, requested: Organization | None) -> Organization:
    """Office staff name the organisation; everyone else adds to their own (and may name only that one)."""
    if not actor.has_perm("accounts.add_person"):
        raise PermissionDenied
    if actor.is_office_staff:
        if requested is None:
            raise ValidationError({"organization": _("Choose the organisation the person belongs to.")})
        return requested
    own = actor.organization
    if own is None or (requested is not None and requested.pk != own.pk):
        # A field error, not a refusal: the API has always answered 400 on "organization" here.
        raise ValidationError({"organization": _("You can only add people to your own organisation.")})
    return own


# The name in pinyin, as printed in passports ----------------------------------------------------------

# Two-character family names: the rest of the name is the given name (欧阳明月 → OUYANG MINGYUE).
# fmt: off
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "闻人", "澹台", "公羊", "赫连", "万俟",
    "申屠", "太史", "钟离", "宗政", "濮阳", "淳于", "单于", "拓跋", "司空", "东郭", "左丘", "鲜于", "乐正",
))
# Family names read otherwise than the character usually is (曾 ZENG, not CENG; 单 SHAN, not DAN).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha", "乐": "yue",
    "盖": "ge", "覃": "qin", "繁": "po", "员": "yun", "翟": "zhai", "缪": "miao", "种": "chong", "秘": "bi",
    "召": "shao", "黑": "he", "藏": "zang", "柏": "bai", "宿": "su", "冼": "xian", "洗": "xian", "能": "nai",
    "隗": "wei", "句": "gou", "祭": "zhai", "尉迟": "yuchi", "万俟": "moqi", "长孙": "zhangsun",
    "单于": "chanyu", "澹台": "tantai", "乐正": "yuezheng",
}
# fmt: on


def _syllables(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    # Passports write ü as YU (吕 LYU, 女 NYU); pypinyin's plain style writes it as v.
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).replace("v", "yu")


def suggested_pinyin_name(full_name: str) -> str:
    """The Chinese name in pinyin as passports print it: capitals, family name first, the given name in
    one word (张三丰 → ZHANG SANFENG). A suggestion: a passport may spell a name otherwise."""
    parts = [part for part in re.split(r"[\s·•・.]+", full_name or "") if part]
    words = []
    for part in parts:
        # A name in one piece starts with the family name; one in parts (买买提·艾力) is written part by part.
        if len(parts) == 1 and re.match(r"[\u4e00-\u9fff]", part):
            length = 2 if part[:2] in COMPOUND_SURNAMES and len(part) > 2 else 1
            family, given = part[:length], part[length:]
            words.append(SURNAME_READINGS.get(family) or _syllables(family))
            part = given
        if part:
            words.append(_syllables(part))
    return " ".join(re.sub(r"[^A-Z' -]", "", word.upper()) for word in words).strip()


def person_create(*, actor, organization: Organization | None = None, **fields) -> Person:
    """Add a traveller to an organisation; validates the passport number and its uniqueness.

    Requires the add_person permission (else PermissionDenied). Office staff must name the organisation;
    enterprise users add to their own, named or not, and to no other (ValidationError on "organization").
    Without a name in pinyin, the one suggested from the Chinese name is stored (suggested_pinyin_name).
    """
    organization = _organization_for_new_person(actor, organization)
    if not fields.get("pinyin_name") and fields.get("full_name"):
        fields["pinyin_name"] = suggested_pinyin_name(fields["full_name"])
    with transaction.atomic():
        person = Person(organization=organization, **fields)
        person.full_clean()
        person.save(force_insert=True)
        record_event(actor=actor, action="person.create", obj=person, data={"organization": organization.pk})
    return person


def person_update(*, person: Person, actor, data: dict) -> Person:
    """Change a traveller's details. The log keeps which fields changed, never their values: it is
    append-only and must hold no personal data that an erasure could not remove."""
    return _update(
        person, actor=actor, data=data, action="person.update", redact=lambda person, changed: sorted(changed)
    )


def person_delete(*, person: Person, actor) -> None:
    """Delete a traveller (requires delete_person: superusers). One on a delegation or in the passport
    ledger is protected and stays."""
    if not actor.has_perm("accounts.delete_person"):
        raise PermissionDenied
    with transaction.atomic():
        record_event(
            actor=actor, action="person.delete", obj=person, data={"organization": person.organization_id}
        )
        person.delete()


def user_roles_set(*, user: User, groups, actor) -> User:
    """Give `user` exactly `groups` (their roles); only superusers hand out roles.

    An office role brings staff status, since office roles work in the back office. Records what was
    added and removed ("user.roles_change") when anything was.
    """
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Your role does not allow this action."))
    groups = list(groups)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = set(user.groups.values_list("name", flat=True))
        user.groups.set(groups)
        after = {group.name for group in groups}
        if after & OFFICE_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if before != after:
            user.end_sessions()  # a change of powers: the user signs in again with the new ones
            record_event(
                actor=actor,
                action="user.roles_change",
                obj=user,
                data={"added": sorted(after - before), "removed": sorted(before - after)},
            )
    return user


def user_update_profile(*, user: User, data: dict) -> User:
    """A user's own name, e-mail, phone and language."""
    with transaction.atomic():
        changed = _changes(user, data)
        if changed:
            user.full_clean(exclude=["password", "username"])
            user.save(update_fields=list(changed))
            record_event(actor=user, action="user.update_profile", obj=user, data={"fields": sorted(changed)})
    return user


def substitution_save(*, substitution: Substitution, actor) -> Substitution:
    """Name a stand-in for an office user's absence (or change it): validated, saved and audited."""
    with transaction.atomic():
        creating = substitution._state.adding
        substitution.full_clean()
        substitution.save()
        record_event(
            actor=actor,
            action="substitution.create" if creating else "substitution.update",
            obj=substitution,
            data={
                "principal": substitution.principal.get_username(),
                "substitute": substitution.substitute.get_username(),
                "starts_on": substitution.starts_on,
                "ends_on": substitution.ends_on,
                "reason": substitution.reason,
            },
        )
    return substitution
