"""The interest inventory: thirty short statements about engineering work, three for each
work-activity theme in ``rabta.engine.interests``.  Written for Rabta.  People answer each on a
five-point scale from "not for me" to "I love this"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from rabta.engine.interests import THEMES

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # what gettext_lazy returns, to the type checker

SCALE = (
    (1, _("Not for me")),
    (2, _("Rather not")),
    (3, _("Neutral")),
    (4, _("I like it")),
    (5, _("I love it")),
)


@dataclass(frozen=True)
class Item:
    code: str
    theme: str
    text: StrPromise


ITEMS = (
    Item("draw1", "draw", _("Turning a rough sketch into a clean, dimensioned drawing")),
    Item("draw2", "draw", _("Checking a drawing set for missing details and clashes")),
    Item("draw3", "draw", _("Laying out a floor plan or a panel so everything fits")),
    Item("model1", "model", _("Building a 3D model of a part or an assembly")),
    Item("model2", "model", _("Improving how a product is shaped, made or put together")),
    Item("model3", "model", _("Making a realistic render of a design for a client")),
    Item("analyse1", "analyse", _("Working out loads, sizes or flows with equations")),
    Item("analyse2", "analyse", _("Running a simulation to see whether a design holds up")),
    Item("analyse3", "analyse", _("Checking a design against a code or standard")),
    Item("code1", "code", _("Writing a program that automates a boring task")),
    Item("code2", "code", _("Finding and fixing a bug in someone else's code")),
    Item("code3", "code", _("Keeping a system or network safe from attack")),
    Item("data1", "data", _("Cleaning a messy spreadsheet into something useful")),
    Item("data2", "data", _("Finding a pattern in measurements or sales data")),
    Item("data3", "data", _("Training a model that predicts or classifies")),
    Item("hardware1", "hardware", _("Designing or soldering an electronic circuit")),
    Item("hardware2", "hardware", _("Programming a controller that runs a machine")),
    Item("hardware3", "hardware", _("Testing a device with meters and instruments")),
    Item("place1", "place", _("Reading a site from maps and satellite images")),
    Item("place2", "place", _("Planning roads, pipes or drains across a piece of land")),
    Item("place3", "place", _("Working on water supply, flooding or the environment")),
    Item("energy1", "energy", _("Sizing a solar system for a home or a factory")),
    Item("energy2", "energy", _("Finding where a building wastes energy")),
    Item("energy3", "energy", _("Studying how power flows through a network")),
    Item("organise1", "organise", _("Counting quantities and pricing a job")),
    Item("organise2", "organise", _("Building a schedule and keeping a project on track")),
    Item("organise3", "organise", _("Keeping documents, versions and approvals in order")),
    Item("explain1", "explain", _("Writing a clear report or manual")),
    Item(
        "explain2", "explain", _("Explaining a technical choice to a client who is not an engineer")
    ),
    Item("explain3", "explain", _("Teaching a method to someone new")),
)

BY_CODE = {item.code: item for item in ITEMS}

assert {item.theme for item in ITEMS} == set(THEMES), "every theme needs items"  # noqa: S101


def theme_answers(answers: dict[str, int]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for code, value in answers.items():
        item = BY_CODE.get(code)
        if item is not None and isinstance(value, int) and 1 <= value <= 5:
            grouped.setdefault(item.theme, []).append(value)
    return grouped
