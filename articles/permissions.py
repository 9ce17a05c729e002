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


# Articles from the web and background jobs.
def can_add_articles(user):
    return user.is_authenticated and user.has_perm("articles.add_article")


def can_see_job(user, job):
    """A job's owner sees it; curators see every job, feed polls (which have no owner) included."""
    return is_curator(user) or (user.is_authenticated and job.owner_id == user.id)


def jobs_visible_to(user, jobs):
    return jobs if is_curator(user) else jobs.filter(owner_id=user.id)
