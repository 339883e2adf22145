"""Running django-fsm transitions for a user, the same way in every area.

An area's service locks the row, calls `check_transition` (role, state, conditions, comment — each
refusal its own error, so the API answers 403, 409 or 400), runs the transition method, saves, audits
and notifies. `available_transitions` is what pages and the API show: only what the user may run now.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .accounts.roles import Role
from .errors import RulesFailed, StateConflict


@dataclass(frozen=True)
class TransitionInfo:
    label: str
    comment: str = "optional"  # "required", "optional" or "none"
    destructive: bool = False  # asks for confirmation in the browser
    style: str = "primary"  # Bootstrap button style


# Who may run a transition (django-fsm `permission=`). The object belongs to `obj.organization_id`.


def _member_of(obj, user, role: str) -> bool:
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    return organization is not None and organization.pk == obj.organization_id and user.has_role(role)


def is_applicant(obj, user) -> bool:
    return _member_of(obj, user, Role.APPLICANT)


def is_liaison(obj, user) -> bool:
    return _member_of(obj, user, Role.LIAISON)


def is_officer(obj, user) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICER)


def is_leader(obj, user) -> bool:
    return user.is_authenticated and user.has_role(Role.LEADER)


def is_applicant_or_officer(obj, user) -> bool:
    return is_applicant(obj, user) or is_officer(obj, user)


def is_nobody(obj, user) -> bool:
    """System transitions (Celery tasks, beat jobs) are run by services, never by a user."""
    return False


def available_transitions(obj, user, field: str = "state") -> list[str]:
    """The transitions `user` may run on `obj` now (state, role and conditions)."""
    return sorted({t.name for t in getattr(obj, f"get_available_user_{field}_transitions")(user)})


def may_ever(obj, user, name: str) -> bool:
    """Whether the user holds a role that may run `name` on this object in some state."""
    meta = getattr(type(obj), name)._django_fsm
    return any(t.has_perm(obj, user) for t in meta.transitions.values())


def check_transition(
    obj, actor, name: str, *, info: dict, condition_errors: dict, comment: str = "", field: str = "state"
) -> str:
    """Refuse a transition the actor may not run now; return the cleaned comment.

    PermissionDenied when no role of the actor allows `name` here at all; StateConflict when the current
    state does not allow it (for this actor); RulesFailed when a condition fails (`condition_errors`
    maps a condition function's name to its error code and message); ValidationError when a required
    comment is missing.
    """
    if name not in info or not hasattr(getattr(type(obj), name, None), "_django_fsm"):
        raise StateConflict(_("There is no such action."), state=getattr(obj, field), available=[])
    if not may_ever(obj, actor, name):
        raise PermissionDenied(_("Your role does not allow this action."))
    state = getattr(obj, field)
    transition = getattr(type(obj), name)._django_fsm.get_transition(state)
    if transition is None or not transition.has_perm(obj, actor):
        raise StateConflict(
            _("“%(action)s” is not possible in the state “%(state)s”.")
            % {"action": info[name].label, "state": getattr(obj, f"get_{field}_display")()},
            state=state,
            available=available_transitions(obj, actor, field),
        )
    unmet = [condition_errors[c.__name__] for c in transition.conditions if not c(obj)]
    if unmet:
        raise RulesFailed(
            unmet[0][1],
            findings=[
                {"code": code, "severity": "error", "message": str(message)} for code, message in unmet
            ],
        )
    comment = (comment or "").strip()
    if info[name].comment == "required" and not comment:
        raise ValidationError({"comment": _("Say why, so that the applicant knows what to do.")})
    return comment
