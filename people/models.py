"""The citizen registry shared by every roster: one person, many roles over the years."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.dates import date_errors
from units.scoping import ScopedQuerySet
from units.text import fold, normalize_name

from . import rules


class Ethnicity(models.Model):
    """One of the 54 ethnic groups (dân tộc), with both official code schemes."""

    code_1979 = models.CharField(_("code (1979 list)"), max_length=2, unique=True)
    code_2008 = models.CharField(_("code (2008 list)"), max_length=2, blank=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    small_population = models.BooleanField(
        _("fewer than 10,000 people"),
        default=False,
        help_text=_("Up to a quarter of its recruits may have primary education only (Circular 148/2018 art. 4.4.b)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code_1979"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    MALE = rules.MALE, _("Male")
    FEMALE = rules.FEMALE, _("Female")


class Religion(models.TextChoices):
    NONE = "none", _("None")
    BUDDHISM = "buddhism", _("Buddhism")
    CATHOLICISM = "catholicism", _("Catholicism")
    PROTESTANTISM = "protestantism", _("Protestantism")
    CAODAISM = "caodaism", _("Cao Đài")
    HOAHAO = "hoahao", _("Hòa Hảo Buddhism")
    OTHER = "other", _("Other")


class Qualification(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary vocational")  # sơ cấp
    INTERMEDIATE = "intermediate", _("Intermediate vocational")  # trung cấp
    COLLEGE = "college", _("College")  # cao đẳng
    UNIVERSITY = "university", _("University")  # đại học
    POSTGRADUATE = "postgraduate", _("Postgraduate")  # sau đại học


class PersonQuerySet(ScopedQuerySet):
    def search(self, text):
        """Diacritic-free search by name: every word of the query must appear in the folded name, in any
        order ("hoang vinh" finds "Hoàng Xuân Vinh"). One LIKE per word, each on the folded column, so that
        PostgreSQL answers every word from the trigram index. Digits find nobody: national IDs are looked up
        by POST only (NationalIdLookupForm), so that they never travel in an address."""
        text = (text or "").strip()
        if not text:
            return self
        if text.isdigit():
            return self.none()
        words = dict.fromkeys(fold(text).split())
        if not words:
            return self
        queryset = self
        for word in words:
            queryset = queryset.filter(search_key__contains=word)
        return queryset


class Person(models.Model):
    national_id = models.CharField(
        _("national ID (CCCD)"), max_length=12, unique=True, null=True, blank=True, help_text=_("12 digits.")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_key = models.CharField(_("search key"), max_length=120, editable=False, db_index=True, default="")
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.ForeignKey(
        Ethnicity, on_delete=models.PROTECT, related_name="people", verbose_name=_("ethnic group")
    )
    religion = models.CharField(_("religion"), max_length=20, choices=Religion.choices, default=Religion.NONE)
    home_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("home hamlet"),
        help_text=_("Hamlet (or commune) of permanent residence."),
    )
    general_education = models.PositiveSmallIntegerField(
        _("general education (grade)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(12)],
        help_text=_("Highest grade completed, 0–12."),
    )
    qualification = models.CharField(
        _("highest qualification"), max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    is_youth_union_member = models.BooleanField(_("Youth Union member"), default=False)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key", "updated_at"])

    objects = PersonQuerySet.as_manager()
    scope_path_field = "home_unit__path"

    class Meta:
        ordering = ["search_key", "birth_date", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("export_people", _("Can export the people registry"))]
        indexes = [
            models.Index(fields=["home_unit", "search_key"], name="person_unit_key_idx"),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            # Covers the registry tally per hamlet (home page): an index-only scan, no table reads.
            models.Index(fields=["home_unit", "is_party_member", "sex"], name="person_unit_tally_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # The folded key is derived data and must never drift from the name.
        self.full_name = normalize_name(self.full_name)
        self.search_key = fold(self.full_name)
        self.national_id = (self.national_id or "").strip() or None
        super().save(*args, **kwargs)

    def clean(self):
        self.full_name = normalize_name(self.full_name)
        errors = {}
        try:
            self.national_id = rules.normalize_national_id(self.national_id) or None
        except ValidationError as exc:
            errors["national_id"] = exc.messages
        errors.update(date_errors(self, past=["birth_date", "party_joined_on"]))
        if self.national_id and "national_id" not in errors:
            try:
                rules.validate_national_id(self.national_id, sex=self.sex or None, birth_date=self.birth_date)
            except ValidationError as exc:
                errors["national_id"] = exc.messages
        if self.phone:
            try:
                self.phone = rules.normalize_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if self.party_joined_on and not self.is_party_member:
            errors.setdefault("party_joined_on", []).append(_("A Party join date needs the Party member box ticked."))
        if (
            self.party_joined_on
            and self.birth_date
            and self.party_joined_on <= self.birth_date
            and not errors.get("party_joined_on")
        ):
            errors["party_joined_on"] = [_("The Party join date must be after the birth date.")]
        if errors:
            raise ValidationError(errors)

    @property
    def commune(self):
        unit = self.home_unit
        return unit if unit.kind.is_commune_level else unit.parent

    def age_on(self, day):
        return rules.age_on(self.birth_date, day)


class UnitHeadcount(models.Model):
    """How many people of the registry live in each unit, kept by database triggers on people_person
    (migration people 0005), whatever writes the rows: forms, imports, bulk operations, the admin. The
    unfiltered people list sums it over the reader's units instead of counting every person."""

    unit = models.OneToOneField(
        "units.Unit", on_delete=models.CASCADE, primary_key=True, related_name="headcount", verbose_name=_("unit")
    )
    people = models.IntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("head count of a unit")
        verbose_name_plural = _("head counts of the units")

    def __str__(self):
        return f"{self.unit_id}: {self.people}"
