"""Post images become real foreign keys to imaging's assets, with an explicit "decorative".

Until now the service refused every image, so the table is empty; the placeholder column is
dropped and the foreign key added (rows, if any, could not name a real asset anyway).
"""

import django.db.models.deletion
from django.db import migrations, models


def _forget_placeholders(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("social", "PostAttachment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imaging", "0001_initial"),
        ("social", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_forget_placeholders, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="postattachment", name="social_attachment_once"),
        migrations.RemoveIndex(model_name="postattachment", name="social_attachment_asset"),
        migrations.RemoveField(model_name="postattachment", name="asset_id"),
        migrations.AddField(
            model_name="postattachment",
            name="asset",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="post_attachments",
                to="imaging.mediaasset",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="postattachment",
            name="decorative",
            field=models.BooleanField(default=False, verbose_name="decorative"),
        ),
        migrations.AddConstraint(
            model_name="postattachment",
            constraint=models.UniqueConstraint(
                fields=("post", "asset"), name="social_attachment_once"
            ),
        ),
    ]
