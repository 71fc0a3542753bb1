"""Military-service recruitment (tuyển quân): campaigns, commune quotas, candidates and their stage changes."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet, get_scope

from .grounds import ground_in_words


class GroundKind(models.TextChoices):
    DEFERMENT = "deferment", _("Deferment")  # tạm hoãn gọi nhập ngũ
    EXEMPTION = "exemption", _("Exemption")  # miễn gọi nhập ngũ
    NOT_REGISTERED = "not_registered", _("Not to be registered")  # không được đăng ký NVQS (Điều 13)
    REGISTRATION_EXEMPT = "registration_exempt", _("Exempt from registration")  # miễn đăng ký NVQS (Điều 14)


class DeferralGround(models.Model):
    """A ground of deferment or exemption of Luật NVQS 2015 Điều 41; reference data editable in admin."""

    kind = models.CharField(_("kind"), max_length=20, choices=GroundKind.choices)
    code = models.CharField(_("code"), max_length=10, unique=True)
    law_ref = models.CharField(_("legal reference"), max_length=120)
    label_vi = models.CharField(_("Vietnamese label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("deferment or exemption ground")
        verbose_name_plural = _("deferment and exemption grounds")

    def __str__(self):
        label = self.label_en if translation.get_language() == "en" else self.label_vi
        return f"{self.code_in_words} – {label}"

    @property
    def code_in_words(self):
        """ "điểm c khoản 1 Điều 41" for the code 41.1c."""
        return ground_in_words(self.code)


class HealthClass(models.Model):
    """A class of the medical examination (phân loại sức khỏe, 1–6) and whether it may be called up; reference
    data loaded from recruitment/data/health_classes.csv, editable in admin."""

    number = models.PositiveSmallIntegerField(
        _("health class"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    callable = models.BooleanField(_("may be called up"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("health class")
        verbose_name_plural = _("health classes")

    def __str__(self):
        return str(self.number)


class ProvisionRule(models.TextChoices):
    """The rules whose legal basis changes over time or is not confirmed: each has versions with dates."""

    HEALTH_STANDARD = "health_standard", _("Health standard of the examination")
    HEALTH_EXCLUSIONS = "health_exclusions", _("Health findings that exclude a call-up")
    EDUCATION_STANDARD = "education_standard", _("Education standard")
    PRIMARY_LEVEL_SHARE = "primary_level_share", _("Share of recruits with primary education")
    PRIMARY_LEVEL_GRADE = "primary_level_grade", _("Lowest grade counted as primary education")
    POLITICAL_STANDARD = "political_standard", _("Political and moral standard")
    PUBLIC_POSTING = "public_posting", _("Public posting of the lists")
    DECIDING_AUTHORITY = "deciding_authority", _("Authority deciding call-up, deferment and exemption")
    REGISTRATION = "registration", _("Military service registration")
    WOMEN_PROFESSIONS = "women_professions", _("Professions the army needs among women")


class LegalProvisionQuerySet(models.QuerySet):
    def in_force(self, rule, on):
        """The version of `rule` in force on the day `on` (the latest start on or before it)."""
        return (
            self.filter(rule=rule)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by(models.F("valid_from").desc(nulls_last=True), "-pk")
            .first()
        )


class LegalProvision(models.Model):
    """One version of a rule of the law: its citation (in Vietnamese, as refusals quote it), its values and the
    days it is in force. A rule the law changed has several versions; a fact not confirmed by an official text
    is marked so and can be corrected here without a code change."""

    rule = models.CharField(_("rule"), max_length=40, choices=ProvisionRule.choices)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    citation = models.CharField(_("legal reference"), max_length=255)
    value = models.JSONField(_("values"), default=dict, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"), default=True, help_text=_("Unticked: taken from a secondary source; check the official text.")
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = LegalProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "valid_from"]
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="provision_dates_in_order",
            )
        ]

    def __str__(self):
        return f"{self.get_rule_display()}: {self.citation}"

    def clean(self):
        overlapping = LegalProvision.objects.filter(rule=self.rule).exclude(pk=self.pk)
        if self.valid_from:
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if overlapping.exists():
            raise ValidationError(_("Another version of this rule is in force on some of these days."))


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# Registration (đăng ký NVQS) opens in April of the year before the hand-over.
PREPARATION_START_MONTH = 4


class CampaignQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A district's campaign is seen by everybody in the district, commune staff included; after the 2025
        reform, an area command's campaign by the communes that answer to it (units.scoping above_paths)."""
        scope = get_scope(user)
        if scope.is_all:
            return self
        if not scope.read_paths:
            return self.none()
        query = Q(district__path__in=scope.above_paths)
        for path in scope.read_paths:
            query |= Q(district__path__startswith=path)
        return self.filter(query)


