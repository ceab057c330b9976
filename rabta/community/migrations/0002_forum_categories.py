"""The forums every installation starts with: one per sector and four topics."""

from django.db import migrations

SECTORS = [
    ("ai", "Artificial intelligence and data"),
    ("renewable_energy", "Renewable energy"),
    ("power", "Power systems and grids"),
    ("cybersecurity", "Cybersecurity"),
    ("smart_infrastructure", "Smart infrastructure and cities"),
    ("water", "Water management"),
    ("construction", "Construction and structures"),
    ("transport", "Transport and logistics"),
    ("manufacturing", "Manufacturing and automation"),
    ("oil_gas", "Oil, gas and mining"),
    ("telecom", "Telecommunications"),
    ("semiconductors", "Electronics and semiconductors"),
    ("software", "Software and cloud"),
    ("agriculture", "Agriculture and food"),
    ("health", "Health technology"),
    ("climate", "Climate and environment"),
    ("aerospace", "Aerospace and defence"),
    ("academia", "Research and academia"),
]
TOPICS = [
    ("freelancing", "Freelancing"),
    ("careers", "Careers"),
    ("startups", "Startups"),
]


def create(apps, schema_editor):
    Category = apps.get_model("community", "Category")
    for position, (slug, name) in enumerate(TOPICS):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (sector, name) in enumerate(SECTORS, start=10):
        Category.objects.get_or_create(
            slug=sector.replace("_", "-"),
            defaults={"name": name, "sector": sector, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_community_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
