"""Helpers of the account tests: an enrolled user, codes computed from the device's key, a real sign-in."""

import time

import pytest
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

RECOVERY = ["abcd2345", "efgh6723", "ijkl2345"]


def code_now(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def code_next(device):
    """The code of the next 30-second step: accepted once the current one was used (tolerance 1)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + device.step
    return f"{generator.token():06d}"


def pending_device(client, user):
    """The authenticator the Security page offers (its key is in the session until confirmed)."""
    return TOTPDevice(user=user, key=client.session["_2fa_pending_key"])


def sign_in(client, user):
    """The first step, exactly as a user does it: the login form with the password (django-axes included)."""
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def enrol(user):
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=t) for t in RECOVERY)
    return device


@pytest.fixture
def enrolled_officer(officer):
    enrol(officer)
    return officer
