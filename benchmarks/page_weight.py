"""Transfer size of typical pages, all assets included, gzip-compressed as a proxy would send
them, against the 100 KB budget.

    .venv/bin/python benchmarks/page_weight.py          # portfolio of three case studies
    .venv/bin/python benchmarks/page_weight.py --smoke  # one case study, no part list (CI)

Either way it fails (exit status 1) when a page is over the budget, is not in the language asked
for, or the public portfolio does not show a thumbnail for each image.
"""

import argparse
import gzip
import os
import re

from _setup import django_ready

django_ready()

from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

from rabta.accounts.tests.factories import EngineerProfileFactory  # noqa: E402

BUDGET = 100 * 1024


def weigh(client: Client, url: str) -> tuple[int, int, list[tuple[str, int]]]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    html = response.content
    parts = [("html", len(gzip.compress(html, 9)))]
    raw = len(html)
    for asset in re.findall(rb'(?:src|href)="/static/([^"]+)"', html):
        data = open(finders.find(asset.decode()), "rb").read()  # noqa: SIM115
        raw += len(data)
        parts.append((asset.decode(), len(gzip.compress(data, 9))))
    # Portfolio thumbnails are JPEGs already: counted as sent, not gzipped again.
    for n, image in enumerate(re.findall(rb'<img src="(/portfolio/files/[^"]+)"', html)):
        data = b"".join(client.get(image.decode()).streaming_content)  # type: ignore[attr-defined]
        raw += len(data)
        parts.append((f"thumbnail {n + 1}", len(data)))
    return sum(size for _n, size in parts), raw, parts


def assessed(user) -> None:  # type: ignore[no-untyped-def]
    """A completed career assessment, so the results page can be weighed."""
    from rabta.engine.pathways import pathway
    from rabta.profiling import services
    from rabta.profiling.inventory import ITEMS

    services.assessment_start(user=user)
    for ref in pathway("bim-modelling").essential_skills[:5]:
        services.skill_add(user=user, skill_id=ref.id, level=3)
    services.skills_done(user=user)
    services.tools_save(user=user, tools=["Revit", "AutoCAD"], final=True)
    for step in ("experience", "digital", "goals"):
        services.answers_save(user=user, step=step, data={}, final=True)
    services.interests_save(user=user, answers={i.code: 4 for i in ITEMS}, final=True)
    services.assessment_complete(user=user)
    services.assessment_start(user=user)  # a second one in progress, for the step pages


def portfolio(user, items: int = 3) -> str:  # type: ignore[no-untyped-def]
    """A published portfolio of ``items`` case studies, each with a full-size drawing and a
    photo; returns its public address."""
    import io
    import random

    from PIL import Image

    from rabta.portfolio import services
    from rabta.portfolio.demo import drawing

    rng = random.Random(7)
    services.portfolio_update(
        user=user,
        headline="BIM modelling and clash detection",
        summary="Overview. " * 60,
        published=True,
    )
    for n in range(items):
        item = services.item_save(
            user=user,
            title=f"Hospital wing {n}",
            problem="Problem. " * 40,
            role="Role. " * 10,
            tools="Revit, Navisworks",
            delivered="Delivered. " * 30,
            outcome="Cut clashes by 40%.",
            visibility="public",
        )
        photo = Image.effect_noise((2400, 1600), 40).convert("RGB")  # photo-like, hard to compress
        out = io.BytesIO()
        photo.save(out, format="JPEG", quality=90)
        for name, data in (("plan.png", drawing(rng)), ("site.jpg", out.getvalue())):
            services.attachment_add(user=user, item_id=item.pk, name=name, data=data)
    return "/p/" + services.portfolio_ensure(user=user).slug + "/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    args = parser.parse_args()
    items = 1 if args.smoke else 3
    print(f"load average {os.getloadavg()[0]:.2f}")
    profile = EngineerProfileFactory()
    client = Client()
    client.force_login(profile.user)
    assessed(profile.user)
    public = portfolio(profile.user, items)
    failures = []
    for label, url, language in [
        ("engineer profile (en)", "/me/engineer/", "en"),
        ("engineer profile (ur)", "/me/engineer/", "ur"),
        ("account home (en)", "/me/", "en"),
        ("public home (en)", "/", "en"),
        ("assessment skills (en)", "/profiling/assessment/skills/", "en"),
        ("assessment interests (ur)", "/profiling/assessment/interests/", "ur"),
        ("pathway results (en)", "/profiling/results/", "en"),
        ("pathway results (ur)", "/profiling/results/", "ur"),
        ("public portfolio (en)", public, "en"),
        ("portfolio builder (ur)", "/portfolio/", "ur"),
    ]:
        client.cookies["rabta_language"] = language
        compressed, raw, parts = weigh(client, url)
        print(
            f"{label:24} {compressed / 1024:6.1f} KB compressed "
            f"({raw / 1024:6.1f} KB raw, ratio {compressed / raw:.2f}); "
            f"{compressed / BUDGET:.0%} of the 100 KB budget"
        )
        if not args.smoke:
            for name, size in parts:
                print(f"    {name:34} {size / 1024:6.1f} KB")
        if compressed > BUDGET:
            failures.append(f"{label} is over the 100 KB budget")
        html = client.get(url).content
        if f'<html lang="{language}"'.encode() not in html:
            failures.append(f"{label} is not in {language}")
        if url == public:
            thumbnails = sum(1 for name, _size in parts if name.startswith("thumbnail"))
            if thumbnails != 2 * items:
                failures.append(f"{label} shows {thumbnails} thumbnails for {2 * items} images")
    if failures:
        raise SystemExit("FAILED:\n  " + "\n  ".join(failures))
    print("checks passed: every page under budget, in its language, every thumbnail shown")


if __name__ == "__main__":
    main()
