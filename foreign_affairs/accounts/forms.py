from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalModelForm

from . import throttling, two_factor
from .models import Organization, Person, User
from .services import suggested_pinyin_name


class SignInMixin:
    """What every sign-in form adds to Django's: the lock said plainly (the lock itself is
    accounts.backends.LockoutBackend), and the authentication code of a user who has two-step sign-in
    (accounts.two_factor): a wrong or missing code is a failed sign-in like a wrong password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp"] = forms.CharField(
            label=_("Authentication code"),
            required=False,
            max_length=32,
            help_text=_("If you set up two-step sign-in: the six digits your app shows, or a recovery code."),
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        )

    def clean(self):
        username = self.data.get("username", "")
        if throttling.is_locked(username):
            raise ValidationError(throttling.LOCKED_MESSAGE, code="locked")
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and two_factor.has_two_factor(user):
            device = two_factor.verify(user, cleaned.get("otp", ""))
            if device is None:
                throttling.count(username)
                raise ValidationError(
                    _("Type the authentication code your app shows now, or a recovery code."), code="otp"
                )
            user.otp_device = device  # django_otp keeps it in the session at sign-in
        return cleaned


class SignInForm(SignInMixin, AuthenticationForm):
    """The portal's sign-in form."""


class AdminSignInForm(SignInMixin, AdminAuthenticationForm):
    """The back office's sign-in form: the same lock, the same code, the same words."""


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail is prepared and sent by a task (accounts.send_password_reset):
    the request does the same work whether or not the address belongs to an account, so the answer's
    time tells nothing, and a slow mail server never holds the page. The link is built on
    PORTAL_BASE_URL, never on the request's Host header."""

    def save(self, *, request=None, **kwargs):
        from django.utils import translation

        from foreign_affairs.tasking import enqueue_on_commit

        enqueue_on_commit(
            "accounts.send_password_reset", self.cleaned_data["email"], translation.get_language()
        )


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
            "pinyin_name": _(
                "As in the passport, family name first: ZHANG SAN. Filled in from the Chinese name when "
                "left empty; correct it if the passport differs."
            ),
            "birth_date": _("Format: YYYY-MM-DD."),
            "passport_number": _(
                "Letters and digits only, e.g. E12345678. Needed before the person can travel."
            ),
            "passport_expiry": _("Trips need the passport to be valid six months past the return date."),
        }

    def clean_pinyin_name(self):
        """A pinyin name left empty is the one suggested from the Chinese name (ZHANG SAN)."""
        pinyin_name = self.cleaned_data.get("pinyin_name", "")
        if not pinyin_name.strip() and self.cleaned_data.get("full_name"):
            pinyin_name = suggested_pinyin_name(self.cleaned_data["full_name"])
        return pinyin_name


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
