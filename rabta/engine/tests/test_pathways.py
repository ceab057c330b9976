import math

from rabta.engine.pathways import pathway, pathways
from rabta.engine.taxonomy import taxonomy

REQUIRED = [
    "cad",
    "bim",
    "structural",
    "mep",
    "quantity",
    "gis",
    "solar",
    "energy-audit",
    "hvac",
    "power-system",
    "pcb",
    "embedded",
    "plc",
    "product-design",
    "fea",
    "cfd",
    "matlab",
    "data",
    "software",
    "technical-writing",
    "scheduling",
    "rf",
    "water",
    "cybersecurity",
]
DISCIPLINES = {
    "AERO",
    "AGRI",
    "BME",
    "CERAMIC",
    "CHEM",
    "CIVIL",
    "COMP",
    "ELECT",
    "ELECTRO",
    "ENV",
    "GEO",
    "IND",
    "MARINE",
    "MECH",
    "MECHATRO",
    "METAL",
    "MINING",
    "NUCLEAR",
    "PETRO",
    "POLY",
    "SOFT",
    "TELE",
    "TEXTILE",
    "TRANS",
    "URBAN",
}


def test_the_catalogue_covers_the_engineering_services_the_initiative_names():
    catalogue = pathways()
    slugs = [p.slug for p in catalogue]
    assert len(catalogue) >= 24
    assert len(set(slugs)) == len(slugs)
    missing = [key for key in REQUIRED if not any(key in slug for slug in slugs)]
    assert missing == []


def test_every_pathway_is_anchored_in_the_taxonomy():
    t = taxonomy()
    technology = {tech.name for tech in t.technology}
    for p in pathways():
        essential = {s.id for s in p.essential_skills}
        optional = {s.id for s in p.optional_skills}
        assert 4 <= len(essential) <= 8, p.slug
        assert 3 <= len(optional) <= 8, p.slug
        assert not essential & optional, p.slug
        for ref in (*p.essential_skills, *p.optional_skills):
            assert t.skill(ref.id).label == ref.label, (p.slug, ref)
        for tool in p.tools:
            assert tool in technology or tool in p.tools_not_in_onet, (p.slug, tool)
        assert set(p.disciplines) <= DISCIPLINES, p.slug
        assert p.deliverables
        assert p.where_it_sells
        assert 0.0 <= p.demand_prior <= 1.0
        assert bool(p.how_without_stamp) == p.needs_local_stamp, p.slug


def test_demand_priors_are_log_scaled_relative_to_the_largest():
    catalogue = pathways()
    largest = max(p.demand_projects for p in catalogue)
    for p in catalogue:
        assert abs(p.demand_prior - math.log1p(p.demand_projects) / math.log1p(largest)) < 1e-3
    by_projects = sorted(catalogue, key=lambda p: p.demand_projects)
    assert [p.demand_prior for p in by_projects] == sorted(p.demand_prior for p in catalogue)
    mep = next(p for p in catalogue if "mep" in p.slug)
    assert 0.0 < mep.demand_prior < 0.5  # small, but not erased


def test_lookup_by_slug():
    first = pathways()[0]
    assert pathway(first.slug) is first
