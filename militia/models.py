"""Rosters of the militia and self-defence force (DQTV) and of the reserve mobilisation force (DBĐV)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet, get_scope
from units.text import fold

from . import rules


class ForceType(models.Model):
    """A kind of militia force (loại hình DQTV) with its term; reference data editable in admin."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label_vi = models.CharField(_("Vietnamese name"), max_length=80)
    label_en = models.CharField(_("English name"), max_length=80)
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    max_extension_years = models.PositiveSmallIntegerField(
        _("extension allowed (years)"),
        null=True,
        blank=True,
        default=2,
        help_text=_("Law 48/2019 art. 8.2: empty means the term may be extended to the age limit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("militia force type")
        verbose_name_plural = _("militia force types")

    def __str__(self):
        return self.label_en if translation.get_language() == "en" else self.label_vi


class Position(models.TextChoices):
    SOLDIER = "soldier", _("Soldier")  # chiến sĩ
    DEPUTY_SQUAD_LEADER = "deputy_squad_leader", _("Deputy squad leader")
    SQUAD_LEADER = "squad_leader", _("Squad leader")  # tiểu đội trưởng
    DEPUTY_PLATOON_LEADER = "deputy_platoon_leader", _("Deputy platoon leader")
    PLATOON_LEADER = "platoon_leader", _("Platoon leader")  # trung đội trưởng
    DEPUTY_COMPANY_COMMANDER = "deputy_company_commander", _("Deputy company commander")
    COMPANY_COMMANDER = "company_commander", _("Company commander")  # đại đội trưởng


class PostExtensionLimit(models.Model):
    """How far a militia post may extend its term (Law 48/2019 art. 8.2: commanders to the age limit);
    reference data editable in admin. A post without a row follows its force type."""

    position = models.CharField(_("position"), max_length=30, choices=Position.choices, unique=True)
    max_extension_years = models.PositiveSmallIntegerField(
        _("extension allowed (years)"),
        null=True,
        blank=True,
        help_text=_("Empty means the term may be extended to the age limit."),
    )
    law_ref = models.CharField(_("legal basis"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("extension allowance of a militia post")
        verbose_name_plural = _("extension allowances of militia posts")

    def __str__(self):
        return self.get_position_display()


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TERM_ENDED = "term_ended", _("Term ended")  # hết nghĩa vụ
    DISCHARGED = "discharged", _("Discharged early")  # thôi thực hiện nghĩa vụ trước thời hạn
    MOVED = "moved", _("Moved away")


class MilitiaMemberQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=MemberStatus.ACTIVE)


class MilitiaMember(models.Model):
    """A person's membership of the commune militia (dân quân), from joining to leaving."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="militia_memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="militia_members", verbose_name=_("commune")
    )
    force_type = models.ForeignKey(ForceType, on_delete=models.PROTECT, verbose_name=_("force type"))
    is_core = models.BooleanField(
        _("core force"), default=True, help_text=_("Core (nòng cốt) rather than broad force.")
    )
    platoon = models.CharField(_("platoon"), max_length=40, blank=True)
    squad = models.CharField(_("squad"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, default=Position.SOLDIER)
    joined_on = models.DateField(_("joined on"))
    extension_years = models.PositiveSmallIntegerField(_("extension (years)"), default=0)
    extension_decision = models.CharField(_("extension decision"), max_length=60, blank=True)
    term_ends_on = models.DateField(_("term ends on"), editable=False, null=True)
    is_volunteer = models.BooleanField(
        _("volunteer"), default=False, help_text=_("Serving beyond the age of duty by choice (Law 48/2019 art. 8.1).")
    )
    last_trained_year = models.PositiveSmallIntegerField(_("last trained in (year)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MilitiaMemberQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit__name", "person__search_key"]
        verbose_name = _("militia member")
        verbose_name_plural = _("militia members")
        permissions = [
            ("import_roster", _("Can import militia and reserve rosters")),
            ("export_roster", _("Can export militia and reserve rosters")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="one_active_militia_membership"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="militia_unit_status_idx")]

    def __str__(self):
        return f"{self.person} – {self.force_type}"

    def save(self, *args, **kwargs):
        # Derived from the force type's term, the joining date and the extension: never entered by hand.
        if self.joined_on and self.force_type_id:
            self.term_ends_on = rules.militia_term_ends_on(
                self.joined_on, self.force_type.term_years, self.extension_years or 0, last_day=self.last_day
            )
        super().save(*args, **kwargs)

    @property
    def last_day(self):
        """The last day of the age of duty (Law 48/2019 art. 8.1), None when the person's age is unknown."""
        person = self.person if self.person_id else None
        if person is None or not (person.birth_date and person.sex):
            return None
        return rules.militia_last_day(person.birth_date, person.sex, volunteer=self.is_volunteer)

    def is_over_age(self, on=None):
        return rules.is_over_age(self, on or timezone.localdate())

    @property
    def over_age_today(self):
        return self.status == MemberStatus.ACTIVE and self.is_over_age()

    def max_extension_years(self):
        """Law 48/2019 art. 8.2: the force type's allowance, or the post's when it is more generous."""
        force_type_max = rules.MILITIA_MAX_EXTENSION_YEARS
        if self.force_type_id:
            force_type_max = self.force_type.max_extension_years
        post_max = False
        if force_type_max is not None and (self.extension_years or 0) > force_type_max:
            limit = PostExtensionLimit.objects.filter(position=self.position).first()
            post_max = limit.max_extension_years if limit else False
        return rules.militia_max_extension_years(force_type_max=force_type_max, post_max=post_max)

    def clean(self):
        errors = date_errors(
            self,
            past=["joined_on", "exit_date"],
            born=self.person.birth_date if self.person_id else None,
            after_birth=["joined_on"],
        )
        if self.unit_id and not self.unit.kind.is_commune_level:
            errors["unit"] = [_("Militia members belong to a commune or town.")]
        try:
            rules.validate_militia_extension(
                self.extension_years or 0, self.extension_decision, max_years=self.max_extension_years()
            )
        except ValidationError as exc:
            errors["extension_years"] = exc.messages
        if self.status == MemberStatus.ACTIVE and self.person_id:
            if self.joined_on:
                try:
                    rules.validate_militia_age(
                        birth_date=self.person.birth_date,
                        sex=self.person.sex,
                        on=self.joined_on,
                        volunteer=self.is_volunteer,
                    )
                except ValidationError as exc:
                    errors.setdefault("joined_on", []).extend(exc.messages)
                record = MilitiaDutyRecord.objects.in_force(person_id=self.person_id, on=self.joined_on)
                try:
                    rules.validate_not_deferred(**MilitiaDutyRecord.refusal_facts(record))
                except ValidationError as exc:
                    errors.setdefault("person", []).extend(exc.messages)
            placement = Reservist.objects.placed().filter(person_id=self.person_id).select_related("post__reserve_unit")
            first = placement.first()
            try:
                rules.validate_not_placed_in_reserve(placed_unit_name=first.post.reserve_unit.name if first else None)
            except ValidationError as exc:
                errors.setdefault("person", []).extend(exc.messages)
            others = MilitiaMember.objects.active().filter(person_id=self.person_id).exclude(pk=self.pk)
            if others.exists():
                errors.setdefault("person", []).append(
                    _("This person already has an active militia membership in %(unit)s.")
                    % {"unit": others.select_related("unit").first().unit.name}
                )
        if self.status != MemberStatus.ACTIVE:
            if not self.exit_date:
                errors["exit_date"] = [_("Give the date the membership ended.")]
            if not self.exit_reason.strip():
                errors["exit_reason"] = [_("Give the reason the membership ended.")]
        if self.exit_date and self.joined_on and self.exit_date < self.joined_on and "exit_date" not in errors:
            errors.setdefault("exit_date", []).append(_("The exit date must not be before the joining date."))
        current_year = timezone.localdate().year
        if self.last_trained_year and not (1950 <= self.last_trained_year <= current_year):
            errors["last_trained_year"] = [_("Give a year between 1950 and this year.")]
        if errors:
            raise ValidationError(errors)

    @property
    def trained_this_year(self):
        return self.last_trained_year == timezone.localdate().year


class ReserveUnitKind(models.TextChoices):
    DIVISION = "division", _("Division")  # sư đoàn
    BRIGADE = "brigade", _("Brigade")  # lữ đoàn
    REGIMENT = "regiment", _("Regiment")  # trung đoàn
    BATTALION = "battalion", _("Battalion")  # tiểu đoàn
    COMPANY = "company", _("Company")  # đại đội
    PLATOON = "platoon", _("Platoon")  # trung đội
    SQUAD = "squad", _("Squad")  # tiểu đội


class _DistrictScopedQuerySet(ScopedQuerySet):
    """Reserve units belong to a district: its communes' officers read them too (to place their reservists)."""

    def visible_to(self, user):
        scope = get_scope(user)
        if scope.is_all:
            return self.all()
        # The district (or, after the 2025 reform, the area command) above the user's units.
        ancestor_ids = {int(path.split(".")[-2]) for path in scope.above_paths}
        district_id_field = self.scope_path_field.removesuffix("__path") + "_id__in"
        return self.filter(scope.q(self.scope_path_field) | Q(**{district_id_field: ancestor_ids}))


class ReserveUnitQuerySet(_DistrictScopedQuerySet):
    pass


class ReserveUnit(models.Model):
    """A reserve unit (đơn vị DBĐV) in a small tree, kept per district."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ReserveUnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    district = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="reserve_units", verbose_name=_("district")
    )
    is_combat = models.BooleanField(_("combat unit"), default=True)
    history = HistoricalRecords()

    objects = ReserveUnitQuerySet.as_manager()
    scope_path_field = "district__path"

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("reserve unit")
        verbose_name_plural = _("reserve units")

    def __str__(self):
        """The name, then the parent unit's when the name does not already say it: "Đại đội 1 (Tiểu đoàn 2)"."""
        if not self.parent_id or fold(self.parent.name) in fold(self.name):
            return self.name
        return f"{self.name} ({self.parent.name})"

    def clean(self):
        if self.parent_id and self.parent.district_id != self.district_id:
            raise ValidationError({"parent": _("The parent unit belongs to another district.")})


class ReservePostQuerySet(_DistrictScopedQuerySet):
    pass


class ReservePost(models.Model):
    """A post of a reserve unit: the specialty it needs and how many."""

    reserve_unit = models.ForeignKey(
        ReserveUnit, on_delete=models.CASCADE, related_name="posts", verbose_name=_("reserve unit")
    )
    title = models.CharField(_("post"), max_length=120)
    specialty_code = models.CharField(_("specialty code (CNQS)"), max_length=20)
    required_count = models.PositiveSmallIntegerField(_("number needed"))
    margin_percent = models.PositiveSmallIntegerField(
        _("margin (%)"), default=10, help_text=_("Extra placements allowed beyond the number needed (10–15 %).")
    )
    history = HistoricalRecords()

    objects = ReservePostQuerySet.as_manager()
    scope_path_field = "reserve_unit__district__path"

    class Meta:
        ordering = ["reserve_unit__name", "title"]
        verbose_name = _("reserve post")
        verbose_name_plural = _("reserve posts")

    def __str__(self):
        return f"{self.reserve_unit.name} – {self.title} ({self.specialty_code})"

    @property
    def capacity(self):
        return rules.post_capacity(self.required_count, self.margin_percent)


class ReservistCategory(models.TextChoices):
    OFFICER = "officer", _("Reserve officer")  # sĩ quan dự bị
    QNCN = "qncn", _("Professional soldier (QNCN)")  # quân nhân chuyên nghiệp dự bị
    HSQ_BS = "hsq_bs", _("NCO / soldier (HSQ-BS)")  # hạ sĩ quan, binh sĩ dự bị


class ReservistTier(models.TextChoices):
    ONE = "1", _("Tier one")  # hạng một
    TWO = "2", _("Tier two")  # hạng hai


class Rank(models.TextChoices):
    PRIVATE_2 = "binh_nhi", _("Private second class")  # binh nhì
    PRIVATE_1 = "binh_nhat", _("Private first class")  # binh nhất
    CORPORAL = "ha_si", _("Corporal")  # hạ sĩ
    SERGEANT = "trung_si", _("Sergeant")  # trung sĩ
    STAFF_SERGEANT = "thuong_si", _("Staff sergeant")  # thượng sĩ
    SECOND_LIEUTENANT = "thieu_uy", _("Second lieutenant")  # thiếu úy
    LIEUTENANT = "trung_uy", _("Lieutenant")  # trung úy
    SENIOR_LIEUTENANT = "thuong_uy", _("Senior lieutenant")  # thượng úy
    CAPTAIN = "dai_uy", _("Captain")  # đại úy
    MAJOR = "thieu_ta", _("Major")  # thiếu tá
    LIEUTENANT_COLONEL = "trung_ta", _("Lieutenant colonel")  # trung tá
    SENIOR_COLONEL = "thuong_ta", _("Senior lieutenant colonel")  # thượng tá
    COLONEL = "dai_ta", _("Colonel")  # đại tá


class ReservistStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    OVER_AGE = "over_age", _("Over age")  # hết tuổi
    REMOVED = "removed", _("Removed")  # đưa ra khỏi danh sách


class ReservistQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=ReservistStatus.ACTIVE)

    def placed(self):
        return self.active().filter(post__isnull=False)


class Reservist(models.Model):
    """A reservist (quân nhân dự bị) registered at a commune and possibly placed in a reserve unit."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="reservist_records", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="reservists", verbose_name=_("commune")
    )
    category = models.CharField(_("category"), max_length=10, choices=ReservistCategory.choices)
    tier = models.CharField(_("tier"), max_length=1, choices=ReservistTier.choices, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, blank=True)
    specialty_code = models.CharField(_("specialty code (CNQS)"), max_length=20)
    registered_on = models.DateField(_("registered on"))
    post = models.ForeignKey(
        ReservePost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservists",
        verbose_name=_("placement (post)"),
    )
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    specialty_matches = models.BooleanField(_("specialty matches the post"), default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReservistStatus.choices, default=ReservistStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    left_on = models.DateField(
        _("left the roster on"), null=True, blank=True, help_text=_("The day the status changed from active.")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ReservistQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["unit__name", "person__search_key"]
        verbose_name = _("reservist")
        verbose_name_plural = _("reservists")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="one_active_reservist_record"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="reservist_unit_status_idx")]

    def __str__(self):
        return f"{self.person} – {self.get_category_display()}"

    # Saving any of these may open, close or correct a placement of the history.
    PLACEMENT_FIELDS = frozenset({"post", "placed_on", "status", "left_on", "specialty_code", "specialty_matches"})

    def save(self, *args, **kwargs):
        # Đúng CNQS: derived from the post, so it can never disagree with the placement.
        self.specialty_matches = bool(
            self.post_id and self.post.specialty_code.strip().upper() == self.specialty_code.strip().upper()
        )
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.PLACEMENT_FIELDS & set(update_fields):
            ReservePlacement.objects.follow([self])

    def clean(self):
        today = timezone.localdate()
        errors = date_errors(
            self,
            past=["registered_on", "placed_on"],
            order=[("registered_on", "placed_on")],
            born=self.person.birth_date if self.person_id else None,
            after_birth=["registered_on"],
            on=today,
        )
        if self.unit_id and not self.unit.kind.is_commune_level:
            errors["unit"] = [_("Reservists are registered at a commune or town.")]
        if self.category == ReservistCategory.HSQ_BS and not self.tier:
            errors["tier"] = [_("NCOs and soldiers are tier one or tier two (Reserve Forces Law 2019 art. 3).")]
        if self.category != ReservistCategory.HSQ_BS and self.tier:
            errors["tier"] = [_("Only NCOs and soldiers have a tier.")]
        if self.category and self.rank:
            try:
                rules.validate_rank_for_category(
                    category=self.category, rank=self.rank, rank_label=self.get_rank_display()
                )
            except ValidationError as exc:
                errors.setdefault("rank", []).extend(exc.messages)
        if self.status == ReservistStatus.ACTIVE and self.person_id and self.category:
            try:
                rules.validate_reservist_age(
                    birth_date=self.person.birth_date,
                    sex=self.person.sex,
                    category=self.category,
                    rank=self.rank,
                    on=today,
                )
            except ValidationError as exc:
                errors.setdefault("person", []).extend(exc.messages)
            others = Reservist.objects.active().filter(person_id=self.person_id).exclude(pk=self.pk)
            if others.exists():
                errors.setdefault("person", []).append(_("This person already has an active reservist record."))
        if self.post_id and self.status == ReservistStatus.ACTIVE and self.person_id:
            if not self.placed_on:
                errors.setdefault("placed_on", []).append(_("Give the date of the placement."))
            try:
                rules.validate_placement(
                    birth_date=self.person.birth_date,
                    sex=self.person.sex,
                    category=self.category,
                    on=self.placed_on or today,
                    is_combat=self.post.reserve_unit.is_combat,
                )
            except ValidationError as exc:
                errors.setdefault("post", []).extend(exc.messages)
            placed = Reservist.objects.placed().filter(post_id=self.post_id).exclude(pk=self.pk).count()
            try:
                rules.validate_post_capacity(
                    placed=placed,
                    required_count=self.post.required_count,
                    margin_percent=self.post.margin_percent,
                    post_name=str(self.post),
                )
            except ValidationError as exc:
                errors.setdefault("post", []).extend(exc.messages)
            if MilitiaMember.objects.active().filter(person_id=self.person_id).exists():
                errors.setdefault("post", []).append(
                    _(
                        "Law 48/2019 art. 10.3: this person is an active militia member; end the militia "
                        "membership before placing them in a reserve unit."
                    )
                )
        if self.status != ReservistStatus.ACTIVE and not self.status_reason.strip():
            errors["status_reason"] = [_("Give the reason for the status.")]
        if self.status != ReservistStatus.ACTIVE and not self.left_on:
            errors["left_on"] = [_("Give the date the reservist left the roster.")]
        if self.left_on and self.registered_on and self.left_on < self.registered_on:
            errors.setdefault("left_on", []).append(_("The date of leaving must not be before the registration."))
        if errors:
            raise ValidationError(errors)


class ReservePlacementQuerySet(models.QuerySet):
    def on_q(self, on, *, prefix=""):
        """Placements that hold on `on`: begun by then and not yet ended (`prefix` leads to the placement)."""
        return Q(**{f"{prefix}placed_on__lte": on}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
        )

    def follow(self, reservists, *, today=None):
        """Bring the history in line with each reservist's placement as it now stands: the open placement is
        closed when the post changed (on the new placement's day) or the reservist was unplaced or left the
        roster (on the day of leaving, else today); a new post opens a placement; a corrected date or specialty
        corrects the open one. One query to read, at most three to write, whatever the number of reservists."""
        reservists = [r for r in reservists if r.pk]
        if not reservists:
            return
        today = today or timezone.localdate()
        open_ = {p.reservist_id: p for p in self.filter(reservist__in=[r.pk for r in reservists], ended_on=None)}
        closed, opened, corrected = [], [], []
        for reservist in reservists:
            current = open_.get(reservist.pk)
            post_id = reservist.post_id if reservist.status == ReservistStatus.ACTIVE and reservist.placed_on else None
            if current is not None and current.post_id == post_id:
                if (current.placed_on, current.specialty_matches) != (reservist.placed_on, reservist.specialty_matches):
                    current.placed_on, current.specialty_matches = reservist.placed_on, reservist.specialty_matches
                    corrected.append(current)
                continue
            if current is not None:
                end = (reservist.placed_on if post_id else None) or reservist.left_on or today
                current.ended_on = max(end, current.placed_on)
                closed.append(current)
            if post_id:
                opened.append(
                    ReservePlacement(
                        reservist_id=reservist.pk,
                        post_id=post_id,
                        placed_on=reservist.placed_on,
                        specialty_matches=reservist.specialty_matches,
                    )
                )
        if closed:
            self.bulk_update(closed, ["ended_on"])
        if corrected:
            self.bulk_update(corrected, ["placed_on", "specialty_matches"])
        if opened:
            self.bulk_create(opened)


class ReservePlacement(models.Model):
    """A reservist's placement in a reserve post, from `placed_on` until `ended_on` (the day it no longer holds;
    empty while it holds). The history the figures of a past day count: a reservist moved or taken off the
    roster later still counts where they stood. Kept by `Reservist.save()` (and the bulk writes of the import
    and the demo) from the reservist's current post, never edited by hand."""

    reservist = models.ForeignKey(
        Reservist, on_delete=models.CASCADE, related_name="placements", verbose_name=_("reservist")
    )
    post = models.ForeignKey(
        ReservePost, on_delete=models.PROTECT, related_name="placements", verbose_name=_("placement (post)")
    )
    placed_on = models.DateField(_("placed on"))
    ended_on = models.DateField(_("placement ended on"), null=True, blank=True)
    specialty_matches = models.BooleanField(_("specialty matches the post"), default=False)

    objects = ReservePlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_on", "-pk"]
        verbose_name = _("placement of a reservist")
        verbose_name_plural = _("placements of reservists")
        constraints = [
            models.UniqueConstraint(fields=["reservist"], condition=Q(ended_on=None), name="one_open_placement"),
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gte=models.F("placed_on")), name="placement_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["reservist", "placed_on"], name="placement_reservist_day_idx")]

    def __str__(self):
        return f"{self.reservist_id} – {self.post_id} {self.placed_on:%d/%m/%Y}"


class ReserveAgeLimitQuerySet(models.QuerySet):
    def rows(self):
        return list(self.values_list("category", "rank", "sex", "max_age", "law_ref"))


class ReserveAgeLimit(models.Model):
    """The last age of reserve service of officers and professional soldiers by rank (Officers Law; Law on
    Professional Soldiers 2015); reference data editable in admin. Rank or sex left empty applies to all."""

    category = models.CharField(
        _("category"),
        max_length=10,
        choices=[c for c in ReservistCategory.choices if c[0] != ReservistCategory.HSQ_BS],
    )
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))], blank=True)
    max_age = models.PositiveSmallIntegerField(_("serves to the end of age"))
    law_ref = models.CharField(_("legal basis"), max_length=160)
    history = HistoricalRecords()

    objects = ReserveAgeLimitQuerySet.as_manager()

    class Meta:
        ordering = ["category", "rank", "sex"]
        verbose_name = _("age limit of reserve service")
        verbose_name_plural = _("age limits of reserve service")
        constraints = [
            models.UniqueConstraint(fields=["category", "rank", "sex"], name="one_reserve_age_limit_per_rank_sex")
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.get_rank_display()} {self.sex}: {self.max_age}"


class DutyKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration of militia duty")  # đăng ký nghĩa vụ tham gia DQTV
    DEFERMENT = "deferment", _("Deferment")  # tạm hoãn
    EXEMPTION = "exemption", _("Exemption")  # miễn


class MilitiaDutyGround(models.Model):
    """A ground of deferment or exemption from militia duty (Law 48/2019 art. 11); reference data."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=[c for c in DutyKind.choices if c[0] != DutyKind.REGISTRATION]
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    law_ref = models.CharField(_("legal basis"), max_length=120)
    label_vi = models.CharField(_("Vietnamese name"), max_length=255)
    label_en = models.CharField(_("English name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("ground of militia deferment or exemption")
        verbose_name_plural = _("grounds of militia deferment or exemption")

    def __str__(self):
        label = self.label_en if translation.get_language() == "en" else self.label_vi
        return f"{self.code} – {label}"


class MilitiaDutyRecordQuerySet(ScopedQuerySet):
    def in_force_q(self, on):
        """Deferments covering `on` and exemptions granted by then (Law 48/2019 art. 11)."""
        return Q(kind=DutyKind.EXEMPTION, recorded_on__lte=on) | Q(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on), kind=DutyKind.DEFERMENT, recorded_on__lte=on
        )

    def in_force(self, *, person_id, on):
        """The deferment or exemption that holds for the person on `on` (an exemption first), or None."""
        records = self.filter(self.in_force_q(on), person_id=person_id).select_related("ground")
        return records.order_by("-kind", "-recorded_on", "-pk").first()


class MilitiaDutyRecord(models.Model):
    """A person's militia-duty record: the April registration (Law 48/2019 art. 9), a deferment or an
    exemption (art. 11) with its ground."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="militia_duty_records", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="militia_duty_records", verbose_name=_("commune")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DutyKind.choices)
    recorded_on = models.DateField(
        _("date"), help_text=_("The day of registration, or the day the decision holds from.")
    )
    ends_on = models.DateField(_("deferred until"), null=True, blank=True)
    ground = models.ForeignKey(
        MilitiaDutyGround, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ground")
    )
    decision = models.CharField(_("decision"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MilitiaDutyRecordQuerySet.as_manager()
    scope_path_field = "unit__path"

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("militia duty record")
        verbose_name_plural = _("militia duty records")
        indexes = [models.Index(fields=["person", "kind"], name="militia_duty_person_kind_idx")]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()} {self.recorded_on:%d/%m/%Y}"

    @staticmethod
    def refusal_facts(record):
        """What `rules.validate_not_deferred` needs from the record in force (or None)."""
        if record is None:
            return {"kind": None}
        ground = f"{record.ground.code} ({record.ground.law_ref})" if record.ground_id else ""
        return {"kind": record.kind, "ground": ground, "until": record.ends_on}

    def clean(self):
        errors = {}
        if self.unit_id and not self.unit.kind.is_commune_level:
            errors["unit"] = [_("Militia duty is recorded at a commune or town.")]
        if self.kind in (DutyKind.DEFERMENT, DutyKind.EXEMPTION):
            if not self.ground_id:
                errors["ground"] = [_("Law 48/2019 art. 11: give the ground of the deferment or exemption.")]
            elif self.ground.kind != self.kind:
                errors["ground"] = [
                    _("Law 48/2019 art. 11: the ground %(code)s is not a ground of %(kind)s.")
                    % {"code": self.ground.code, "kind": self.get_kind_display().lower()}
                ]
            if self.recorded_on:
                try:
                    rules.validate_deferment_period(kind=self.kind, starts_on=self.recorded_on, ends_on=self.ends_on)
                except ValidationError as exc:
                    errors.setdefault("ends_on", []).extend(exc.messages)
        elif self.kind == DutyKind.REGISTRATION:
            if self.ground_id:
                errors["ground"] = [_("A registration has no ground.")]
            if self.ends_on:
                errors["ends_on"] = [_("A registration has no end date.")]
            if self.person_id and self.recorded_on and self.person.birth_date:
                try:
                    rules.validate_duty_registration_age(
                        birth_date=self.person.birth_date, sex=self.person.sex, on=self.recorded_on
                    )
                except ValidationError as exc:
                    errors.setdefault("recorded_on", []).extend(exc.messages)
        if self.recorded_on and self.recorded_on > timezone.localdate():
            errors.setdefault("recorded_on", []).append(_("The date cannot be in the future."))
        if errors:
            raise ValidationError(errors)
