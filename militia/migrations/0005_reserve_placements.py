"""The placement history of reservists, rebuilt from the reservists' own history: every post a reservist held
and when, including placements that ended when a reservist was moved, unplaced or taken off the roster
(the reservist's row keeps only the current post)."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def _norm(code):
    return (code or "").strip().upper()


def _segments(rows, posts):
    """(post_id, placed_on, ended_on, matches) of one reservist from their history rows, oldest first."""
    segments, current = [], None
    for row in rows:
        post_id = row.post_id if row.status == "active" and row.placed_on else None
        matches = bool(post_id and posts.get(post_id) == _norm(row.specialty_code))
        if current is not None and current[0] == post_id:
            current[1], current[3] = row.placed_on, matches  # a corrected date or specialty
            continue
        if current is not None:
            end = (row.placed_on if post_id else None) or row.left_on or row.history_date.date()
            current[2] = max(end, current[1])
            segments.append(current)
            current = None
        if post_id:
            current = [post_id, row.placed_on, None, matches]
    if current is not None:
        segments.append(current)
    return segments


def rebuild(apps, schema_editor):
    Reservist = apps.get_model("militia", "Reservist")
    History = apps.get_model("militia", "HistoricalReservist")
    Placement = apps.get_model("militia", "ReservePlacement")
    posts = {
        pk: _norm(code)
        for pk, code in apps.get_model("militia", "ReservePost").objects.values_list("pk", "specialty_code")
    }
    existing = set(Reservist.objects.values_list("pk", flat=True))
    batch, rows, reservist_id = [], [], None

    def flush_reservist():
        for post_id, placed_on, ended_on, matches in _segments(rows, posts):
            if post_id in posts:
                batch.append(
                    Placement(
                        reservist_id=reservist_id,
                        post_id=post_id,
                        placed_on=placed_on,
                        ended_on=ended_on,
                        specialty_matches=matches,
                    )
                )

    history = History.objects.exclude(history_type="-").order_by("id", "history_date", "history_id")
    for row in history.iterator(chunk_size=BATCH):
        if row.id != reservist_id:
            if reservist_id in existing:
                flush_reservist()
            reservist_id, rows = row.id, []
            if len(batch) >= BATCH:
                Placement.objects.bulk_create(batch)
                batch.clear()
        rows.append(row)
    if reservist_id in existing:
        flush_reservist()
    Placement.objects.bulk_create(batch)
    # The reservist's row is the truth of the current post: a reservist without history (or whose history
    # disagrees) gets the open placement the row says.
    open_ = set(Placement.objects.filter(ended_on=None).values_list("reservist_id", "post_id", "placed_on"))
    missing = []
    placed = Reservist.objects.filter(status="active", post__isnull=False, placed_on__isnull=False)
    for pk, post_id, placed_on, matches in placed.values_list("pk", "post_id", "placed_on", "specialty_matches"):
        if (pk, post_id, placed_on) not in open_:
            missing.append((pk, post_id, placed_on, matches))
    if missing:
        Placement.objects.filter(reservist_id__in=[m[0] for m in missing], ended_on=None).delete()
        Placement.objects.bulk_create(
            Placement(reservist_id=pk, post_id=post_id, placed_on=placed_on, specialty_matches=matches)
            for pk, post_id, placed_on, matches in missing
        )


class Migration(migrations.Migration):
    dependencies = [
        ("militia", "0004_reference_militia_law_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReservePlacement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("placed_on", models.DateField(verbose_name="placed on")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="placement ended on")),
                ("specialty_matches", models.BooleanField(default=False, verbose_name="specialty matches the post")),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placements",
                        to="militia.reservepost",
                        verbose_name="placement (post)",
                    ),
                ),
                (
                    "reservist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to="militia.reservist",
                        verbose_name="reservist",
                    ),
                ),
            ],
            options={
                "verbose_name": "placement of a reservist",
                "verbose_name_plural": "placements of reservists",
                "ordering": ["-placed_on", "-pk"],
                "indexes": [models.Index(fields=["reservist", "placed_on"], name="placement_reservist_day_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ended_on", None)), fields=("reservist",), name="one_open_placement"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_on", None), ("ended_on__gte", models.F("placed_on")), _connector="OR"
                        ),
                        name="placement_ends_after_start",
                    ),
                ],
            },
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
