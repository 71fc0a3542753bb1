"""Forms of recruitment: campaign, quota split, confirmations, candidate filters and stage changes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.forms import DateInput, PersonLookupMixin
from people.models import Person
from units.forms import BootstrapFieldsMixin, CleanInputMixin
from units.models import Unit

from . import rules, selectors
from .models import Campaign, DeferralGround, ListKind, PoliticalResult, Stage, StudyLevel

HEALTH_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 7)]


class CampaignForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["year", "district", "handover_date", "district_quota"]
        widgets = {"handover_date": DateInput()}

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class QuotaSplitForm(CleanInputMixin, forms.Form):
    """One count per commune of the district; beside it, read-only, the especially disadvantaged period in
    force on the hand-over day (`disadvantaged`: {commune id: period}), which is kept with the commune."""

    def __init__(self, *args, communes, quotas, disadvantaged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = list(communes)
        self.disadvantaged = disadvantaged or {}
        for commune in self.communes:
            quota = quotas.get(commune.pk)
            self.fields[f"count_{commune.pk}"] = forms.IntegerField(
                label=commune.name, min_value=0, max_value=10000, initial=quota.count if quota else 0
            )

    def rows(self):
        return [(c, self[f"count_{c.pk}"], self.disadvantaged.get(c.pk)) for c in self.communes]

    def values(self):
        return [(c, self.cleaned_data[f"count_{c.pk}"]) for c in self.communes]


class ConfirmForm(CleanInputMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class CloseForm(ConfirmForm):
    carry_to = forms.ModelChoiceField(
        label=_("Carry the pool into"), queryset=Campaign.objects.none(), required=False, empty_label=_("Do not carry")
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carry_to"].queryset = targets


AGE_CHOICES = [("", _("All"))] + [(k, k.replace("u18", "< 18")) for k in selectors.AGE_BANDS]
EDUCATION_CHOICES = (
    [("", _("All"))]
    + [(k, f"{low}–{high}") for k, (low, high) in selectors.EDUCATION_BANDS.items()]
    + [("unknown", _("Not recorded"))]
)


class CandidateFilterForm(BootstrapFieldsMixin, CleanInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name (diacritics optional)"), "type": "search"}),
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("All"))] + list(Stage.choices), required=False)
    health_class = forms.ChoiceField(label=_("Health class"), choices=HEALTH_CHOICES, required=False)
    ground = forms.ModelChoiceField(label=_("Ground"), queryset=DeferralGround.objects.all(), required=False)
    age = forms.ChoiceField(label=_("Age at hand-over"), choices=AGE_CHOICES, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=EDUCATION_CHOICES, required=False)
    flagged = forms.BooleanField(label=_("Possible duplicates"), required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes

    def apply(self, queryset, *, campaign):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        text = (data.get("q") or "").strip()
        if text:
            queryset = queryset.filter(person__in=Person.objects.search(text))
        if data.get("commune"):
            queryset = queryset.filter(commune=data["commune"])
        if data.get("stage"):
            queryset = queryset.filter(stage=data["stage"])
        if data.get("health_class"):
            queryset = queryset.filter(health_class=int(data["health_class"]))
        if data.get("ground"):
            queryset = queryset.filter(ground=data["ground"])
        if data.get("age"):
            queryset = selectors.filter_age_band(queryset, data["age"], on=campaign.handover_date)
        if data.get("education"):
            queryset = selectors.filter_education_band(queryset, data["education"])
        if data.get("flagged"):
            queryset = queryset.filter(flagged_duplicate=True)
        return queryset


class StageChangeForm(BootstrapFieldsMixin, CleanInputMixin, forms.Form):
    """A stage change with what the law asks for it (health class, ground, reason) and a confirmation."""

    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    health_class = forms.TypedChoiceField(
        label=_("Health class"), choices=HEALTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    ground = forms.ModelChoiceField(
        label=_("Deferment or exemption ground"), queryset=DeferralGround.objects.all(), required=False
    )
    ground_ends_on = forms.DateField(label=_("Ground ends on"), required=False, widget=DateInput())
    study_level = forms.ChoiceField(
        label=_("Level of study (ground 41.1g)"),
        choices=[("", "—")] + list(StudyLevel.choices),
        required=False,
        help_text=_("Only college or university raises the call-up age to 27."),
    )
    reason = forms.CharField(label=_("Reason (not selected)"), max_length=255, required=False)
    receiving_unit = forms.CharField(label=_("Receiving unit"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm_over_quota = forms.BooleanField(label=_("Approve beyond the quota (district officer)"), required=False)
    confirm = forms.BooleanField(label=_("I confirm this change"), required=True)
    # The stage the user saw when opening the page: a change made meanwhile by someone else is not overwritten.
    loaded_stage = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, from_stage=None, from_stages=None, can_confirm_over_quota=False, **kwargs):
        """`from_stage`: the candidate's stage (one candidate); `from_stages`: the stages of the candidates a
        bulk change may act on. Only the moves the law allows from there are offered, the likely next one
        first; nothing is preselected that would move a candidate back (rules.likely_next_stage)."""
        super().__init__(*args, **kwargs)
        self.from_stage = from_stage
        self.fields["loaded_stage"].initial = from_stage or ""
        offered, preselected = Stage.values, None
        if from_stage is not None:
            offered = rules.allowed_transitions(from_stage)
            preselected = rules.likely_next_stage(from_stage)
        elif from_stages is not None:
            stages = set(from_stages)
            offered = rules.transitions_from_any(stages)
            if len(stages) == 1:
                preselected = rules.likely_next_stage(next(iter(stages)))
        field = self.fields["to_stage"]
        field.choices = [("", _("— choose the new stage —"))] + [(v, Stage(v).label) for v in offered]
        field.initial = preselected
        if not can_confirm_over_quota:
            del self.fields["confirm_over_quota"]

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_stage")
        # A form that does not say which stage it was opened on is refused like a stale one.
        if self.from_stage is not None and loaded != self.from_stage:
            raise ValidationError(
                _("Someone else moved this candidate to “%(stage)s” after you opened the page; nothing was changed.")
                % {"stage": Stage(self.from_stage).label},
                code="stale",
            )
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "to_stage": data["to_stage"],
            "note": data.get("note") or "",
            "health_class": data.get("health_class"),
            "ground": data.get("ground"),
            "ground_ends_on": data.get("ground_ends_on"),
            "study_level": data.get("study_level") or "",
            "reason": data.get("reason") or "",
            "receiving_unit": data.get("receiving_unit") or None,
            "confirm_over_quota": bool(data.get("confirm_over_quota")),
        } | ({"loaded_stage": data.get("loaded_stage") or ""} if self.from_stage is not None else {})


class CandidateReviewForm(forms.Form):
    """The findings of the examination that exclude a call-up, the verification of the political standard and the
    approval of grade 7: what the law asks to be on record before approval."""

    myopia_dioptres = forms.DecimalField(
        label=_("Myopia (dioptres)"), min_value=0, max_value=30, decimal_places=2, required=False, localize=True
    )
    hyperopia = forms.BooleanField(label=_("Hyperopia (any degree)"), required=False)
    drug_use = forms.BooleanField(label=_("Drug use"), required=False)
    hiv = forms.BooleanField(label=_("HIV/AIDS"), required=False)
    political_checked_on = forms.DateField(
        label=_("Political standard verified on"), required=False, widget=DateInput()
    )
    political_checked_by = forms.CharField(
        label=_("Verified by"),
        max_length=120,
        required=False,
        help_text=_("E.g. the commune police and the hamlet head."),
    )
    political_result = forms.ChoiceField(
        label=_("Verification result"), choices=[("", "—")] + list(PoliticalResult.choices), required=False
    )
    low_grade_approval = forms.CharField(
        label=_("Approval of grade 7"),
        max_length=255,
        required=False,
        help_text=_("Only when the quota cannot otherwise be met: the decision's number, date and signer."),
    )

    @classmethod
    def for_candidate(cls, candidate, data=None):
        from .services import REVIEW_FIELDS

        return cls(data, initial={name: getattr(candidate, name) for name in REVIEW_FIELDS}, prefix="review")


class ListPostingForm(forms.Form):
    """The day a commune posted one of its lists at its office."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("List"), choices=ListKind.choices)
    posted_on = forms.DateField(label=_("Posted on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes) == 1:
            self.initial.setdefault("commune", communes[0].pk)


class RegisterCandidateForm(PersonLookupMixin, CleanInputMixin, forms.Form):
    """Register one person in the campaign: an existing person picked by national ID, or a new one
    filled in the embedded person form on the same page."""

    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to register the person at the commune they live in."),
    )
    matching_profession = forms.CharField(
        label=_("Matching profession (women)"),
        max_length=120,
        required=False,
        help_text=_("A woman of 18 or more registers with a profession the army needs (art. 12)."),
        widget=forms.TextInput(attrs={"list": "women-professions"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes) == 1:
            self.initial.setdefault("commune", communes[0].pk)


class DocumentForm(CleanInputMixin, forms.Form):
    """What a document of the recruitment year asks for: the commune, the file and, by document, the day,
    time and place, what to bring, the receiving unit, the signer's name or the posting day."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    fmt = forms.ChoiceField(label=_("File"), choices=[])
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
    when = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"placeholder": "07:30"}))
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    bring = forms.CharField(label=_("What to bring"), max_length=300, required=False)
    receiving_unit = forms.CharField(label=_("Receiving unit"), max_length=120, required=False)
    signer_name = forms.CharField(
        label=_("Signer's name"),
        max_length=120,
        required=False,
        help_text=_("Left empty: whoever held the office on the paper's date, from «Who signs»."),
    )
    posted_on = forms.DateField(
        label=_("Posted on"),
        widget=DateInput(),
        required=False,
        help_text=_("Given here, the posting is recorded for the commune."),
    )

    def __init__(self, *args, communes, formats, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["fmt"].choices = formats
        for name in list(self.fields):
            if name not in ("commune", "fmt", *fields):
                del self.fields[name]
        if "posted_on" in self.fields:
            self.fields["place"].label = _("Place")  # where the list is posted
        if len(communes) == 1:
            self.initial.setdefault("commune", communes[0].pk)
