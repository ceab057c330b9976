"""Forms for the portfolio pages: they parse and bound input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rabta.engine.milestones import LineError, milestones_parse
from rabta.engine.pathways import pathways
from rabta.portfolio.models import (
    Contract,
    OutcomeEntry,
    OutcomeKind,
    Portfolio,
    PortfolioItem,
    Proposal,
)
from rabta.portfolio.services.drafts import CONTRACT_FIELDS, PROPOSAL_FIELDS
from rabta.portfolio.uploads import ACCEPTED, MAX_UPLOAD_BYTES

SCAM_MESSAGE_MAX = 5000
PLATFORMS = ["Upwork", "Fiverr", "Freelancer.com", "Toptal", "PeoplePerHour", "Guru", "LinkedIn"]


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A choice field whose choices are set when the form is made."""
    return cast(forms.ChoiceField, form.fields[name])


def _bounds(form: forms.BaseForm, name: str, low: Decimal | None, high: Decimal | None) -> None:
    """Bound a model form's decimal field when the form is made.  django-stubs types a decimal
    field's bounds as its parent integer field's, where Django takes any number."""
    field = cast(forms.DecimalField, form.fields[name])
    if low is not None:
        field.min_value = low  # type: ignore[assignment]
    if high is not None:
        field.max_value = high  # type: ignore[assignment]


def pathway_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(p.slug, p.title) for p in pathways()]


class PortfolioForm(forms.ModelForm):
    class Meta:
        model = Portfolio
        fields = ["display_name", "headline", "summary", "basic_price_usd", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "headline": _(
                "What you deliver, for whom, in one line: e.g. Structural design and ETABS "
                "modelling for mid-rise buildings."
            ),
            "summary": _("Shown at the top of your public page. Markdown: **bold**, lists, links."),
            "published": _(
                "Anyone with the link can see your public and redacted items. Private items stay "
                "private."
            ),
        }


class ItemForm(forms.ModelForm):
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills this work shows"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PortfolioItem
        fields = [
            "title",
            "client",
            "year",
            "visibility",
            "pathway",
            "problem",
            "role",
            "tools",
            "delivered",
            "outcome",
            "skills",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("problem", "role", "delivered", "outcome")
        }
        help_texts = {
            "client": _("Hidden on the public page when the item is redacted."),
            "outcome": _("With a number: time saved, cost cut, drawings delivered, errors found."),
            "tools": _("Separate with commas: AutoCAD, ETABS, ACI 318."),
        }

    def __init__(self, *args: Any, skill_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "pathway").choices = pathway_choices(str(_("Not tied to a pathway")))
        _choice(self, "skills").choices = skill_choices


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Drawing, render, photo or PDF"),
        help_text=_(
            "JPEG, PNG, WebP or PDF, up to %(mb)d MB. Photos lose their location and camera data."
        )
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )
    label = forms.CharField(label=_("Caption"), max_length=120, required=False)
    cleared = forms.BooleanField(
        label=_("This file shows nothing confidential (it may appear on a redacted item)"),
        required=False,
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:  # refuse before reading it into memory
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. Export a smaller version and try again.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return uploaded


class ProposalForm(forms.ModelForm):
    item = forms.ModelChoiceField(
        label=_("Portfolio item to point to"), queryset=PortfolioItem.objects.none(), required=False
    )

    class Meta:
        model = Proposal
        # the service's fields in its order; the pathway is set elsewhere, the item is chosen here
        fields = [*(name for name in PROPOSAL_FIELDS if name not in ("pathway", "item_id")), "item"]
        labels = {
            "job_post": _("The job post (paste it)"),
            "client_budget": _("Client's budget (USD), if stated"),
            "understanding": _("What the client needs, in your words"),
            "approach": _("How you would do it (one step per line)"),
            "milestone_title": _("A small first milestone"),
            "milestone_amount": _("Its price (USD)"),
            "milestone_days": _("Days to deliver it"),
            "questions": _("Questions for the client (one per line)"),
        }
        widgets = {
            "job_post": forms.Textarea(attrs={"rows": 5}),
            "understanding": forms.Textarea(attrs={"rows": 3}),
            "approach": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = items
        for name in ("milestone_amount", "client_budget"):
            _bounds(self, name, Decimal("0.01"), Decimal("1000000"))


class ScamForm(forms.Form):
    message = forms.CharField(
        label=_("The client's message"),
        max_length=SCAM_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nothing you paste here is stored."),
    )


class ContractForm(forms.ModelForm):
    milestones_text = forms.CharField(
        label=_("Milestones, one per line: title | amount in USD | due date"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Drawings set A | 150 | 2026-12-10"}
        ),
    )

    class Meta:
        model = Contract
        fields = [name for name in CONTRACT_FIELDS if name != "milestones"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "start_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.milestones:
            self.initial["milestones_text"] = "\n".join(
                f"{m['title']} | {m['amount']} | {m.get('due', '')}"
                for m in self.instance.milestones
            )
        _bounds(self, "hourly_rate", Decimal("1"), Decimal("1000"))

    def clean_milestones_text(self) -> list[dict[str, str]]:
        rows, errors = milestones_parse(self.cleaned_data["milestones_text"])
        if errors:
            raise forms.ValidationError(
                [milestone_line_error(e, str(_("due date"))) for e in errors]
            )
        return [{"title": r.title, "amount": str(r.amount), "due": r.third} for r in rows]


def milestone_line_error(error: LineError, third: str) -> str:
    """The message for a bad milestone line; ``third`` names the third column."""
    if error.code == "amount":
        return _("Line %(n)d: the amount is not a number.") % {"n": error.line}
    if error.code == "range":
        return _("Line %(n)d: the amount must be between 0 and 1,000,000.") % {"n": error.line}
    return _("Line %(n)d: write title | amount | %(third)s.") % {"n": error.line, "third": third}


class OutcomeForm(forms.ModelForm):
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)

    class Meta:
        model = OutcomeEntry
        fields = ["kind", "happened_on", "platform", "pathway", "count", "amount_usd"]
        widgets = {"happened_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"count": _("For proposals: how many you sent that day.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "platform").choices = [("", _("Direct client or other"))] + [
            (p, p) for p in PLATFORMS
        ]
        _choice(self, "pathway").choices = pathway_choices(str(_("Choose")))
        _choice(self, "kind").choices = OutcomeKind.choices
        self.initial.setdefault("happened_on", timezone.localdate())
        _bounds(self, "amount_usd", Decimal("0"), None)
