"""The default codebook's kinds and tone polarities, and the roles' rights on the source
registry and attribution links. Idempotent: the test suite replays it after a flush."""

from django.db import migrations

KINDS = {"claim": "claim", "source": "source", "tone": "tone"}
POLARITY = {"negative": -1, "neutral": 0, "positive": 1}

ROLE_PERMISSIONS = {
    "Annotator": [
        "view_source",
        "add_source",
        "change_source",
        "view_attribution",
        "add_attribution",
        "change_attribution",
        "delete_attribution",
    ],
    "Curator": [
        "view_source",
        "add_source",
        "change_source",
        "delete_source",
        "view_attribution",
        "add_attribution",
        "change_attribution",
        "delete_attribution",
    ],
    "Viewer": ["view_source", "view_attribution"],
}


def seed_kinds_and_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Category = apps.get_model("articles", "Category")
    Label = apps.get_model("articles", "Label")
    for slug, kind in KINDS.items():
        Category.objects.filter(slug=slug, kind="plain").update(kind=kind)
    for name, polarity in POLARITY.items():
        Label.objects.filter(category__slug="tone", name=name, polarity__isnull=True).update(
            polarity=polarity
        )

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_attribution"), ("articles", "0003_roles")]
    operations = [migrations.RunPython(seed_kinds_and_roles, migrations.RunPython.noop)]
