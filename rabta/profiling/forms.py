from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rabta.engine.pathways import pathways
from rabta.profiling.inventory import ITEMS, SCALE
from rabta.profiling.models import (
    COLLABORATION_TOOLS,
    FREELANCE_PROFILES,
    MAX_EXPERIENCE_CHARS,
    MAX_TOOL_CHARS,
    PROFESSIONAL_PROFILES,
    English,
    Goal,
    Internet,
    Level,
    Payment,
    PowerBackup,
)


class SkillAddForm(forms.Form):
    skill_id = forms.CharField(max_length=36, widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        label=_("Your level"), choices=Level.choices, coerce=int, initial=Level.BASIC
    )


class ExperienceForm(forms.Form):
    text = forms.CharField(
        label=_("Your experience"),
        required=False,
        max_length=MAX_EXPERIENCE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_(
            "Paste your CV or describe projects you worked on, in English. We suggest skills from "
            "it; you confirm or reject each one."
        ),
    )


class ToolForm(forms.Form):
    tool = forms.CharField(
        label=_("Add a tool"),
        max_length=MAX_TOOL_CHARS,
        widget=forms.TextInput(attrs={"list": "known-tools", "autocomplete": "off"}),
    )


class _PartialForm(forms.Form):
    """Autosave sends what is filled so far; the final submit must be complete."""

    def __init__(self, *args: Any, final: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = final and name not in self.optional

    optional: tuple[str, ...] = ()

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "") or k in self.data}


class DigitalForm(_PartialForm):
    english_written = forms.TypedChoiceField(
        label=_("Written English"), choices=English.choices, coerce=int, widget=forms.RadioSelect
    )
    english_spoken = forms.TypedChoiceField(
        label=_("Spoken English"), choices=English.choices, coerce=int, widget=forms.RadioSelect
    )
    collaboration_tools = forms.MultipleChoiceField(
        label=_("Tools you use to work with others remotely"),
        choices=[(t, t) for t in COLLABORATION_TOOLS],
        widget=forms.CheckboxSelectMultiple,
    )
    payment = forms.ChoiceField(
        label=_("Can you receive payment from a client abroad?"),
        choices=Payment.choices,
        widget=forms.RadioSelect,
    )
    online_profiles = forms.MultipleChoiceField(
        label=_("Profiles you already have"),
        choices=[(t, t) for t in (*FREELANCE_PROFILES, *PROFESSIONAL_PROFILES)],
        widget=forms.CheckboxSelectMultiple,
    )
    internet = forms.ChoiceField(
        label=_("Your internet connection"), choices=Internet.choices, widget=forms.RadioSelect
    )
    power_backup = forms.ChoiceField(
        label=_("Backup power during load-shedding"),
        choices=PowerBackup.choices,
        widget=forms.RadioSelect,
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours a week you can give to freelance work"), min_value=0, max_value=80
    )
    optional = ("collaboration_tools", "online_profiles")

    def answers(self) -> dict[str, Any]:
        data = super().answers()
        for name in self.optional:
            data.setdefault(name, self.cleaned_data.get(name) or [])
        return data


class InterestsForm(_PartialForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=SCALE,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if isinstance(v, int)}


class GoalsForm(_PartialForm):
    goal = forms.ChoiceField(
        label=_("Your main goal"), choices=Goal.choices, widget=forms.RadioSelect
    )
    target_monthly_usd = forms.IntegerField(
        label=_("Monthly freelance income you aim for (US dollars)"),
        min_value=0,
        max_value=100_000,
    )
    goal_note = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    optional = ("target_monthly_usd", "goal_note")


def pathway_choices() -> list[tuple[str, str]]:
    return [(p.slug, p.title) for p in pathways()]


class ChooseForm(forms.Form):
    pathway = forms.ChoiceField(choices=pathway_choices)


class OutcomeForm(forms.Form):
    pathway = forms.ChoiceField(label=_("Pathway"), choices=pathway_choices)
    platform = forms.CharField(label=_("Platform or client source"), max_length=60)
    amount_usd = forms.DecimalField(
        label=_("Contract amount (US dollars)"), min_value=0, max_value=1_000_000, decimal_places=2
    )
    won_on = forms.DateField(
        label=_("Date you won it"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )


class PostingImportForm(forms.Form):
    file = forms.FileField(
        label=_("Postings file (CSV or JSON lines)"),
        help_text=_("Columns or keys: title, description, budget, date (YYYY-MM-DD), source."),
    )
