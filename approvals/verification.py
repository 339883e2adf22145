"""How a permit answers /verify/<code>/ (registered in approvals/area.py)."""

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from foreign_affairs.documents.verification import Verification

from .models import Permit, PermitStatus
from .models.permits import normalize_code
from .templatetags.approvals import country_names

STATUS_LABELS = {
    PermitStatus.VALID: PermitStatus.VALID.label,
    PermitStatus.REVOKED: PermitStatus.REVOKED.label,
    PermitStatus.EXPIRED: PermitStatus.EXPIRED.label,
}


def permit_verification(code: str) -> Verification | None:
    permit = (
        Permit.objects.select_related("application__organization")
        .filter(verification_code=normalize_code(code))
        .first()
    )
    if permit is None:
        return None
    application = permit.application
    organization = application.organization
    status = permit.status()
    dates = (
        f"{formats.date_format(application.departure_date)} – {formats.date_format(application.return_date)}"
        if application.departure_date
        else "—"
    )
    notes = {
        PermitStatus.VALID: _("The permit was issued by the office and is valid."),
        PermitStatus.REVOKED: _("The permit was revoked on %(date)s; it is no longer valid.")
        % {"date": formats.date_format(timezone.localtime(permit.revoked_at)) if permit.revoked_at else ""},
        PermitStatus.EXPIRED: _("The trip of this permit has ended; the permit is no longer valid."),
    }
    return Verification(
        kind=str(_("Permit for official travel abroad")),
        status=status,
        status_label=str(STATUS_LABELS[status]),
        note=str(notes[status]),
        facts=[
            (_("Permit number"), permit.number),
            (_("Reference"), application.reference),
            (
                _("Organisation"),
                organization.name_en
                if get_language() == "en" and organization.name_en
                else organization.name_zh,
            ),
            (_("Destinations"), country_names(application.countries)),
            (_("Dates"), dates),
            (_("Valid until"), formats.date_format(permit.valid_until)),
        ],
    )
