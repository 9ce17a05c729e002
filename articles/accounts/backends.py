# ruff: noqa: S608 (table and column names from the models; values are parameters)
"""Django's ModelBackend, with a user's permissions read in one query instead of two.

Every request that checks a permission (each annotation create does) loads the user's
own and their groups' permissions; one UNION query does what ModelBackend does in two,
with the same result. The user of a session is read with raw(), which converts the
fields as get() does without the cost of building the query. Superusers and per-object
checks go the usual way.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, router

from articles.rows import fetch_instance, select_list


def permissions_sql():
    user_model = get_user_model()
    user_permissions = user_model.user_permissions.through._meta.db_table
    user_groups = user_model.groups.through._meta.db_table
    group_permissions = Group.permissions.through._meta.db_table
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN (SELECT up.permission_id FROM {user_permissions} up WHERE up.user_id = %s "
        f"UNION SELECT gp.permission_id FROM {group_permissions} gp "
        f"JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    )


class OneQueryModelBackend(ModelBackend):
    def get_user(self, user_id):
        # By hand (articles/rows.py): the same row and field conversions as get(), without
        # building the query.
        user_model = get_user_model()
        connection = connections[router.db_for_read(user_model)]
        quote = connection.ops.quote_name
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = fetch_instance(
            user_model,
            connection,
            f"SELECT {select_list(user_model, connection, 'u')} FROM {quote(user_model._meta.db_table)} u "
            f"WHERE u.{quote(user_model._meta.pk.column)} = %s",
            [pk],
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connections[router.db_for_read(Permission)].cursor() as cursor:
                cursor.execute(permissions_sql(), [user_obj.pk, user_obj.pk])
                rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
