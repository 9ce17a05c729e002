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


# A curator's review and deletion hold against the author (issue 8); see docs/curation.md.


def change_voids_review(user, annotation):
    """A change by anyone but a curator sends a reviewed annotation back to pending."""
    return annotation.status != annotation.PENDING and not is_curator(user)


def restore_refusal(user, annotation):
    """Why `user` may not restore this deleted annotation, or "" if they may.

    Only a curator restores what a curator deleted; an author restores only their own
    deletion (a deletion whose deleter is unknown counts as a curator's).
    """
    if is_curator(user):
        return ""
    if not can_change_annotation(user, annotation):
        return "Only the author or a curator can change this annotation."
    if annotation.deleted_by_id != user.id:
        return "A curator deleted this annotation; only a curator can restore it."
    return ""


def imports_as_recorded(user):
    """Curators, and the operator's import command (no user), import authorship and review as
    the file records them; anyone else imports only their own, unreviewed annotations."""
    return user is None or is_curator(user)


def import_row_refusal(user, *, author, status, reviewed_by, existing=None):
    """Why `user` may not import a row (author and reviewed_by are usernames), or "".

    `existing` is the deleted annotation the row would restore, None for a new one.
    """
    if imports_as_recorded(user):
        return ""
    if author != user.get_username():
        return f"you can import only your own annotations (this one is by {author})"
    if status != "pending":
        return f"only a curator can import a review (status {status})"
    if reviewed_by:
        return f"only a curator can import a review (reviewed by {reviewed_by})"
    if existing is not None:
        if existing.author_id != user.id:
            return f"annotation {existing.uuid} is someone else's: only a curator can restore it"
        if existing.deleted_by_id != user.id:
            return f"annotation {existing.uuid} cannot be restored: a curator deleted it"
    return ""
