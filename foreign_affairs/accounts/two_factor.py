"""Two-step sign-in (django-otp): an authenticator app's time-based codes (TOTP) and single-use recovery
codes. Required for office staff when OTP_REQUIRED_FOR_STAFF is on (production), open to everyone.

A user "has two-step sign-in" once a TOTP device is confirmed (a code from the app was typed back).
Every sign-in door then asks for a code: the portal's form, the back office and the API's token endpoint
(`otp`); recovery codes work wherever a code is asked for, once each.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from foreign_affairs.audit.services import record_event

RECOVERY_CODES = 10
APP_DEVICE = "authenticator app"
RECOVERY_DEVICE = "recovery codes"


def has_two_factor(user) -> bool:
    """Whether the user confirmed an authenticator app (the recovery codes come with it)."""
    return user.pk is not None and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user) -> bool:
    """Whether the user must have two-step sign-in: office staff, when the setting says so."""
    return settings.OTP_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser)


def verify(user, token: str):
    """The confirmed device of `user` that accepts `token` (an app code or an unused recovery code), or None.
    A recovery code is used up."""
    token = "".join((token or "").split())
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


def enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed app device to show as a QR code (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP_DEVICE).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def enrolment_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with one of its codes; replace any earlier app; issue new recovery codes (returned,
    shown once: only the user keeps them). Audited."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=APP_DEVICE).first()
        )
        if device is None:
            raise ValidationError({"token": _("Start again: scan the new QR code.")})
        if not device.verify_token("".join((token or "").split())):
            raise ValidationError(
                {"token": _("This code is not right. Type the six digits the app shows now.")}
            )
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_event(actor=user, action="user.two_factor_on", obj=user)
    return device, codes


def recovery_codes_renew(*, user, token: str) -> list[str]:
    """New recovery codes (the old ones stop working), against a current code. Audited."""
    if verify(user, token) is None:
        raise ValidationError({"token": _("This code is not right. Type the six digits the app shows now.")})
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record_event(actor=user, action="user.recovery_codes", obj=user)
    return codes


def two_factor_off(*, user, token: str) -> None:
    """Remove two-step sign-in (not for those who must have it), against a current code. Audited."""
    if required_for(user):
        raise PermissionDenied(_("Office staff must keep two-step sign-in."))
    if verify(user, token) is None:
        raise ValidationError({"token": _("This code is not right. Type the six digits the app shows now.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_event(actor=user, action="user.two_factor_off", obj=user)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
