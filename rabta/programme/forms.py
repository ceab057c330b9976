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


class SessionRecoveryForm(forms.Form):
    """The links of a session's recording and its lighter alternatives, and the check's pass
    mark (the service validates them again: https only)."""

    recording_url = forms.URLField(
        label=_("Recording (https link)"), max_length=200, required=False, assume_scheme="https"
    )
    audio_url = forms.URLField(
        label=_("Audio only, for a weak connection (https link)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    slides_url = forms.URLField(
        label=_("Slides as a PDF (https link)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark (percentage of answers right)"), min_value=1, max_value=100, initial=66
    )


class CheckQuestionForm(forms.Form):
    """One question of the check; its options are typed one a line."""

    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Options, one a line (2 to 6)"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answer = forms.IntegerField(
        label=_("Number of the right option"), min_value=1, max_value=6, required=False
    )

    def question_data(self) -> dict[str, object] | None:
        """The question as the service reads it (answer counted from 0), or None for a blank
        or removed row."""
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        options = [line.strip() for line in (data.get("options") or "").splitlines()]
        options = [line for line in options if line]
        if not (data.get("question") or "").strip() and not options:
            return None
        answer = data.get("answer")
        return {
            "question": data.get("question") or "",
            "options": options,
            "answer": answer - 1 if isinstance(answer, int) else -1,
        }


CheckQuestionFormSet = forms.formset_factory(
    CheckQuestionForm, extra=1, can_delete=True, max_num=10, absolute_max=12
)


def check_question_initial(questions: list[dict[str, object]]) -> list[dict[str, object]]:
    """The stored questions as the formset shows them (options one a line, answers from 1)."""
    initial = []
    for question in questions:
        options = question.get("options")
        answer = question.get("answer")
        initial.append(
            {
                "question": question.get("question", ""),
                "options": "\n".join(str(o) for o in options) if isinstance(options, list) else "",
                "answer": answer + 1 if isinstance(answer, int) else None,
            }
        )
    return initial
