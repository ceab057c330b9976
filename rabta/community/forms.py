from __future__ import annotations

import secrets
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rabta.accounts.reference import Discipline, Sector, time_zones
from rabta.community.models import (
    CallKind,
    EventMode,
    EventVisibility,
    FlagReason,
    TrustLevel,
)

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, lists, `code`, [links](https://…); @handle to mention."
)


def _text(label: Any, max_length: int, rows: int = 6, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        **kwargs,
    )


class NonceForm(forms.Form):
    """Carries the submission's one-time key: sending the same form twice makes one post."""

    nonce = forms.CharField(max_length=40, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", secrets.token_urlsafe(16))


class ThreadForm(NonceForm):
    title = forms.CharField(label=_("Title"), min_length=5, max_length=160)
    body = _text(_("What would you like to discuss?"), 20000, rows=8, help_text=MARKDOWN_HELP)


class ReplyForm(NonceForm):
    body = _text(_("Your reply"), 20000, help_text=MARKDOWN_HELP)


class EditForm(forms.Form):
    body = _text(_("Your post"), 20000, rows=10, help_text=MARKDOWN_HELP)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=FlagReason.choices)
    note = forms.CharField(
        label=_("Note for the moderators (optional)"), max_length=500, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person affected will read it)"), min_length=3, max_length=300
    )


class MoveForm(ReasonForm):
    category = forms.TypedChoiceField(label=_("Move to"), coerce=int, choices=())

    def __init__(self, *args: Any, categories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories  # type: ignore[attr-defined]


class BanForm(ReasonForm):
    days = forms.IntegerField(
        label=_("Days (leave empty: until lifted)"), min_value=1, max_value=3650, required=False
    )


class TrustForm(ReasonForm):
    level = forms.TypedChoiceField(label=_("Trust level"), coerce=int, choices=TrustLevel.choices)


class HandleForm(forms.Form):
    handle = forms.CharField(
        label=_("Your handle"),
        max_length=30,
        help_text=_("Others mention you as @handle."),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )


class ChapterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=())
    city = forms.CharField(
        label=_("City (leave empty for a whole-country chapter)"), max_length=80, required=False
    )
    description = _text(_("About the chapter"), 4000, rows=4, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = list(countries)  # type: ignore[attr-defined]


class LeadForm(forms.Form):
    handle = forms.CharField(label=_("Member's handle"), max_length=31)
    lead = forms.TypedChoiceField(
        label=_("Role"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Make lead")), ("0", _("Member only"))],
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = _text(
        _("What will happen"), 8000, rows=4, required=False, help_text=MARKDOWN_HELP
    )
    mode = forms.ChoiceField(label=_("Where"), choices=EventMode.choices)
    location = forms.CharField(
        label=_("Meeting link (https://…) or address"),
        max_length=300,
        help_text=_("Only the people going see it."),
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.CharField(
        label=_("Time zone of that time"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "spellcheck": "false", "dir": "ltr"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=15, max_value=720, initial=60
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=5000, initial=50)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=EventVisibility.choices)

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in time_zones():
            raise forms.ValidationError(_("Choose a time zone from the list, like Europe/London."))
        return zone

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        at = data.pop("at")
        data["starts_local"] = datetime.combine(data.pop("day"), time(at.hour, at.minute))
        return data


class NominationForm(forms.Form):
    handle = forms.CharField(
        label=_("Contributor's handle"),
        max_length=31,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )
    citation = _text(
        _("Citation: what they have given, and to whom"), 3000, help_text=MARKDOWN_HELP
    )


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Accept")), ("0", _("Do not accept"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (kept with the decision)"), max_length=500, required=False)
    citation = _text(_("Citation as published (empty: as nominated)"), 3000, rows=4, required=False)


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CallKind.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    body = _text(_("Terms of reference"), 10000, rows=8, help_text=MARKDOWN_HELP)
    discipline = forms.ChoiceField(
        label=_("Discipline (curriculum review)"),
        choices=[("", "—"), *Discipline.choices],
        required=False,
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    seats = forms.IntegerField(label=_("Panel seats"), min_value=1, max_value=50, initial=7)
    closes_on = forms.DateField(
        label=_("Applications close on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ApplyForm(forms.Form):
    statement = _text(_("Your expertise for this panel"), 5000, help_text=MARKDOWN_HELP)


class SelectForm(forms.Form):
    applications = forms.TypedMultipleChoiceField(
        label=_("Panel members"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    file = forms.FileField(
        label=_("File (PDF, Word, Excel, PowerPoint, OpenDocument or text; up to 10 MB)")
    )


class CommentForm(forms.Form):
    body = _text(_("Comment"), 5000, rows=4, help_text=MARKDOWN_HELP)
    document = forms.TypedChoiceField(
        label=_("About"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, documents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("The panel's work in general")), *documents]  # type: ignore[attr-defined]
