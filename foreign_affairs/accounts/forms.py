from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalModelForm

from . import throttling
from .models import Organization, Person, User


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing an account after repeated failures (accounts.throttling)."""

    def clean(self):
        if throttling.is_locked(self.data.get("username", "")):
            raise ValidationError(
                _("Too many failed sign-ins for this account. Wait 15 minutes, or reset your password."),
                code="locked",
            )
        return super().clean()


class PersonForm(PortalModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "pinyin_name",
            "gender",
            "birth_date",
            "position",
            "passport_type",
            "passport_number",
            "passport_expiry",
            "phone",
            "email",
        ]
        help_texts = {
            "full_name": _("As on the identity card, e.g. 张三."),
            "birth_date": _("Format: YYYY-MM-DD."),
            "passport_number": _(
                "Letters and digits only, e.g. E12345678. Needed before the person can travel."
            ),
            "passport_expiry": _("Trips need the passport to be valid six months past the return date."),
        }


class OrganizationContactForm(PortalModelForm):
    """What the enterprise's liaison may change; names and the credit code are changed by the office."""

    class Meta:
        model = Organization
        fields = ["industry", "address", "contact_name", "contact_phone", "contact_email"]


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "email", "phone", "preferred_language"]
        labels = {"last_name": _("Family name"), "first_name": _("Given name")}
