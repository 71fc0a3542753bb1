"""Records of what units did in the year: readiness duty, training and drills, defence education, policy
and civil-affairs work. Each belongs to a unit (scoped like every record) and keeps its history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet


class DutyLog(models.Model):
    """One day of readiness duty (trực sẵn sàng chiến đấu) at a unit: who commanded, how many were on duty."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="duty_logs", verbose_name=_("unit"))
    on_date = models.DateField(_("date"))
    officer = models.CharField(_("officer on duty"), max_length=120)
    on_duty = models.PositiveSmallIntegerField(_("number on duty"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-on_date", "-pk"]
        verbose_name = _("readiness duty log")
        verbose_name_plural = _("readiness duty logs")
        constraints = [models.UniqueConstraint(fields=["unit", "on_date"], name="one_duty_log_per_unit_day")]

    def __str__(self):
        return f"{self.unit} {self.on_date:%d/%m/%Y}"

    def clean(self):
        errors = date_errors(self, past=["on_date"])
        if errors:
            raise ValidationError(errors)


class DutyEventKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")  # vụ việc
    RESCUE = "rescue", _("Search and rescue")  # tìm kiếm cứu nạn
    FIRE = "fire", _("Fire")  # cháy, nổ, cháy rừng
    FLOOD = "flood", _("Flood or landslide")  # lũ, sạt lở


# Events that count as search, rescue and relief operations in the annual report (section I).
RESCUE_KINDS = (DutyEventKind.RESCUE, DutyEventKind.FIRE, DutyEventKind.FLOOD)


class DutyEvent(models.Model):
    """An event handled during a day of duty, with the number of people who took part."""

    log = models.ForeignKey(DutyLog, on_delete=models.CASCADE, related_name="events", verbose_name=_("duty log"))
    kind = models.CharField(_("kind"), max_length=12, choices=DutyEventKind.choices)
    description = models.CharField(_("what happened"), max_length=255)
    participants = models.PositiveSmallIntegerField(_("people taking part"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("event handled")
        verbose_name_plural = _("events handled")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"


class TrainingKind(models.TextChoices):
    MILITIA = "militia", _("Militia training")  # huấn luyện dân quân
    RESERVE = "reserve", _("Reserve training")  # huấn luyện, kiểm tra sẵn sàng động viên
    EXERCISE = "exercise", _("Commune defensive-combat exercise")  # diễn tập chiến đấu phòng thủ
    SHOOTING = "shooting", _("Live-fire shooting")  # bắn đạn thật


class Training(models.Model):
    """A training course or exercise a unit held, with its attendance and results."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("organising unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    safety_incidents = models.PositiveSmallIntegerField(
        _("safety incidents"), default=0, help_text=_("Accidents to people, weapons or equipment.")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("training or exercise")
        verbose_name_plural = _("trainings and exercises")

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def clean(self):
        errors = date_errors(self, past=["starts_on", "ends_on"], order=[("starts_on", "ends_on")])
        if errors:
            raise ValidationError(errors)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")  # có mặt
    EXCUSED = "excused", _("Excused")  # vắng có lý do
    ABSENT = "absent", _("Absent")  # vắng không lý do


class Result(models.TextChoices):
    GOOD = "good", _("Excellent")  # giỏi
    FAIR = "fair", _("Good")  # khá
    PASS = "pass", _("Pass")  # đạt
    FAIL = "fail", _("Fail")  # không đạt


# Results the annual report counts as "khá, giỏi".
GOOD_RESULTS = (Result.GOOD, Result.FAIR)


class Attendance(models.Model):
    """One person's attendance of a training and the result of their test."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("training")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="training_attendances", verbose_name=_("person")
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__search_key", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="one_attendance_per_person")]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"

    def clean(self):
        if self.result and self.status != AttendanceStatus.PRESENT:
            raise ValidationError({"result": _("Only a person who attended has a result.")})


class TargetGroup(models.TextChoices):
    """The groups of defence and security education (giáo dục quốc phòng và an ninh) the report counts."""

    LEADERS = "leaders", _("Commune leaders and officials")  # cán bộ, đảng viên cấp xã
    HAMLET_HEADS = "hamlet_heads", _("Hamlet heads")  # trưởng thôn, bản
    ELDERS = "elders", _("Respected elders")  # người có uy tín
    RELIGIOUS = "religious", _("Religious dignitaries")  # chức sắc, chức việc tôn giáo
    STUDENTS = "students", _("Pupils and students")  # học sinh, sinh viên


class EducationCourse(models.Model):
    """A course of defence and security education a unit held or sent people to."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="education_courses", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("defence education course")
        verbose_name_plural = _("defence education courses")

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def clean(self):
        errors = date_errors(self, past=["starts_on", "ends_on"], order=[("starts_on", "ends_on")])
        if errors:
            raise ValidationError(errors)


class GroupCount(models.Model):
    """How many of one target group a course trained (when the names are not kept)."""

    course = models.ForeignKey(
        EducationCourse, on_delete=models.CASCADE, related_name="group_counts", verbose_name=_("course")
    )
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    trained = models.PositiveIntegerField(_("number trained"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["group"]
        verbose_name = _("number trained per group")
        verbose_name_plural = _("numbers trained per group")
        constraints = [models.UniqueConstraint(fields=["course", "group"], name="one_count_per_course_group")]

    def __str__(self):
        return f"{self.get_group_display()}: {self.trained}"


class Attendee(models.Model):
    """A person trained by a course, by name, in their target group."""

    course = models.ForeignKey(
        EducationCourse, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("course")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="education_courses", verbose_name=_("person")
    )
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__search_key", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="one_attendee_per_person")]

    def __str__(self):
        return f"{self.person} – {self.get_group_display()}"


class FamilyKind(models.TextChoices):
    SERVING = "serving", _("Family of a soldier on duty")  # gia đình quân nhân đang tại ngũ
    FALLEN = "fallen", _("Family of a fallen soldier")  # gia đình liệt sĩ
    INVALID = "invalid", _("Family of a war invalid")  # gia đình thương binh
    OTHER = "other", _("Other family under the policy")  # gia đình chính sách khác


class PolicyFamily(models.Model):
    """A family the policy looks after (gia đình chính sách)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="policy_families", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FamilyKind.choices)
    head = models.CharField(_("head of the family"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    soldier = models.CharField(
        _("soldier"), max_length=120, blank=True, help_text=_("The soldier on duty, fallen or wounded.")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit__name", "head", "pk"]
        verbose_name = _("policy family")
        verbose_name_plural = _("policy families")

    def __str__(self):
        return f"{self.head} ({self.get_kind_display()})"


class PolicyVisit(models.Model):
    """A visit to a policy family or to soldiers, with the value of the gifts."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="policy_visits", verbose_name=_("unit")
    )
    visited_on = models.DateField(_("date"))
    family = models.ForeignKey(
        PolicyFamily,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("family visited"),
    )
    occasion = models.CharField(_("occasion"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=255, blank=True)
    gift_value = models.PositiveBigIntegerField(_("gift value (VND)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit and gifts")
        verbose_name_plural = _("visits and gifts")

    def __str__(self):
        return f"{self.occasion} ({self.visited_on:%d/%m/%Y})"

    def clean(self):
        errors = date_errors(self, past=["visited_on"])
        if self.family_id and self.unit_id:
            family_path, unit_path = self.family.unit.path, self.unit.path
            if not (family_path.startswith(unit_path) or unit_path.startswith(family_path)):
                errors["family"] = [_("The family lives outside this unit.")]
        if errors:
            raise ValidationError(errors)


class WorkDay(models.Model):
    """Civil-affairs work (công tác dân vận): a job done for the people, counted in person-days."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="work_days", verbose_name=_("unit"))
    on_date = models.DateField(_("date"))
    work = models.CharField(_("work done"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    participants = models.PositiveSmallIntegerField(_("participants"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1, default=1)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-on_date", "-pk"]
        verbose_name = _("civil-affairs work")
        verbose_name_plural = _("civil-affairs work")

    def __str__(self):
        return f"{self.work} ({self.on_date:%d/%m/%Y})"

    @property
    def person_days(self):
        return self.participants * self.days

    def clean(self):
        errors = date_errors(self, past=["on_date"])
        if self.days is not None and self.days <= 0:
            errors["days"] = [_("Give a number of days greater than zero.")]
        if errors:
            raise ValidationError(errors)
