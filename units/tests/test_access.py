"""Role checks (units.access): one object per check, as a predicate, a decorator and a mixin."""

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from tests.factories import UserFactory
from units.access import RoleCheck, RoleRequiredMixin, role_required
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

EDIT_PEOPLE = RoleCheck(("people.add_person",), "Your role may not register people.", writes=True)
EXPORT_PEOPLE = RoleCheck(("people.export_people",), "Your role may not do this.")


def _request(user, path="/people/new/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_a_check_needs_the_permission_and_for_a_write_a_unit_to_write_in(officer, viewer, tree):
    # The commune officer's role may register people in the commune it is assigned to.
    assert EDIT_PEOPLE(officer)
    # A viewer reads only.
    assert not EDIT_PEOPLE(viewer)
    # The permission alone, without a unit to write in, is not enough to change records.
    unassigned = UserFactory(username="unassigned")
    unassigned.user_permissions.add(Permission.objects.get(codename="add_person"))
    assert not EDIT_PEOPLE(unassigned)
    # A check that only reads needs no unit.
    exporter = UserFactory(username="exporter")
    exporter.user_permissions.add(Permission.objects.get(codename="export_people", content_type__app_label="people"))
    assert EXPORT_PEOPLE(exporter)


def test_the_decorator_refuses_with_the_checks_message_and_audits_the_denial(officer, viewer):
    @role_required(EDIT_PEOPLE)
    def view(request):
        return HttpResponse("form")

    assert view(_request(officer)).content == b"form"
    with pytest.raises(Exception) as refused:
        view(_request(viewer))
    assert type(refused.value).__name__ == "PermissionDenied"
    assert str(refused.value) == "Your role may not register people."
    denial = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert denial.target == "/people/new/"
    assert denial.username == viewer.username


def test_the_mixin_refuses_a_class_based_view(officer, viewer):
    class FormView(RoleRequiredMixin, View):
        role_check = EDIT_PEOPLE

        def get(self, request):
            return HttpResponse("form")

    assert FormView.as_view()(_request(officer)).status_code == 200
    with pytest.raises(Exception) as refused:
        FormView.as_view()(_request(viewer))
    assert str(refused.value) == "Your role may not register people."


def test_a_user_without_the_role_gets_a_403_page_from_the_portal(client, viewer):
    client.force_login(viewer)
    response = client.get("/people/new/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, target="/people/new/").exists()
