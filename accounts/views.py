"""The user's Security page: enrol an authenticator app, recovery codes, turn 2FA off, change the password;
and the code step of sign-in."""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from units.audit import audit_record
from units.models import AuditEvent

from . import twofactor
from .forms import CodeForm, PasswordConfirmForm
from .sessions import user_sessions_end

NEW_CODES_SESSION_KEY = "_2fa_new_recovery_codes"


@never_cache
def security(request):
    """Status of two-factor sign-in; for a user not enrolled yet, the enrolment (QR code, secret, code)."""
    enrolled = twofactor.user_is_enrolled(request.user)
    context = {
        "enrolled": enrolled,
        "next": _next_url(request, default=""),
        "required": twofactor.user_required_to_enrol(request.user),
    }
    if enrolled:
        context["codes_left"] = twofactor.recovery_codes_left(user=request.user)
    else:
        device = twofactor.totp_pending_device(request=request)
        context.update(
            form=CodeForm(),
            qr=twofactor.totp_qr_data_uri(device),
            secret=twofactor.totp_secret(device),
        )
    return render(request, "accounts/security.html", context)


@require_POST
def enrol(request):
    """Confirm the pending authenticator with a code it shows; then show the recovery codes once."""
    if twofactor.user_is_enrolled(request.user):
        return redirect("accounts:security")
    device = twofactor.totp_pending_device(request=request)
    form = CodeForm(request.POST)
    codes = form.is_valid() and twofactor.totp_enrol_confirm(
        request=request, device=device, token=form.cleaned_data["code"]
    )
    if not codes:
        if form.is_valid():
            form.add_error("code", _("The code is not right. Check the time on your phone and type the current code."))
        context = {
            "enrolled": False,
            "form": form,
            "qr": twofactor.totp_qr_data_uri(device),
            "secret": twofactor.totp_secret(device),
            "next": _next_url(request, default=""),
            "required": twofactor.user_required_to_enrol(request.user),
        }
        return render(request, "accounts/security.html", context, status=400)
    request.session[NEW_CODES_SESSION_KEY] = codes
    # Sessions signed in elsewhere with the password alone end: from now on every session passed the code.
    user_sessions_end(users=[request.user], request=request, keep_current=True)
    messages.success(request, _("Two-factor sign-in is on. Keep the recovery codes below in a safe place."))
    return redirect(reverse("accounts:recovery_codes") + _next_query(request))


@never_cache
def recovery_codes(request):
    """The new recovery codes, shown once (they are taken out of the session as the page is built)."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "codes_left": twofactor.recovery_codes_left(user=request.user),
        "next": _next_url(request, default=""),
    }
    return render(request, "accounts/recovery_codes.html", context)


@require_POST
def recovery_codes_regenerate(request):
    if not twofactor.user_is_enrolled(request.user):
        return redirect("accounts:security")
    request.session[NEW_CODES_SESSION_KEY] = twofactor.recovery_codes_regenerate(user=request.user)
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return redirect("accounts:recovery_codes")


def disable(request):
    """Turn two-factor sign-in off, after the user confirms with their password."""
    if not twofactor.user_is_enrolled(request.user):
        return redirect("accounts:security")
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        twofactor.twofactor_disable(request=request)
        messages.success(request, _("Two-factor sign-in is off for your account."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/disable.html",
        {"form": form, "required": twofactor.user_required_to_enrol(request.user)},
        status=400 if form.errors else 200,
    )


@never_cache
def verify(request):
    """The second step of sign-in: a code from the authenticator app, or a recovery code.

    A wrong code counts as a failed sign-in for django-axes (same lock-out) and in the audit trail.
    """
    next_url = _next_url(request, default=reverse("home"))
    if not twofactor.session_owes_code(request):
        return redirect(next_url)
    credentials = {"username": request.user.get_username(), "stage": "otp"}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return _locked_out(request, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.twofactor_verify(request=request, code=form.cleaned_data["code"])
        if device is not None:
            recovery = isinstance(device, StaticDevice)
            audit_record(kind=AuditEvent.Kind.SIGN_IN, request=request, detail="otp recovery" if recovery else "otp")
            if recovery:
                left = twofactor.recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)s are left. Make new ones on the Security page.")
                    % {"left": left},
                )
            return redirect(next_url)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        form.add_error("code", _("The code is not right."))
    return render(request, "accounts/verify.html", {"form": form, "next": next_url}, status=400 if form.errors else 200)


def _locked_out(request, credentials):
    """End the half-open session; AxesMiddleware answers with the lock-out page."""
    logout(request)
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change: this session stays signed in, every other session of the user ends."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed. Your other sessions have ended."))
        return response


def _next_url(request, *, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _next_query(request):
    next_url = _next_url(request, default="")
    return "?" + urlencode({"next": next_url}) if next_url else ""
