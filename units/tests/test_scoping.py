"""The units tree and the one scoping mechanism: paths, who reads and edits what, role groups."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from people.models import Person
from tests.factories import PersonFactory, UnitFactory, UserFactory, make_user_with_role
from units.models import Assignment, Unit
from units.roles import ROLE_PERMISSIONS, Role, role_group_name
from units.scoping import get_object_for_user
from units.services import assignment_create


def path_of(*units):
    return "".join(f"{unit.pk:06d}." for unit in units)


def fresh(user):
    """The user as the next request loads it: no cached scope or permissions."""
    return type(user).objects.get(pk=user.pk)


def names(queryset):
    return sorted(unit.name for unit in queryset)


# --- The tree ----------------------------------------------------------------------------------------


def test_it_keeps_a_materialised_path_and_depth(tree):
    province, district, commune, hamlet = tree["province"], tree["district"], tree["vinh_quang"], tree["vq_hamlet"]
    for unit in (province, district, commune, hamlet):
        unit.refresh_from_db()
    assert (province.path, province.depth) == (path_of(province), 0)
    assert (district.path, district.depth) == (path_of(province, district), 1)
    assert (commune.path, commune.depth) == (path_of(province, district, commune), 2)
    assert (hamlet.path, hamlet.depth) == (path_of(province, district, commune, hamlet), 3)
    assert list(hamlet.ancestors()) == [province, district, commune]


def test_moving_a_unit_rewrites_its_subtree(tree):
    other_district = UnitFactory(kind_code="district", name="Bảo Lạc", parent=tree["province"])
    commune = tree["vinh_quang"]
    commune.parent = other_district
    commune.save()

    for key in ("vinh_quang", "vq_hamlet", "vq_hamlet2", "lb_hamlet"):
        tree[key].refresh_from_db()
    assert tree["vinh_quang"].path == path_of(tree["province"], other_district, commune)
    assert tree["vq_hamlet"].path == path_of(tree["province"], other_district, commune, tree["vq_hamlet"])
    assert tree["vq_hamlet2"].path.startswith(tree["vinh_quang"].path)
    assert tree["vq_hamlet"].depth == 3
    # The rest of the tree is untouched.
    assert tree["lb_hamlet"].path == path_of(tree["province"], tree["district"], tree["ly_bon"], tree["lb_hamlet"])


def test_moving_a_unit_up_a_level_changes_the_subtree_depth(tree):
    commune = tree["vinh_quang"]
    commune.parent = tree["province"]
    commune.save()
    tree["vq_hamlet"].refresh_from_db()
    assert tree["vq_hamlet"].path == path_of(tree["province"], commune, tree["vq_hamlet"])
    assert tree["vq_hamlet"].depth == 2


def test_a_move_changes_who_sees_the_subtree(tree, district_officer, officer, vq_person):
    other_district = UnitFactory(kind_code="district", name="Bảo Lạc", parent=tree["province"])
    assert Person.objects.visible_to(district_officer).count() == 1
    tree["vinh_quang"].parent = other_district
    tree["vinh_quang"].save()
    assert Person.objects.visible_to(fresh(district_officer)).count() == 0
    assert Person.objects.visible_to(fresh(officer)).get() == vq_person


def test_a_unit_cannot_be_placed_under_its_own_descendant(tree):
    district = tree["district"]
    district.parent = tree["vq_hamlet"]
    with pytest.raises(ValidationError) as caught:
        district.full_clean()
    assert "parent" in caught.value.message_dict


# --- visible_to / editable_by per role --------------------------------------------------------------------

ALL = {"Cao Bằng", "Bảo Lâm", "Vĩnh Quang", "Lý Bôn", "Nà Đoỏng", "Bản Tìn", "Nà Ké"}
DISTRICT_SUBTREE = ALL - {"Cao Bằng"}
VINH_QUANG = {"Vĩnh Quang", "Nà Đoỏng", "Bản Tìn"}
LY_BON = {"Lý Bôn", "Nà Ké"}


def test_commander_reads_the_district_but_edits_nothing(commander):
    assert set(names(Unit.objects.visible_to(commander))) == DISTRICT_SUBTREE
    assert names(Unit.objects.editable_by(commander)) == []


def test_district_officer_edits_the_district(district_officer):
    assert set(names(Unit.objects.visible_to(district_officer))) == DISTRICT_SUBTREE
    assert set(names(Unit.objects.editable_by(district_officer))) == DISTRICT_SUBTREE


def test_commune_officer_edits_own_commune(officer, outsider):
    assert set(names(Unit.objects.visible_to(officer))) == VINH_QUANG
    assert set(names(Unit.objects.editable_by(officer))) == VINH_QUANG
    assert set(names(Unit.objects.editable_by(outsider))) == LY_BON


def test_viewer_reads_own_subtree(viewer):
    assert set(names(Unit.objects.visible_to(viewer))) == VINH_QUANG
    assert names(Unit.objects.editable_by(viewer)) == []


def test_superuser_reads_and_edits_everything(superuser, tree):
    assert set(names(Unit.objects.visible_to(superuser))) == ALL
    assert set(names(Unit.objects.editable_by(superuser))) == ALL


def test_user_without_assignment_sees_nothing(tree):
    nobody = UserFactory(username="nobody")
    assert names(Unit.objects.visible_to(nobody)) == []
    assert names(Unit.objects.editable_by(nobody)) == []
    assert names(Unit.objects.visible_to(AnonymousUser())) == []


def test_inactive_users_see_nothing(tree):
    sleeper = make_user_with_role("nghiphep", tree["district"], Role.DISTRICT_OFFICER, is_active=False)
    former_admin = UserFactory(username="cu", is_superuser=True, is_active=False)
    for user in (sleeper, former_admin):
        assert names(Unit.objects.visible_to(user)) == []
        assert names(Unit.objects.editable_by(user)) == []


def test_roles_add_up(tree):
    # Reads the whole district, edits only Lý Bôn.
    user = make_user_with_role("hai", tree["district"], Role.VIEWER)
    assignment_create(user=user, unit=tree["ly_bon"], role=Role.COMMUNE_OFFICER)
    user = fresh(user)
    assert set(names(Unit.objects.visible_to(user))) == DISTRICT_SUBTREE
    assert set(names(Unit.objects.editable_by(user))) == LY_BON


def test_people_follow_the_scope_of_their_home_unit(officer, viewer, commander, outsider, vq_person, lb_person):
    assert list(Person.objects.visible_to(officer)) == [vq_person]
    assert list(Person.objects.editable_by(officer)) == [vq_person]
    assert list(Person.objects.visible_to(viewer)) == [vq_person]
    assert list(Person.objects.editable_by(viewer)) == []
    assert set(Person.objects.visible_to(commander)) == {vq_person, lb_person}
    assert list(Person.objects.editable_by(commander)) == []
    assert list(Person.objects.visible_to(outsider)) == [lb_person]


def test_a_unit_does_not_reach_a_sibling_whose_id_starts_with_its_own(tree):
    # Unit 4242 must not reach unit 42420: paths compare whole segments, never digit prefixes.
    near = UnitFactory(id=4242, kind_code="hamlet", name="Nà Pồng", parent=tree["vinh_quang"])
    UnitFactory(id=42420, kind_code="hamlet", name="Khuổi Hao", parent=tree["vinh_quang"])
    UnitFactory(id=424200, kind_code="hamlet", name="Cốc Phát", parent=near)
    user = make_user_with_role("canbo", near, Role.VIEWER)
    assert names(Unit.objects.visible_to(user)) == ["Cốc Phát", "Nà Pồng"]


# --- get_object_for_user -----------------------------------------------------------------------------


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_it_fetches_an_object_of_the_user(officer, vq_person):
    assert get_object_for_user(request_as(officer), Person.objects.all(), pk=vq_person.pk) == vq_person
    assert get_object_for_user(request_as(officer), Person.objects.all(), write=True, pk=vq_person.pk) == vq_person


def test_it_answers_404_outside_the_users_units(outsider, vq_person):
    with pytest.raises(Http404):
        get_object_for_user(request_as(outsider), Person.objects.all(), pk=vq_person.pk)
    with pytest.raises(Http404):
        get_object_for_user(request_as(outsider), Person.objects.all(), write=True, pk=vq_person.pk)


@pytest.mark.parametrize("pk", [999999, "abc", None])
def test_it_answers_404_for_missing_or_malformed_keys(officer, vq_person, pk):
    with pytest.raises(Http404):
        get_object_for_user(request_as(officer), Person.objects.all(), pk=pk)


def test_it_answers_403_to_a_write_by_a_reader(viewer, commander, vq_person):
    for user in (viewer, commander):
        assert get_object_for_user(request_as(user), Person.objects.all(), pk=vq_person.pk) == vq_person
        with pytest.raises(PermissionDenied):
            get_object_for_user(request_as(user), Person.objects.all(), write=True, pk=vq_person.pk)


def test_it_answers_403_when_the_role_lacks_the_permission(officer, vq_person):
    with pytest.raises(PermissionDenied):
        get_object_for_user(
            request_as(officer), Person.objects.all(), write=True, perm="people.delete_person", pk=vq_person.pk
        )


# --- Role groups ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_a_role_is_a_group_with_its_permissions(tree, role):
    unit = tree["vinh_quang"] if role == Role.COMMUNE_OFFICER else tree["district"]
    user = make_user_with_role("canbo", unit, role)
    group = Group.objects.get(name=role_group_name(role))
    assert group.name == f"role:{role}"
    assert list(user.groups.all()) == [group]
    assert set(group.permissions.values_list("codename", flat=True)) == set(ROLE_PERMISSIONS[role])
    assert user.has_perm("people.view_person")
    assert user.has_perm("people.add_person") == (role in (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER))


def test_removing_the_assignment_removes_the_group(officer, tree):
    assert officer.has_perm("people.change_person")
    Assignment.objects.get(user=officer).delete()
    officer = fresh(officer)
    assert list(officer.groups.all()) == []
    assert not officer.has_perm("people.change_person")
    assert not officer.has_perm("people.view_person")


def test_the_group_stays_while_another_assignment_has_the_role(officer, tree):
    assignment_create(user=officer, unit=tree["ly_bon"], role=Role.COMMUNE_OFFICER)
    Assignment.objects.get(user=officer, unit=tree["vinh_quang"]).delete()
    officer = fresh(officer)
    assert list(officer.groups.values_list("name", flat=True)) == ["role:commune_officer"]
    assert names(Unit.objects.editable_by(officer)) == sorted(LY_BON)


def test_changing_the_role_swaps_the_group(viewer):
    assignment = Assignment.objects.get(user=viewer)
    assignment.role = Role.COMMUNE_OFFICER
    assignment.save()
    viewer = fresh(viewer)
    assert list(viewer.groups.values_list("name", flat=True)) == ["role:commune_officer"]
    assert viewer.has_perm("people.add_person")


def test_other_groups_are_left_alone(tree):
    user = UserFactory(username="canbo")
    own = Group.objects.create(name="Ban biên tập")
    user.groups.add(own)
    assignment_create(user=user, unit=tree["vinh_quang"], role=Role.VIEWER)
    Assignment.objects.get(user=user).delete()
    assert list(fresh(user).groups.all()) == [own]


def test_a_commune_officer_must_sit_at_a_commune(tree):
    user = UserFactory(username="canbo")
    for unit in (tree["district"], tree["province"], tree["vq_hamlet"]):
        with pytest.raises(ValidationError) as caught:
            Assignment(user=user, unit=unit, role=Role.COMMUNE_OFFICER).full_clean()
        assert "unit" in caught.value.message_dict

    with pytest.raises(ValidationError):
        assignment_create(user=user, unit=tree["district"], role=Role.COMMUNE_OFFICER)
    assert not Assignment.objects.filter(user=user).exists()
    assert list(fresh(user).groups.all()) == []
    assert names(Unit.objects.editable_by(fresh(user))) == []


def test_a_commune_officer_may_sit_at_a_town(tree):
    town = UnitFactory(kind_code="town", name="Pác Miầu", parent=tree["district"])
    PersonFactory(home_unit=UnitFactory(kind_code="hamlet", name="Tổ dân phố 1", parent=town))
    user = make_user_with_role("pacmiau", town, Role.COMMUNE_OFFICER)
    assert Person.objects.editable_by(user).count() == 1
