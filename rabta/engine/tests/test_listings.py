from dataclasses import replace

from rabta.engine.contact import contact_details
from rabta.engine.listings import (
    GIG_TITLE_MAX,
    OVERVIEW_MAX,
    TAGS_MAX,
    TITLE_MAX,
    Highlight,
    ListingInput,
    platform_text,
    short_tool,
)
from rabta.engine.pathways import pathway, pathways


def cad_input(**changes: object) -> ListingInput:
    base = ListingInput(
        pathway=pathway("cad-drafting-3d-modelling"),
        discipline="Civil",
        years_experience=4,
        pec_verified=True,
        tools=("Autodesk AutoCAD", "Autodesk Revit"),
        highlights=(
            Highlight(
                "Scan-to-CAD of a textile mill",
                "Delivered 120 sheets in 9 days. The client reused them.",
            ),
        ),
        basic_price_usd=60,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_title_names_the_discipline_the_service_and_the_engineers_tools_within_the_limit():
    text = platform_text(cad_input())
    assert text.title.startswith("Civil Engineer | CAD drafting and 3D modelling")
    assert "AutoCAD" in text.title
    assert len(text.title) <= TITLE_MAX


def test_every_pathway_gives_titles_gigs_and_overviews_within_platform_limits():
    for p in pathways():
        text = platform_text(cad_input(pathway=p, discipline="Electrical", tools=()))
        assert 0 < len(text.title) <= TITLE_MAX, p.slug
        assert len(text.overview) <= OVERVIEW_MAX
        assert text.gigs, p.slug
        for gig in text.gigs:
            assert gig.title.startswith("I will provide ")
            assert len(gig.title) <= GIG_TITLE_MAX
            assert 0 < len(gig.tags) <= TAGS_MAX


def test_overview_uses_only_the_engineers_own_facts():
    text = platform_text(cad_input())
    assert "PEC-registered civil engineer from Pakistan with 4 years of experience" in text.overview
    assert "Scan-to-CAD of a textile mill: Delivered 120 sheets in 9 days." in text.overview
    unverified = platform_text(cad_input(pec_verified=False, years_experience=0, highlights=()))
    assert "PEC-registered" not in unverified.overview
    assert "years of experience" not in unverified.overview
    assert "Recent work" not in unverified.overview


def test_overview_has_no_contact_details():
    assert contact_details(platform_text(cad_input()).overview) == []


def test_three_packages_climb_in_price_scope_and_time():
    basic, standard, premium = platform_text(cad_input(basic_price_usd=60)).packages
    assert [p.name for p in (basic, standard, premium)] == ["Basic", "Standard", "Premium"]
    assert (basic.price_usd, standard.price_usd, premium.price_usd) == (60, 150, 300)
    assert len(basic.deliverables) < len(standard.deliverables) < len(premium.deliverables)
    assert basic.delivery_days < standard.delivery_days < premium.delivery_days


def test_stamp_advice_appears_only_where_clients_need_a_local_stamp():
    stamped = next(p for p in pathways() if p.needs_local_stamp)
    unstamped = next(p for p in pathways() if not p.needs_local_stamp)
    assert "engineer of record" in platform_text(cad_input(pathway=stamped)).overview
    assert "engineer of record" not in platform_text(cad_input(pathway=unstamped)).overview


def test_vendor_names_are_dropped_from_tool_names():
    assert short_tool("Autodesk AutoCAD") == "AutoCAD"
    assert short_tool("Dassault Systemes SolidWorks") == "SolidWorks"
    assert short_tool("MATLAB") == "MATLAB"
