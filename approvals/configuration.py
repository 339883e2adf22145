"""Writes to the office's configuration of travel approvals: the rules' settings and the service levels.

The back office saves through these functions so that every change is validated the same way and
leaves an audit event with what it was before.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event

from . import rules
from .models import RuleSetting, ServiceLevel
from .workflow import WAITING_STATES

MAX_WORKING_DAYS = 60


def _matches(default, value) -> bool:
    """Whether `value` has the shape of the rule's default parameter (numbers, lists of words, {key: number})."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list):
        sample = default[0] if default else ""
        return isinstance(value, list) and all(_matches(sample, item) for item in value)
    if isinstance(default, dict):
        sample = next(iter(default.values()), 0)
        return isinstance(value, dict) and all(
            isinstance(key, str) and _matches(sample, item) for key, item in value.items()
        )
    return False


def validate_rule_parameters(code: str, parameters) -> dict:
    """The parameters of rule `code` when they are all known and shaped like its defaults (ValidationError
    otherwise). Missing ones keep their defaults (rules.settings_by_code)."""
    if code not in rules.RULES:
        raise ValidationError({"code": _("There is no rule with this code.")})
    defaults = rules.RULES[code].parameters
    if parameters in (None, ""):
        return {}
    if not isinstance(parameters, dict):
        raise ValidationError({"parameters": _("Give the parameters as a JSON object, e.g. {}.")})
    unknown = sorted(set(parameters) - set(defaults))
    if unknown:
        raise ValidationError(
            {
                "parameters": _("This rule has no parameter %(names)s; it knows %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(sorted(defaults)) or "—"}
            }
        )
    wrong = sorted(name for name, value in parameters.items() if not _matches(defaults[name], value))
    if wrong:
        raise ValidationError(
            {
                "parameters": _("%(names)s must have the same kind of value as the default.")
                % {"names": ", ".join(wrong)}
            }
        )
    return parameters


def rule_setting_save(*, setting: RuleSetting, actor) -> RuleSetting:
    """Change how one rule is applied: on or off, its severity and its parameters.

    Requires the permission to change rules. Validates the parameters against the rule's defaults and
    records the old and new values in the audit log. Applications are checked with the new setting
    from their next check on; stored results are not recomputed here.
    """
    if not actor.has_perm("approvals.change_rulesetting"):
        raise PermissionDenied(_("Your role does not allow changing the rules."))
    setting.parameters = validate_rule_parameters(setting.code, setting.parameters)
    with transaction.atomic():
        previous = (
            RuleSetting.objects.select_for_update()
            .filter(pk=setting.pk)
            .values("enabled", "severity", "parameters")
            .first()
            if setting.pk
            else None
        )
        setting.full_clean()
        setting.save()
        current = {"enabled": setting.enabled, "severity": setting.severity, "parameters": setting.parameters}
        record_event(
            actor=actor,
            action="rule_setting.update" if previous else "rule_setting.create",
            obj=setting,
            data={"code": setting.code, "before": previous, "after": current},
        )
    return setting


def validate_service_level(*, state: str, working_days: int | None) -> None:
    """ValidationError unless `state` is a waiting state and the deadline a sensible number of days."""
    errors = {}
    if state not in WAITING_STATES:
        errors["state"] = _("Only the states in which someone must act have a deadline.")
    if working_days is None or not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = _("Give a deadline between 1 and %(max)d working days.") % {
            "max": MAX_WORKING_DAYS
        }
    if errors:
        raise ValidationError(errors)


def service_level_save(*, level: ServiceLevel, actor) -> ServiceLevel:
    """Change the deadline of a waiting state (in working days) and when the leaders are reminded.

    Requires the permission to change service levels. Only waiting states have a deadline. Deadlines
    already running keep their date; the new value applies to applications entering the state later.
    """
    if not actor.has_perm("approvals.change_servicelevel"):
        raise PermissionDenied(_("Your role does not allow changing the service levels."))
    validate_service_level(state=level.state, working_days=level.working_days)
    with transaction.atomic():
        previous = (
            ServiceLevel.objects.select_for_update()
            .filter(pk=level.pk)
            .values("working_days", "escalate_after")
            .first()
            if level.pk
            else None
        )
        level.full_clean()
        level.save()
        record_event(
            actor=actor,
            action="service_level.update" if previous else "service_level.create",
            obj=level,
            data={
                "state": level.state,
                "before": previous,
                "after": {"working_days": level.working_days, "escalate_after": level.escalate_after},
            },
        )
    return level
