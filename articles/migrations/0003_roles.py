from django.contrib.auth.management import create_permissions
from django.db import migrations

# Permission codenames per role; docs/curation.md says what each role may do.
ROLES = {
    "Annotator": [
        "view_article",
        "add_article",
        "view_category",
        "view_label",
        "view_annotation",
        "add_annotation",
        "change_annotation",
        "delete_annotation",
    ],
    "Curator": [
        "view_article",
        "add_article",
        "change_article",
        "delete_article",
        "view_category",
        "add_category",
        "change_category",
        "delete_category",
        "view_label",
        "add_label",
        "change_label",
        "delete_label",
        "view_annotation",
        "add_annotation",
        "change_annotation",
        "delete_annotation",
        "curate_annotation",
    ],
    "Viewer": ["view_article", "view_category", "view_label", "view_annotation"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_default_codebook"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
