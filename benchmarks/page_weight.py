"""Transfer size of typical pages, all assets included, gzip-compressed as a proxy would send
them, against the 100 KB budget."""

import gzip
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


def main() -> None:
    profile = EngineerProfileFactory()
    client = Client()
    client.force_login(profile.user)
    assessed(profile.user)
    for label, url, language in [
        ("engineer profile (en)", "/me/engineer/", "en"),
        ("engineer profile (ur)", "/me/engineer/", "ur"),
        ("account home (en)", "/me/", "en"),
        ("public home (en)", "/", "en"),
        ("assessment skills (en)", "/profiling/assessment/skills/", "en"),
        ("assessment interests (ur)", "/profiling/assessment/interests/", "ur"),
        ("pathway results (en)", "/profiling/results/", "en"),
        ("pathway results (ur)", "/profiling/results/", "ur"),
    ]:
        client.cookies["rabta_language"] = language
        compressed, raw, parts = weigh(client, url)
        print(
            f"{label:24} {compressed / 1024:6.1f} KB compressed "
            f"({raw / 1024:6.1f} KB raw, ratio {compressed / raw:.2f}); "
            f"{compressed / BUDGET:.0%} of the 100 KB budget"
        )
        for name, size in parts:
            print(f"    {name:34} {size / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
