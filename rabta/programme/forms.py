from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rabta.programme.models import COHORT_EDITABLE, Cohort, EmploymentChoice, ExcuseReason


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("What do you hope to gain from the programme?"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours per week you can give"), min_value=1, max_value=60, required=False
    )
    employment = forms.ChoiceField(
        label=_("Your situation"),
        required=False,
        choices=[("", "—"), *EmploymentChoice.choices],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the council uses my profile and attendance to run the programme "
            "and, without my name, to report on it."
        ),
        required=False,
    )
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def answers(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("idempotency_key", None)
        return data


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = list(COHORT_EDITABLE)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "applications_open_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "applications_close_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class AllocationForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Lottery seed"),
        min_value=0,
        max_value=2**62,
        help_text=_("Publish it: anyone can re-run the lottery with it."),
    )


class ExcuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What caused the absence?"), choices=ExcuseReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What happened (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, questions: list[dict[str, object]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.questions = questions
        for index, question in enumerate(questions):
            options = question.get("options")
            self.fields[f"q{index}"] = forms.TypedChoiceField(
                label=str(question.get("question", "")),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[
                    (n, str(option))
                    for n, option in enumerate(options if isinstance(options, list) else [])
                ],
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{index}"] for index in range(len(self.questions))]


class JoinLinkForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    group_number = forms.IntegerField(label=_("Group"), min_value=1, max_value=100)
    url = forms.URLField(label=_("Room link"), max_length=500, assume_scheme="https")


class AttendanceImportForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=_("Report from"),
        required=False,
        choices=[("", _("Detect")), ("zoom", "Zoom"), ("teams", "Microsoft Teams")],
    )
    file = forms.FileField(label=_("Attendance report (CSV)"))
