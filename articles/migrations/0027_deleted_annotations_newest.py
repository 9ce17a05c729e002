"""The deleted annotations' index in the admin list's order (newest first): with one by
deletion date, SQLite joined and sorted every deleted row for the "Deleted" filter."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_search_vectors_lz4"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="annotation",
            name="annotation_deleted",
        ),
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["-created_at", "-id"],
                name="annotation_deleted_newest",
            ),
        ),
    ]