class Campaign(models.Model):
    """One year's call-up (đợt tuyển quân) of a district, from the quota split to the hand-over.

    A campaign is named by the year of its hand-over (giao quân): "Tuyển quân 2026" hands over in
    February–March 2026 and is prepared from the April registration of 2025."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year of the hand-over: the 2026 call-up hands over in 2026 and is prepared from April 2025."),
    )
    district = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="recruitment_campaigns", verbose_name=_("district")
    )
    handover_date = models.DateField(
        _("hand-over date"), help_text=_("Giao quân, usually February or March of the campaign year.")
    )
    district_quota = models.PositiveIntegerField(_("district quota"))
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.PLANNING
    )
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()
    scope_path_field = "district__path"

    class Meta:
        ordering = ["-year", "district__name"]
        verbose_name = _("recruitment campaign")
        verbose_name_plural = _("recruitment campaigns")
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="one_campaign_per_district_year")]

    def __str__(self):
        return _("Recruitment %(year)s – %(district)s · %(dates)s") % {
            "year": self.year,
            "district": self.district.name,
            "dates": self.dates_label,
        }

    def clean(self):
        errors = date_errors(self, planned=["handover_date"])
        if self.handover_date and self.year and self.handover_date.year != self.year:
            errors.setdefault("handover_date", []).append(
                _(
                    "The %(year)s call-up hands over in %(year)s: pick a hand-over date in %(year)s "
                    "(its preparation starts in April %(previous)s)."
                )
                % {"year": self.year, "previous": self.year - 1}
            )
        if errors:
            raise ValidationError(errors)

    @property
    def preparation_year(self):
        """The year the call-up is prepared in: registration in April, examinations in November–December."""
        return self.year - 1

    @property
    def preparation_start(self):
        """The April registration of the preparation year (Luật NVQS 2015 Điều 16, 17)."""
        return datetime.date(self.preparation_year, PREPARATION_START_MONTH, 1)

    @property
    def dates_label(self):
        """ "chuẩn bị từ 04/2026 · giao quân 20/02/2027": both dates of a campaign, where its year alone misleads."""
        return _("prepared from %(start)s · hand-over %(handover)s") % {
            "start": self.preparation_start.strftime("%m/%Y"),
            "handover": self.handover_date.strftime("%d/%m/%Y") if self.handover_date else "—",
        }

    def is_handed_over_on(self, day):
        """Whether the hand-over day has come by `day`: before it, the campaign is in preparation."""
        return self.handover_date <= day

    def days_to_handover(self, day):
        return (self.handover_date - day).days

    @property
    def is_closed(self):
        return self.status == CampaignStatus.CLOSED


class QuotaQuerySet(ScopedQuerySet):
    pass


class Quota(models.Model):
    """The commune's share (chỉ tiêu) of the district quota."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("campaign"))
    commune = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="recruitment_quotas", verbose_name=_("commune")
    )
    count = models.PositiveIntegerField(_("quota"))
    history = HistoricalRecords()

    objects = QuotaQuerySet.as_manager()
    scope_path_field = "commune__path"

    class Meta:
        ordering = ["campaign", "commune__name"]
        verbose_name = _("commune quota")
        verbose_name_plural = _("commune quotas")
        constraints = [models.UniqueConstraint(fields=["campaign", "commune"], name="one_quota_per_commune")]

    def __str__(self):
        return f"{self.commune.name}: {self.count}"


