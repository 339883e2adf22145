"""The pages of two-step sign-in: setting it up (QR code, a code to confirm, recovery codes shown once),
renewing the recovery codes or turning it off, and the second step for a session that lacks it."""

from base64 import b32encode

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.forms import PortalForm, run_service

from . import two_factor


class CodeForm(PortalForm):
    token = forms.CharField(
        label=gettext_lazy("Authentication code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request, default: str = "dashboard"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def setup(request):
    """Set up two-step sign-in, or manage it once it is on."""
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CodeForm(request.POST if action else None)
    codes = None
    if action and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if action == "confirm":
                result = run_service(form, lambda: two_factor.enrolment_confirm(user=user, token=token))
                if result:
                    device, codes = result
                    django_otp.login(request, device)
            elif action == "renew":
                codes = run_service(form, lambda: two_factor.recovery_codes_renew(user=user, token=token))
            elif action == "off":
                run_service(form, lambda: two_factor.two_factor_off(user=user, token=token))
                if not form.errors:
                    messages.success(request, _("Two-step sign-in is off."))
                    return redirect("accounts:two_factor")
        except PermissionDenied as error:
            form.add_error(None, str(error))
    if codes:
        form = CodeForm()
    enrolled = two_factor.has_two_factor(user)
    device = None if enrolled else two_factor.enrolment_start(user=user)
    context = {
        "form": form,
        "enrolled": enrolled,
        "required": two_factor.required_for(user),
        "codes": codes,
        "next": _next(request, ""),
    }
    if device is not None:
        context.update(qr=qr_svg_data_uri(device.config_url), secret=b32encode(device.bin_key).decode())
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


@login_required
def verify(request):
    """The second step for a session signed in without it (an office account before two-step sign-in was
    required, for instance)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("This code is not right. Type the six digits the app shows now."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request, "")},
        status=400 if form.errors else 200,
    )
