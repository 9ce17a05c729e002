"""Who may do what (roles are groups; see articles/migrations/0003_roles.py and README)."""


def can_annotate(user):
    return user.is_authenticated and user.has_perm("articles.add_annotation")


def is_curator(user):
    return user.is_authenticated and user.has_perm("articles.curate_annotation")


def can_change_annotation(user, annotation):
    """The author (with the change permission) or a curator may edit or delete it."""
    if is_curator(user):
        return True
    return annotation.author_id == user.id and user.has_perm("articles.change_annotation")


def can_view_analytics(user):
    """Every role that may read annotations may see the figures they add up to."""
    return user.is_authenticated and user.has_perm("articles.view_annotation")
