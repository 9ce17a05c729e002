from django.contrib.auth.management import create_permissions
from django.db import migrations

# Curators subscribe to feeds and review what came of their entries (docs/curation.md).
CURATOR_PERMISSIONS = ["view_feed", "add_feed", "change_feed", "delete_feed", "view_feedentry"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curator = Group.objects.filter(name="Curator").first()
    if curator is not None:
        curator.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CURATOR_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_web_jobs_feeds_snapshots")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
