"""The "especially disadvantaged commune" box of each campaign's quota becomes dated periods of the commune
(units.DisadvantagedPeriod), so that the rule reads the commune's status on the day it is evaluated.

For each commune, every run of the district's campaigns (by year) whose quota was ticked becomes one period:
from the April registration that prepared the first campaign of the run to the hand-over of its last; a run
that reaches the district's latest campaign stays open. The decision that listed the commune was not
recorded with the box: the period says where it comes from, for an officer to complete.
"""

import datetime

from django.db import migrations

MIGRATED_GROUND = "Chưa ghi căn cứ: chuyển từ ô “xã đặc biệt khó khăn” của chỉ tiêu tuyển quân %s"


def periods_of(series, ticked):
    """The periods of one commune from its district's campaigns `series` (oldest first) and the pks of those
    whose quota was ticked: [(start, end or None, "2025, 2026"), ...]."""
    periods, run = [], []
    for campaign in list(series) + [None]:
        if campaign is not None and campaign.pk in ticked:
            run.append(campaign)
            continue
        if run:
            end = None if run[-1] is series[-1] else run[-1].handover_date
            years = ", ".join(str(c.year) for c in run)
            periods.append((datetime.date(run[0].year - 1, 4, 1), end, years))
            run = []
    return periods


def flags_to_periods(apps, schema_editor):
    Campaign = apps.get_model("recruitment", "Campaign")
    Quota = apps.get_model("recruitment", "Quota")
    DisadvantagedPeriod = apps.get_model("units", "DisadvantagedPeriod")
    series = {}
    for campaign in Campaign.objects.order_by("year", "pk"):
        series.setdefault(campaign.district_id, []).append(campaign)
    ticked = {}
    for campaign_id, district_id, commune_id in Quota.objects.filter(disadvantaged=True).values_list(
        "campaign_id", "campaign__district_id", "commune_id"
    ):
        ticked.setdefault((district_id, commune_id), set()).add(campaign_id)
    for (district_id, commune_id), campaign_ids in sorted(ticked.items()):
        for start, end, years in periods_of(series[district_id], campaign_ids):
            DisadvantagedPeriod.objects.create(
                unit_id=commune_id, start=start, end=end, legal_ground=MIGRATED_GROUND % years
            )


def periods_to_flags(apps, schema_editor):
    """Back: tick the quota of each campaign whose hand-over day falls in one of the commune's periods."""
    from django.db.models import Q

    Quota = apps.get_model("recruitment", "Quota")
    DisadvantagedPeriod = apps.get_model("units", "DisadvantagedPeriod")
    for quota in Quota.objects.select_related("campaign"):
        day = quota.campaign.handover_date
        on = DisadvantagedPeriod.objects.filter(unit_id=quota.commune_id, start__lte=day).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )
        if on.exists() != quota.disadvantaged:
            Quota.objects.filter(pk=quota.pk).update(disadvantaged=not quota.disadvantaged)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0006_campaign_year_is_handover_year"),
        ("units", "0006_disadvantaged_periods"),
    ]
    operations = [migrations.RunPython(flags_to_periods, periods_to_flags)]
