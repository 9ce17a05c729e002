"""Who may do what (roles are groups; see articles/migrations/0003_roles.py and README)."""

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
    own = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return annotations.filter(~Q(article_id__in=blind_pending_articles()) | own)


def blind_pending_articles():
    """The ids (a subquery) of articles in a blind batch that are not adjudicated yet."""
    from articles.coding.models import BatchArticle

    return BatchArticle.objects.filter(batch__blind=True, adjudicated_at__isnull=True).values("article_id")


def can_view_analytics(user):
    """Every role that may read annotations may see the figures they add up to."""
    return user.is_authenticated and user.has_perm("articles.view_annotation")
