"""Two-factor sign-in (xác thực hai lớp): enrolment of a TOTP app, recovery codes, the code step, the policy.

A user is *enrolled* when they own a confirmed TOTP device; their recovery codes are the tokens of one
static device. Whether the session still owes the code step is kept in the session at sign-in, so an
ordinary page costs no query for it.
"""

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from units.roles import Role
from units.scoping import get_scope

ENROLLED_SESSION_KEY = "_2fa_enrolled"
PENDING_KEY_SESSION_KEY = "_2fa_pending_key"
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def user_is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_owes_code(request) -> bool:
    """Whether this signed-in session must still pass the code step (the user has an authenticator)."""
    enrolled = request.session.get(ENROLLED_SESSION_KEY)
    if enrolled is None:  # a session from before this was recorded
        enrolled = user_is_enrolled(request.user)
        request.session[ENROLLED_SESSION_KEY] = enrolled
    return bool(enrolled) and not user_is_verified(request.user)


def user_must_use_2fa(user) -> bool:
    """REQUIRE_2FA applies to admins (staff or superuser) and to commanders at any unit."""
    if user.is_staff or user.is_superuser:
        return True
    return any(a.role == Role.COMMANDER for a in get_scope(user).assignments)


def user_required_to_enrol(user) -> bool:
    return bool(settings.REQUIRE_2FA) and user_must_use_2fa(user)


def user_is_verified(user) -> bool:
    """Whether this session passed the code step (django-otp's OTPMiddleware gives users `is_verified`)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def totp_pending_device(*, request) -> TOTPDevice:
    """The authenticator being enrolled, not saved yet: its key lives in the session until it is confirmed,
    so showing the Security page changes nothing in the database."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = request.session[PENDING_KEY_SESSION_KEY] = default_key()
    return TOTPDevice(user=request.user, name=DEVICE_NAME, key=key, confirmed=False)


def totp_secret(device) -> str:
    """The key as the base32 text an authenticator app accepts typed in, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device) -> str:
    """The enrolment QR code as an SVG data URI, drawn here (no outside service; CSP allows img-src data:)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


@transaction.atomic
def totp_enrol_confirm(*, request, device, token) -> list[str] | None:
    """Confirm the pending authenticator with a code it shows. Returns the new recovery codes, or None if wrong."""
    digits = _digits(token)
    if not digits.isdigit():
        return None
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    if not generator.verify(int(digits), device.tolerance):
        return None
    TOTPDevice.objects.filter(user=request.user).delete()
    device.confirmed = True
    device.last_t = generator.t()  # the code just used cannot sign in again
    device.drift = generator.drift
    device.full_clean()
    device.save()
    codes = recovery_codes_regenerate(user=request.user)
    request.session.pop(PENDING_KEY_SESSION_KEY, None)
    request.session[ENROLLED_SESSION_KEY] = True
    otp_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """A new set of one-time recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = []
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def twofactor_disable(*, request) -> None:
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.session[ENROLLED_SESSION_KEY] = False


def twofactor_verify(*, request, code):
    """The code step: a 6-digit code from the app or a recovery code. Returns the device that accepted it."""
    user = request.user
    digits = _digits(code)
    attempts = []
    if digits.isdigit() and len(digits) in (6, 8):
        attempts += [(device, digits) for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")]
    recovery = digits.lower()
    attempts += [(device, recovery) for device in StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk")]
    for device, token in attempts:
        accepted = verify_token(user, device.persistent_id, token)
        if accepted is not None:
            request.session.cycle_key()  # a new session key for the stronger session
            otp_login(request, accepted)
            return accepted
    return None


def _digits(token) -> str:
    return "".join((token or "").split()).replace("-", "")
