"""A campaign is named by the year of its hand-over: the call-up handed over in February 2026 is "2026".

Campaigns used to carry the year they were prepared in (the 2026 campaign handed over on 20/02/2027).
Each campaign, and each row of its history, takes the year of its hand-over date; a district that would
end up with two campaigns of the same year stops the migration with their names, changing nothing.
"""

import django.core.validators
from django.db import migrations, models


def _rename(campaigns, *, year_of, descending):
    """Give each campaign the year `year_of(campaign)`; latest first when years grow, so that the unique
    (district, year) never meets a campaign that has not moved yet."""
    moves = [(c, year_of(c)) for c in campaigns.order_by("-year" if descending else "year", "pk")]
    taken = {}
    for campaign, year in moves:
        key = (campaign.district_id, year)
        if key in taken:
            raise RuntimeError(
                f"Two campaigns of district {campaign.district_id} would both be the {year} call-up "
                f"(ids {taken[key]} and {campaign.pk}): correct their hand-over dates first."
            )
        taken[key] = campaign.pk
    for campaign, year in moves:
        if campaign.year != year:
            campaign.year = year
            campaign.save(update_fields=["year"])


def campaign_years_to_handover(apps, schema_editor):
    """year := the year of the hand-over date, for campaigns and their history."""
    Campaign = apps.get_model("recruitment", "Campaign")
    _rename(Campaign.objects.all(), year_of=lambda c: c.handover_date.year, descending=True)
    Historical = apps.get_model("recruitment", "HistoricalCampaign")
    for row in Historical.objects.all().only("history_id", "year", "handover_date"):
        if row.handover_date and row.year != row.handover_date.year:
            Historical.objects.filter(history_id=row.history_id).update(year=row.handover_date.year)


def campaign_years_to_preparation(apps, schema_editor):
    """Back to the former naming: the year before the hand-over."""
    Campaign = apps.get_model("recruitment", "Campaign")
    _rename(Campaign.objects.all(), year_of=lambda c: c.handover_date.year - 1, descending=False)
    Historical = apps.get_model("recruitment", "HistoricalCampaign")
    for row in Historical.objects.all().only("history_id", "year", "handover_date"):
        if row.handover_date and row.year != row.handover_date.year - 1:
            Historical.objects.filter(history_id=row.history_id).update(year=row.handover_date.year - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0005_reference_health_classes_provisions_grounds"),
    ]

    operations = [
        migrations.RunPython(campaign_years_to_handover, campaign_years_to_preparation),
        migrations.AlterField(
            model_name="campaign",
            name="handover_date",
            field=models.DateField(
                help_text="Giao quân, usually February or March of the campaign year.", verbose_name="hand-over date"
            ),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="year",
            field=models.PositiveSmallIntegerField(
                help_text="The year of the hand-over: the 2026 call-up hands over in 2026 and is prepared from April 2025.",
                validators=[
                    django.core.validators.MinValueValidator(2000),
                    django.core.validators.MaxValueValidator(2100),
                ],
                verbose_name="year",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcampaign",
            name="handover_date",
            field=models.DateField(
                help_text="Giao quân, usually February or March of the campaign year.", verbose_name="hand-over date"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcampaign",
            name="year",
            field=models.PositiveSmallIntegerField(
                help_text="The year of the hand-over: the 2026 call-up hands over in 2026 and is prepared from April 2025.",
                validators=[
                    django.core.validators.MinValueValidator(2000),
                    django.core.validators.MaxValueValidator(2100),
                ],
                verbose_name="year",
            ),
        ),
    ]
