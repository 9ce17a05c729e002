"""Who may do what (roles are groups; see articles/migrations/0003_roles.py and README)."""

from functools import cache

from django.db.models import Q


def can_annotate(user):
    return user.is_authenticated and user.has_perm("articles.add_annotation")


def is_curator(user):
    return user.is_authenticated and user.has_perm("articles.curate_annotation")


def can_change_annotation(user, annotation):
    """The author (with the change permission) or a curator may edit or delete it."""
    if is_curator(user):
        return True
    return annotation.author_id == user.id and user.has_perm("articles.change_annotation")


# Articles from the web and background jobs.
def can_add_articles(user):
    return user.is_authenticated and user.has_perm("articles.add_article")


def can_see_job(user, job):
    """A job's owner sees it; curators see every job, feed polls (which have no owner) included."""
    return is_curator(user) or (user.is_authenticated and job.owner_id == user.id)


def jobs_visible_to(user, jobs):
    return jobs if is_curator(user) else jobs.filter(owner_id=user.id)


# Blind coding (articles/coding): the one place that decides whose annotations a user sees.
def visible_annotations(user, annotations):
    """`annotations` narrowed to what `user` may see.

    On an article of a blind coding batch that is not adjudicated yet, everyone but a
    curator sees only their own annotations; everywhere else everyone sees everything.
    """
    if is_curator(user):
        return annotations
    return annotations.filter(visible_condition(user))


def visible_condition(user, prefix=""):
    """The blind rule as a condition on an annotation (reached through `prefix`, e.g.
    "source__"), for queries that cannot start from an annotation queryset: a condition
    on each row, never a list of every visible annotation."""
    if is_curator(user):
        return Q()
    own = Q(**{f"{prefix}author_id": user.pk}) if user.is_authenticated else Q(pk__in=[])
    return ~Q(**{f"{prefix}article_id__in": blind_pending_articles()}) | own


def visible_annotations_sql(user, table):
    """The blind rule of visible_annotations as an SQL condition and its parameters, for
    the hand-written queries of the create path (articles/spans/views.py), where building
    the queryset costs more than running it. `table` is the annotation table's name or alias.
    The same rule as above; tests/test_visible_annotations_sql.py holds the two together.
    """
    if is_curator(user):
        return "1 = 1", []
    pending = blind_pending_articles_sql()
    if not user.is_authenticated:
        return f"NOT ({table}.article_id IN ({pending}))", [True]
    return f"(NOT ({table}.article_id IN ({pending})) OR {table}.author_id = %s)", [True, user.pk]


@cache
def blind_pending_articles_sql():
    from articles.coding.models import BatchArticle, CodingBatch

    return (
        f"SELECT ba.article_id FROM {BatchArticle._meta.db_table} ba "  # noqa: S608
        f"JOIN {CodingBatch._meta.db_table} cb ON cb.id = ba.batch_id "
        "WHERE cb.blind = %s AND ba.adjudicated_at IS NULL"
    )


def blind_pending_articles():
    """The ids (a subquery) of articles in a blind batch that are not adjudicated yet."""
    from articles.coding.models import BatchArticle

    return BatchArticle.objects.filter(batch__blind=True, adjudicated_at__isnull=True).values("article_id")


def can_view_analytics(user):
    """Every role that may read annotations may see the figures they add up to."""
    return user.is_authenticated and user.has_perm("articles.view_annotation")


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


# Who said what (articles/sources/): links, source entities and tone fields.
def can_attribute(user, claim):
    """A claim's links are part of the claim: its author or a curator changes them."""
    return user.has_perm("articles.add_attribution") and can_change_annotation(user, claim)


def import_link_refusal(user, claim):
    """Why `user` may not add, by import, a link from `claim` (an annotation already here)
    to a source, or "". The file's own new claims are the importer's (import_row_refusal)."""
    if imports_as_recorded(user) or can_attribute(user, claim):
        return ""
    author = claim.author.get_username() if claim.author else "nobody now"
    return f"you can link only your own claims (claim {claim.uuid} is by {author})"


def can_view_sources(user):
    return user.is_authenticated and user.has_perm("articles.view_source")


def can_add_source(user):
    return user.is_authenticated and user.has_perm("articles.add_source")


def can_merge_sources(user):
    """Merging deletes entities, so it takes the curators' delete right."""
    return user.is_authenticated and user.has_perms(["articles.change_source", "articles.delete_source"])
