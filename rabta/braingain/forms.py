from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from rabta.accounts.reference import ContributionType, Language, Sector, time_zones
from rabta.braingain.models import (
    Ask,
    AskMode,
    FitAnswer,
    MatchingRound,
    RoundConstraint,
)
from rabta.braingain.presenters import skill_labels
from rabta.engine.milestones import milestones_parse
from rabta.engine.taxonomy import taxonomy
from rabta.portfolio.forms import milestone_line_error

MAX_SKILL_TERMS = 10


def skills_from_terms(text: str, limit: int = MAX_SKILL_TERMS) -> list[str]:
    """Skill ids for comma-separated words typed by a person: each term becomes the best
    matching ESCO skill, and a term that matches nothing is reported, not dropped."""
    terms = [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]
    if len(terms) > limit:
        raise forms.ValidationError(_("List at most %(n)d skills.") % {"n": limit})
    found, missing = [], []
    for term in terms:
        hits = taxonomy().search(term[:80], limit=1)
        if hits:
            if hits[0].id not in found:
                found.append(hits[0].id)
        else:
            missing.append(term[:40])
    if missing:
        raise forms.ValidationError(
            _("No skill in the list matches: %(terms)s. Try other words.")
            % {"terms": ", ".join(missing)}
        )
    return found


def skill_terms(skill_ids: list[str]) -> str:
    return ", ".join(skill_labels(skill_ids))


def _choices_set(form: forms.BaseForm, name: str, choices: list[tuple[Any, Any]]) -> None:
    # a model field's form field is a ChoiceField once it has choices; the stubs type it Field
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class AskForm(forms.ModelForm):
    skill_terms = forms.CharField(
        label=_("Skills needed, separated by commas"),
        help_text=_("For example: power system analysis, solar energy, project management."),
        max_length=800,
        required=False,
    )
    institution_id = forms.TypedChoiceField(
        label=_("Posting for"), coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = Ask
        fields = [
            "kind",
            "title",
            "goal",
            "sector",
            "duration_weeks",
            "hours_per_month",
            "language",
            "mode",
            "city",
            "deadline",
            "budget_usd",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 5}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(
        self, *args: Any, institutions: list[tuple[int, str]], engineer: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [(pk, name) for pk, name in institutions]
        if engineer:
            choices.insert(0, ("", _("Myself, as an engineer")))
        _choices_set(self, "institution_id", choices)
        self.fields["institution_id"].required = not engineer
        self.fields["budget_usd"].help_text = _("Consultancy projects only.")
        _choices_set(self, "kind", ContributionType.choices)
        _choices_set(self, "sector", Sector.choices)
        _choices_set(self, "language", Language.choices)
        _choices_set(self, "mode", AskMode.choices)

    def clean_skill_terms(self) -> list[str]:
        return skills_from_terms(self.cleaned_data["skill_terms"])


class SkillsForm(forms.Form):
    skill_terms = forms.CharField(
        label=_("Skills you can guide others in, separated by commas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )

    def clean_skill_terms(self) -> list[str]:
        return skills_from_terms(self.cleaned_data["skill_terms"], limit=40)


class RequestForm(forms.Form):
    contributor = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("A short note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class AgreementForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    schedule = forms.CharField(
        label=_("Schedule"),
        help_text=_("For example: a one-hour call every second Saturday at 18:00 Pakistan time."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expectations = forms.CharField(
        label=_("What each of you will do"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    zone = forms.CharField(
        label=_("Time zone of that time"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "spellcheck": "false", "dir": "ltr"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=240, initial=60
    )
    agenda = forms.CharField(label=_("Agenda (optional)"), max_length=300, required=False)
    # checked by the service (services.meetings.meeting_link_check), which says what is wrong
    meeting_url = forms.CharField(
        label=_("Meeting link (optional)"),
        help_text=_("An https:// link from Zoom, Microsoft Teams, Google Meet or Jitsi."),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )

    def clean_zone(self) -> str:
        zone = self.cleaned_data["zone"].strip()
        if zone not in time_zones():
            raise forms.ValidationError(_("Choose a time zone from the list, like Asia/Karachi."))
        return zone

    def starts_at(self) -> datetime:
        day, at, zone = (self.cleaned_data[k] for k in ("day", "at", "zone"))
        return datetime.combine(day, time(at.hour, at.minute), tzinfo=ZoneInfo(zone))

    @classmethod
    def for_meeting(cls, meeting: Any, zone: ZoneInfo, data: Any, prefix: str) -> SessionForm:
        """The form that moves ``meeting``, filled with its time in ``zone`` (the reader's)."""
        local = meeting.starts_at.astimezone(zone)
        return cls(
            data,
            prefix=prefix,
            initial={
                "day": local.date(),
                "at": local.time().replace(second=0, microsecond=0),
                "zone": zone.key,
                "duration_minutes": meeting.duration_minutes,
                "agenda": meeting.agenda,
                "meeting_url": meeting.meeting_url,
            },
        )


class HoldForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes: what you covered and the next steps"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=1000, required=False)


class FitForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is this a good fit?"), choices=FitAnswer.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class TimeForm(forms.Form):
    worked_on = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600)
    note = forms.CharField(label=_("What you did"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ProposalForm(forms.Form):
    price_usd = forms.DecimalField(
        label=_("Price (USD)"), min_value=Decimal(1), max_value=Decimal(1_000_000), decimal_places=2
    )
    plan = forms.CharField(
        label=_("Your plan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    milestones_text = forms.CharField(
        label=_("Milestones, one per line: title | amount in USD | days"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Site survey report | 300 | 10"}),
    )

    def clean_milestones_text(self) -> list[dict[str, str]]:
        rows, errors = milestones_parse(
            self.cleaned_data["milestones_text"], third_required=True, title_max=160
        )
        messages = [milestone_line_error(e, str(_("days"))) for e in errors]
        for number, row in enumerate(rows, start=1):
            if not row.third.isdigit() or not 1 <= int(row.third) <= 365:
                messages.append(
                    _("Line %(n)d: the days must be a whole number from 1 to 365.") % {"n": number}
                )
        if messages:
            raise forms.ValidationError(messages)
        return [{"title": r.title, "amount": str(r.amount), "days": r.third} for r in rows]


class DeliverableForm(forms.Form):
    note = forms.CharField(
        label=_("What you deliver"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.URLField(
        label=_("Link to the files (https, optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(forms.Form):
    reference = forms.CharField(label=_("Reference (optional)"), max_length=100, required=False)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=1000, required=False)


class RoundForm(forms.ModelForm):
    class Meta:
        model = MatchingRound
        fields = ["name", "kind", "fairness"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(
            self,
            "kind",
            [
                (k, label)
                for k, label in ContributionType.choices
                if k != ContributionType.CONSULTANCY
            ],
        )


class ConstraintForm(forms.Form):
    ask = forms.IntegerField(label=_("Ask number"), min_value=1)
    contributor = forms.IntegerField(label=_("Contributor number"), min_value=1)
    kind = forms.ChoiceField(choices=RoundConstraint.Kind.choices)