class Stage(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # đăng ký
    PRESCREENED = "prescreened", _("Pre-screened")  # sơ tuyển
    EXAMINED = "examined", _("Examined")  # khám sức khỏe
    APPROVED = "approved", _("Approved")  # được duyệt
    HANDED_OVER = "handed_over", _("Handed over")  # giao quân
    DEFERRED = "deferred", _("Deferred")  # tạm hoãn
    EXEMPT = "exempt", _("Exempt")  # miễn
    NOT_SELECTED = "not_selected", _("Not selected")  # không tuyển
    RESERVE_LIST = "reserve_list", _("Reserve list")  # dự phòng


class CandidateQuerySet(ScopedQuerySet):
    pass


class StudyLevel(models.TextChoices):
    """Level of the studies behind a deferment on ground 41.1g: only college and university raise the call-up
    age to the end of 27 (Luật NVQS 2015 Điều 30)."""

    GENERAL = "general", _("General school")  # cơ sở giáo dục phổ thông
    COLLEGE = "college", _("College, full-time")  # cao đẳng hệ chính quy
    UNIVERSITY = "university", _("University, full-time")  # đại học hệ chính quy


class PoliticalResult(models.TextChoices):
    MEETS = "meets", _("Meets the standard")
    FAILS = "fails", _("Does not meet the standard")


class Candidate(models.Model):
    """A young man in one year's call-up, from registration to hand-over or a lawful exit."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("person")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("campaign")
    )
    commune = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="recruitment_candidates", verbose_name=_("commune")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    health_class = models.PositiveSmallIntegerField(
        _("health class"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    education = models.PositiveSmallIntegerField(
        _("education (grade)"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    ground = models.ForeignKey(
        DeferralGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("deferment or exemption ground"),
    )
    ground_ends_on = models.DateField(_("ground ends on"), null=True, blank=True)
    study_level = models.CharField(
        _("level of study"),
        max_length=12,
        choices=StudyLevel.choices,
        blank=True,
        help_text=_("For a deferment on ground 41.1g: general school, college or university."),
    )
    # Findings of the medical examination that exclude a call-up whatever the class (Thông tư 148/2018 Điều 4.3.c).
    myopia_dioptres = models.DecimalField(
        _("myopia (dioptres)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=_("The stronger eye; empty or 0 when not short-sighted."),
    )
    hyperopia = models.BooleanField(_("hyperopia (any degree)"), default=False)
    drug_use = models.BooleanField(_("drug use"), default=False)
    hiv = models.BooleanField(_("HIV/AIDS"), default=False)
    low_grade_approval = models.CharField(
        _("approval of grade 7"),
        max_length=255,
        blank=True,
        help_text=_("Decision allowing grade 7 because the quota cannot otherwise be met (number, date, by whom)."),
    )
    # Political and moral standard (Thông tư liên tịch 50/2016/TTLT-BQP-BCA): verified before approval.
    political_checked_on = models.DateField(_("political standard verified on"), null=True, blank=True)
    political_checked_by = models.CharField(_("verified by"), max_length=120, blank=True)
    political_result = models.CharField(
        _("verification result"), max_length=10, choices=PoliticalResult.choices, blank=True
    )
    matching_profession = models.CharField(
        _("matching profession"),
        max_length=120,
        blank=True,
        help_text=_("For a woman registering: her profession that the army needs (Military Service Law art. 12)."),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    handover_date = models.DateField(_("handed over on"), null=True, blank=True)
    receiving_unit = models.CharField(_("receiving unit"), max_length=120, blank=True)
    flagged_duplicate = models.BooleanField(
        _("possible duplicate"), default=False, help_text=_("Same name and birth date in another commune.")
    )
    history = HistoricalRecords()

    objects = CandidateQuerySet.as_manager()
    scope_path_field = "commune__path"

    class Meta:
        ordering = ["commune__name", "person__search_key", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["person", "campaign"], name="one_candidacy_per_campaign")]
        indexes = [models.Index(fields=["campaign", "commune", "stage"], name="candidate_campaign_stage_idx")]
        permissions = [
            ("import_candidates", _("Can import candidates from Excel")),
            ("export_candidates", _("Can export candidate lists")),
        ]

    def __str__(self):
        return f"{self.person} – {self.campaign.year}"

    def validate_constraints(self, exclude=None):
        if self.person_id and self.campaign_id:
            others = Candidate.objects.filter(person_id=self.person_id, campaign_id=self.campaign_id)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"person": _("This person is already a candidate in this campaign.")}, code="duplicate"
                )
        super().validate_constraints(exclude=exclude)

    def clean(self):
        errors = date_errors(self, planned=["ground_ends_on", "handover_date"])
        if self.commune_id and not self.commune.kind.is_commune_level:
            errors["commune"] = [_("Candidates belong to a commune or town.")]
        if errors:
            raise ValidationError(errors)


class StageChangeQuerySet(ScopedQuerySet):
    pass


class StageChange(models.Model):
    """Who moved a candidate from one stage to another, when and why."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("candidate")
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = StageChangeQuerySet.as_manager()
    scope_path_field = "candidate__commune__path"

    class Meta:
        ordering = ["candidate", "at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.candidate}: {self.from_stage or '—'} → {self.to_stage}"


class ListKind(models.TextChoices):
    """The lists a commune posts publicly for 20 days."""

    DEFERMENT = "deferment", _("Deferment list")  # danh sách tạm hoãn gọi nhập ngũ
    EXEMPTION = "exemption", _("Exemption list")  # danh sách miễn gọi nhập ngũ
    CALL_UP = "call_up", _("Call-up list")  # danh sách gọi nhập ngũ


class ListPostingQuerySet(ScopedQuerySet):
    pass


class ListPosting(models.Model):
    """The day a commune posted one of its lists at its office (niêm yết công khai) for a campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="postings", verbose_name=_("campaign")
    )
    commune = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="recruitment_postings", verbose_name=_("commune")
    )
    kind = models.CharField(_("list"), max_length=12, choices=ListKind.choices)
    posted_on = models.DateField(_("posted on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = ListPostingQuerySet.as_manager()
    scope_path_field = "commune__path"

    class Meta:
        ordering = ["campaign", "commune__name", "kind"]
        verbose_name = _("public posting")
        verbose_name_plural = _("public postings")
        constraints = [models.UniqueConstraint(fields=["campaign", "commune", "kind"], name="one_posting_per_list")]

    def __str__(self):
        return f"{self.commune.name}: {self.get_kind_display()} {self.posted_on:%d/%m/%Y}"


class RegistrationExclusionQuerySet(ScopedQuerySet):
    pass


class RegistrationExclusion(models.Model):
    """A person of registration age not registered in a campaign, with the ground of Luật NVQS 2015 Điều 13
    (may not be registered) or Điều 14 (exempt from registration)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="registration_exclusions", verbose_name=_("campaign")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="registration_exclusions", verbose_name=_("person")
    )
    commune = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="registration_exclusions", verbose_name=_("commune")
    )
    ground = models.ForeignKey(
        DeferralGround, on_delete=models.PROTECT, related_name="registration_exclusions", verbose_name=_("ground")
    )
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("When the ground ends, if known."))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = RegistrationExclusionQuerySet.as_manager()
    scope_path_field = "commune__path"

    class Meta:
        ordering = ["campaign", "commune__name", "person__search_key"]
        verbose_name = _("ground for not registering")
        verbose_name_plural = _("grounds for not registering")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="one_registration_exclusion_per_campaign")
        ]

    def __str__(self):
        return f"{self.person} – {self.ground.code}"
