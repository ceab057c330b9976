import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0005_target_share_defaults_decimal"),
    ]

    operations = [
        migrations.AddField(
            model_name="livesession",
            name="audio_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="audio only"),
        ),
        migrations.AddField(
            model_name="livesession",
            name="slides_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="slides (PDF)"),
        ),
        migrations.AddField(
            model_name="livesession",
            name="pass_mark",
            field=models.PositiveSmallIntegerField(
                default=66,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="pass mark (percentage right)",
            ),
        ),
    ]
