"""The levels of the administrative tree; admins can rename them or add new ones."""

from django.db import migrations

KINDS = [
    # code, name (Vietnamese: the language of the records), commune level, order
    ("province", "Tỉnh", False, 10),
    ("area", "Khu vực phòng thủ", False, 15),
    ("district", "Huyện", False, 20),
    ("commune", "Xã", True, 30),
    ("town", "Thị trấn", True, 30),
    ("ward", "Phường", True, 30),
    ("hamlet", "Xóm/Bản/Tổ dân phố", False, 40),
]


def load(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    for code, name, commune_level, order in KINDS:
        UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "is_commune_level": commune_level, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
