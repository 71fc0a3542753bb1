"""A reorganisation changes the tree, the lines of command and the users' scopes: it marks everything
(units.freshness)."""

from reorg import services
from reorg.tests.conftest import BASIS, REFORM_DAY
from tests.caches import places


def test_renaming_a_commune_moves_everything(moved, world):
    with moved() as keys:
        services.unit_rename(unit=world["vinh_quang"], name="Vĩnh Quang Mới", on=REFORM_DAY, basis=BASIS)
    assert keys == places(everything=True)
