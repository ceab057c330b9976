from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rabta.accounts import validation
from rabta.accounts.reference import (
    Availability,
    ContributionType,
    Degree,
    Discipline,
    EmploymentStatus,
    Gender,
    InstitutionKind,
    Language,
    Province,
    Sector,
    districts,
    districts_in,
)
from rabta.accounts.roles import SELF_SERVICE_ROLES
from rabta.core.kinds import delivery_choices, kinds_grouped


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SignupForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
        max_length=128,
    )
    role = forms.ChoiceField(
        label=_("I am joining as"),
        choices=[(role.value, role.label) for role in SELF_SERVICE_ROLES],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I have read how Rabta uses my data and agree to it."), required=True
    )


class UserSettingsForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=120)
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=[("en", "English"), ("ur", "اردو")]
    )


def district_choices(province: str | None = None) -> list[Any]:
    if province:
        return [("", "—")] + [(d.code, d.name) for d in districts_in(province)]
    grouped: dict[str, list[tuple[str, str]]] = {}
    for district in districts():
        grouped.setdefault(district.province, []).append((district.code, district.name))
    return [("", "—"), *grouped.items()]


class LinesField(forms.CharField):
    """One value per line, for link lists."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value


class EngineerProfileForm(forms.Form):
    pec_number = forms.CharField(
        label=_("PEC registration number"),
        max_length=40,
        help_text=_("As printed on your PEC card, for example CIVIL/12345."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "spellcheck": "false", "dir": "ltr"}
        ),
    )
    discipline = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices)
    degree = forms.ChoiceField(label=_("Highest degree"), choices=Degree.choices)
    university = forms.CharField(label=_("University"), max_length=160)
    graduation_year = forms.IntegerField(label=_("Graduation year"), min_value=1950, max_value=2035)
    province = forms.ChoiceField(
        label=_("Province or territory"),
        choices=[("", "—"), *Province.choices],
    )
    district = forms.ChoiceField(label=_("District"), choices=district_choices())
    country_of_residence = forms.ChoiceField(
        label=_("Country of residence"), initial="PK", choices=[]
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        required=False,
        choices=[("", "—"), *Gender.choices],
        help_text=_(
            "Used only in anonymous totals, to check that the programme reaches women "
            "and men alike."
        ),
    )
    gender_self_description = forms.CharField(
        label=_("In your words (optional)"), max_length=60, required=False
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=60, initial=0
    )
    employment_status = forms.ChoiceField(label=_("Employment"), choices=EmploymentStatus.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    links = LinesField(
        label=_("Links (one per line)"),
        required=False,
        max_length=1600,
        help_text=_("LinkedIn, GitHub, a portfolio: up to 5."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice_field("country_of_residence").choices = list(countries)
        province = self.data.get("province") or self.initial.get("province")
        if province in Province.values:
            self._choice_field("district").choices = district_choices(province)
        self.fields["district"].widget.attrs.update({"id": "id_district"})
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-trigger": "change",
                "hx-target": "#id_district",
                "hx-select": "#id_district",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class ContributorProfileForm(forms.Form):
    country = forms.ChoiceField(label=_("Country where you live"), choices=[])
    city = forms.CharField(label=_("City"), max_length=80)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_(
            "Where you are available, for matching: for example Europe/London, "
            "America/Toronto, Asia/Dubai. Unless you chose another in your settings, Rabta "
            "shows you times in this zone too."
        ),
        widget=forms.TextInput(attrs={"list": "time-zones", "spellcheck": "false", "dir": "ltr"}),
    )
    employer = forms.CharField(label=_("Employer (optional)"), max_length=160, required=False)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    contribution_types = forms.MultipleChoiceField(
        label=_("How you would like to help"),
        choices=ContributionType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("People you can support at a time"), min_value=0, max_value=50, initial=2
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours per month"), min_value=0, max_value=160, initial=4
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=Availability.choices,
        widget=forms.RadioSelect,
        initial=Availability.AVAILABLE,
    )
    paused_until = forms.DateField(
        label=_("Paused until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can mentor in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *countries]


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    city = forms.CharField(label=_("City"), max_length=80)
    province = forms.ChoiceField(label=_("Province or territory"), choices=Province.choices)
    website = forms.URLField(
        label=_("Website (optional)"), required=False, max_length=200, assume_scheme="https"
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"), max_length=254)


class VerificationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verified", _("Verify")), ("rejected", _("Reject"))])
    # The number the reviewer saw: a decision never applies to a number changed since.
    pec_number = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason the engineer will read"), max_length=500, required=False
    )


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register CSV"),
        help_text=_(
            "UTF-8 CSV with the columns pec_number, discipline, status "
            "(active, suspended, cancelled or expired)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read: the import itself would read the whole file into memory.
        if upload.size > settings.REGISTER_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it and import each part.")
            )
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, max_length=128)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class NotificationSettingsForm(forms.Form):
    """How a person hears of each kind of notice, when their digests arrive and the zone their
    times are shown in.  One choice field per declared kind, named by the kind's key."""

    digest_hour = forms.TypedChoiceField(
        label=_("Digests arrive at"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text=_("In your time zone, once a day (and on Mondays with the weekly notices)."),
    )
    time_zone = forms.CharField(
        label=_("Your time zone"),
        max_length=64,
        required=False,
        help_text=_(
            "Every time on Rabta and in your emails is shown in this zone. For example "
            "Europe/London or Asia/Dubai. A contributor's zone follows their profile's until "
            "they choose another here; left empty, it is the profile's zone, else Pakistan "
            "time."
        ),
        widget=forms.TextInput(attrs={"list": "time-zones", "spellcheck": "false", "dir": "ltr"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[Any, list[str]]] = []
        for group, declared in kinds_grouped():
            for kind in declared:
                self.fields[kind.key] = forms.ChoiceField(
                    label=kind.label, choices=delivery_choices(kind)
                )
            self.groups.append((group, [kind.key for kind in declared]))

    def grouped(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(group, [self[name] for name in names]) for group, names in self.groups]

    def deliveries(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for _group, names in self.groups for name in names}


class TimeZoneForm(forms.Form):
    """The zone a person takes up from the first-visit offer (their device's)."""

    time_zone = forms.CharField(max_length=64)

    def clean_time_zone(self) -> str:
        return validation.clean_time_zone(self.cleaned_data["time_zone"])
