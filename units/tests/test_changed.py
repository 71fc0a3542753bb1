"""Units, roles and the admin mark what they change (units.freshness): a role its user, the tree and the
permissions of a role everything; every admin of the portal's records marks its writes."""

from pathlib import Path

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from tests.caches import places
from tests.factories import UserFactory
from units import services
from units.admin import ChangesAdminMixin
from units.models import Assignment, Unit, UnitKind
from units.roles import Role, role_group_name


def test_every_admin_of_the_portals_records_marks_its_writes():
    from django.apps import apps
    from django.conf import settings

    # The project's own apps: under BASE_DIR, but not the packages of a virtualenv kept there (.venv).
    portal = {
        app.label
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(app.path).parts
    }
    assert {"people", "militia", "recruitment", "reports", "units"} <= portal
    missing = [
        model._meta.label
        for model in apps.get_models()
        if (model._meta.app_label in portal or model._meta.app_label == "auth")
        and admin.site.is_registered(model)
        and not isinstance(admin.site.get_model_admin(model), ChangesAdminMixin)
    ]
    assert missing == []


def test_giving_a_role_moves_that_users_generation_only(moved, tree):
    user = UserFactory(username="moi")
    services.roles_ensure_groups()
    with moved() as keys:
        services.assignment_create(user=user, unit=tree["vinh_quang"], role=Role.COMMUNE_OFFICER)
    assert keys == places(users=[user])


def test_creating_a_unit_moves_everything(moved, tree):
    with moved() as keys:
        services.unit_create(
            name="Khuổi Mới", kind=UnitKind.objects.get(code="hamlet"), code="01300-09", parent=tree["vinh_quang"]
        )
    assert keys == places(everything=True)


def test_changing_the_permissions_of_a_role_moves_everything_and_an_unchanged_one_nothing(moved, db):
    services.roles_ensure_groups()
    with moved() as keys:
        services.roles_ensure_groups()
    assert keys == set()
    Group.objects.get(name=role_group_name(Role.VIEWER)).permissions.add(Permission.objects.get(codename="add_person"))
    with moved() as keys:
        services.roles_ensure_groups()
    assert keys == places(everything=True)


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def test_the_admin_marks_a_unit_change_as_everything_and_an_assignment_as_its_users(moved, superuser, tree):
    unit = tree["vq_hamlet"]
    unit.name = "Nà Đoỏng Mới"
    with moved() as keys:
        admin.site.get_model_admin(Unit).save_model(_request(superuser), unit, form=None, change=True)
    assert keys == places(everything=True)

    user = UserFactory(username="moi")
    assignment = Assignment(user=user, unit=tree["ly_bon"], role=Role.VIEWER)
    with moved() as keys:
        admin.site.get_model_admin(Assignment).save_model(_request(superuser), assignment, form=None, change=False)
    assert keys == places(users=[user])
