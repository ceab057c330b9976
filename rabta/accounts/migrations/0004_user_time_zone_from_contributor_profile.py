"""``User.time_zone`` is the person's zone for everything: a contributor who has not chosen one
takes their profile's (which stays their availability zone for matching)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_contributor_zones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    ContributorProfile = apps.get_model("accounts", "ContributorProfile")
    profile_zone = ContributorProfile.objects.filter(user=OuterRef("pk")).values("time_zone")[:1]
    User.objects.filter(time_zone="", contributor_profile__isnull=False).exclude(
        contributor_profile__time_zone=""
    ).update(time_zone=Subquery(profile_zone))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_time_zone_digest_hour"),
    ]

    operations = [
        # Backwards there is nothing to undo: ``User.zone`` read the same zone either way.
        migrations.RunPython(copy_contributor_zones, migrations.RunPython.noop, elidable=True),
    ]
