"""Work-activity themes for the interest inventory, and how much each pathway draws on each.

The inventory's items (written for Rabta, in ``rabta.profiling.inventory``) each belong to one
theme; a person's theme score is the mean of their answers to its items, scaled to 0..1.  A
pathway's interest fit is the weighted mean of the person's theme scores with the weights below
(each row sums to 1).  The themes follow the work activities engineers describe when they talk
about the freelance work they enjoy: drawing, shaping objects, analysing, programming, working with
data, hardware, places and sites, energy, organising, explaining.
"""

from __future__ import annotations

THEMES = (
    "draw",  # precise technical drawings and layouts
    "model",  # shaping physical products and assemblies in 3D
    "analyse",  # calculations, simulations, checking designs against codes
    "code",  # writing and maintaining software, securing systems
    "data",  # finding patterns in data, statistics, machine learning
    "hardware",  # circuits, controllers, machines, instruments
    "place",  # sites, maps, water, land and the environment
    "energy",  # energy use, power systems, renewables
    "organise",  # plans, budgets, quantities, schedules
    "explain",  # writing, teaching, explaining to clients
)

_W = dict[str, float]


def _weights(**parts: float) -> _W:
    total = sum(parts.values())
    unknown = set(parts) - set(THEMES)
    if unknown:
        raise ValueError(f"unknown themes {sorted(unknown)}")
    return {theme: round(value / total, 4) for theme, value in parts.items()}


PATHWAY_THEMES: dict[str, _W] = {
    "cad-drafting-3d-modelling": _weights(draw=3, model=2),
    "bim-modelling": _weights(draw=2, model=2, organise=1),
    "structural-analysis-design-support": _weights(analyse=3, draw=1, place=1),
    "civil-infrastructure-design": _weights(place=2, draw=2, analyse=1),
    "mep-design": _weights(draw=2, analyse=1, energy=1),
    "quantity-takeoff-cost-estimation": _weights(organise=3, draw=1),
    "gis-remote-sensing": _weights(place=3, data=2),
    "solar-pv-renewable-design": _weights(energy=3, analyse=1, draw=1),
    "energy-auditing": _weights(energy=3, analyse=1, explain=1),
    "hvac-load-calculation": _weights(analyse=2, energy=2, draw=1),
    "power-system-studies": _weights(energy=2, analyse=3),
    "pcb-design": _weights(hardware=3, draw=1),
    "fpga-digital-design": _weights(hardware=2, code=2),
    "embedded-firmware-iot": _weights(code=2, hardware=3),
    "plc-scada-automation": _weights(hardware=3, code=1, organise=1),
    "robotics-mechatronics": _weights(hardware=2, model=1, code=2),
    "mechanical-product-design": _weights(model=3, draw=1, analyse=1),
    "fea-stress-analysis": _weights(analyse=3, model=2),
    "cfd-simulation": _weights(analyse=3, model=1, energy=1),
    "matlab-simulink-modelling": _weights(analyse=2, code=2, data=1),
    "data-analysis-ml-engineering": _weights(data=3, code=2),
    "software-development": _weights(code=4, organise=1),
    "web-development": _weights(code=3, draw=1, explain=1),
    "mobile-app-development": _weights(code=3, draw=1),
    "technical-writing": _weights(explain=4, organise=1),
    "project-scheduling-controls": _weights(organise=4, explain=1),
    "telecom-rf-planning": _weights(place=2, analyse=2, hardware=1),
    "network-voip-engineering": _weights(code=2, hardware=2, organise=1),
    "water-wastewater-design": _weights(place=3, analyse=2),
    "cybersecurity": _weights(code=3, data=1, explain=1),
    "chemical-process-simulation": _weights(analyse=3, energy=1, data=1),
}
