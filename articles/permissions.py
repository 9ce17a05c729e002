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


# Who said what (articles/sources/): links, source entities and tone fields.
def can_attribute(user, claim):
    """A claim's links are part of the claim: its author or a curator changes them."""
    return user.has_perm("articles.add_attribution") and can_change_annotation(user, claim)


def can_view_sources(user):
    return user.is_authenticated and user.has_perm("articles.view_source")


def can_add_source(user):
    return user.is_authenticated and user.has_perm("articles.add_source")


def can_merge_sources(user):
    """Merging deletes entities, so it takes the curators' delete right."""
    return user.is_authenticated and user.has_perms(["articles.change_source", "articles.delete_source"])
