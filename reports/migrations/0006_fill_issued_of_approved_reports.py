"""Approved reports keep what their document prints: fill the snapshot of the reports approved before it
existed from the issuing bodies, templates and indicators as they are now (the same data the document
read until then). A frozen copy of the rules of the time, so that later changes of the code leave this
step as it was."""

from django.db import migrations

KIND_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã", "town": "thị trấn"}
PERIOD_PARTS = {"year": 1, "half": 2, "quarter": 4, "month": 12}


def _names(unit, body):
    parent = unit.parent
    default_name = f"BAN CHỈ HUY QUÂN SỰ {KIND_WORDS.get(unit.kind.code, '')} {unit.name}".upper()
    if parent is None:
        default_parent = ""
    elif parent.parent_id is None:
        default_parent = f"BỘ CHỈ HUY QUÂN SỰ TỈNH {parent.name}".upper()
    else:
        default_parent = f"BAN CHỈ HUY QUÂN SỰ {KIND_WORDS.get(parent.kind.code, '')} {parent.name}".upper()
    return {
        "parent_name": (body and body.parent_name) or default_parent,
        "name": (body and body.name) or default_name,
        "abbreviation": (body and body.abbreviation) or ("BCH" if not unit.kind.is_commune_level else "BCHQS"),
        "place": (body and body.place) or unit.name,
        "signer_title": (body and body.signer_title) or "",
        "signer_name": (body and body.signer_name) or "",
        "recipients": (body and body.recipients) or "",
    }


def _default_recipients(unit):
    parent = unit.parent
    own = f"{KIND_WORDS.get(unit.kind.code, '')} {unit.name}".strip()
    if parent is None:
        return [f"Cấp ủy, chính quyền {own}"]
    if parent.parent_id is None:
        above = f"Bộ CHQS {KIND_WORDS.get(parent.kind.code, 'tỉnh')} {parent.name}"
    else:
        above = f"Ban CHQS {KIND_WORDS.get(parent.kind.code, 'huyện')} {parent.name}"
    committee = "Huyện ủy" if unit.kind.code == "district" else "Đảng ủy"
    return [above, f"{committee}, UBND {own}"]


def fill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Period = apps.get_model("reports", "Period")
    IssuingBody = apps.get_model("reports", "IssuingBody")
    TemplateSection = apps.get_model("reports", "TemplateSection")
    SectionIndicator = apps.get_model("reports", "SectionIndicator")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")
    approved = Report.objects.filter(status="approved", issued__isnull=True).select_related(
        "unit", "unit__kind", "unit__parent", "unit__parent__kind", "period", "template", "approved_by"
    )
    for report in approved.iterator(chunk_size=500):
        body = IssuingBody.objects.filter(unit_id=report.unit_id).first()
        period = report.period
        parts = PERIOD_PARTS[period.kind]
        year, number = (period.year, period.number - 1) if period.number > 1 else (period.year - 1, parts)
        previous = Period.objects.filter(kind=period.kind, year=year, number=number).first()
        last = {}
        if previous is not None:
            last = dict(
                IndicatorValue.objects.filter(report__period=previous, report__unit_id=report.unit_id).values_list(
                    "indicator_id", "value"
                )
            )
        items = {}
        for item in (
            SectionIndicator.objects.filter(section__template_id=report.template_id)
            .select_related("indicator")
            .order_by("order", "pk")
        ):
            items.setdefault(item.section_id, []).append(item.indicator)
        sections = []
        for section in TemplateSection.objects.filter(template_id=report.template_id).order_by("order", "pk"):
            rows = [
                {
                    "indicator": indicator.pk,
                    "label": indicator.label,
                    "unit_of_measure": indicator.unit_of_measure,
                    "decimals": indicator.decimals,
                    "previous": None if last.get(indicator.pk) is None else str(last[indicator.pk]),
                }
                for indicator in items.get(section.pk, [])
            ]
            sections.append({"section": section.pk, "heading": section.heading, "rows": rows})
        names = _names(report.unit, body)
        names["recipients"] = names["recipients"] or "\n".join(_default_recipients(report.unit))
        approver = report.approved_by
        if not names["signer_name"] and approver is not None:
            names["signer_name"] = f"{approver.first_name} {approver.last_name}".strip()
        issued = {"names": names, "title": report.template.title, "sections": sections}
        Report.objects.filter(pk=report.pk).update(issued=issued)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_issued_and_period_dates_permission")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
