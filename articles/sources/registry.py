"""The source registry: finding entities as an analyst types, creating and merging them.

Ranking: names and aliases with a word that starts with what was typed come before those
that merely contain it, then by use (live source annotations naming the entity), then by name.
Anonymous entities are per article: they are offered only in the article that uses them.
"""

import re

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.utils import bulk_update_with_history

from articles.models import Annotation, Source
from articles.permissions import visible_annotations

SUGGESTIONS = 10
# Candidates ranked in Python: enough that the best prefix matches are among them.
CANDIDATES = 200


def _matching(query):
    return Q(name__icontains=query) | Q(aliases__icontains=query)


def search_sources(query, *, user=None, article=None, limit=SUGGESTIONS):
    """Entities whose name or an alias contains `query`, best first, with `uses`: the
    live source annotations naming them that `user` may see (all of them without a user)."""
    query = " ".join((query or "").split())
    entities = Source.objects.all()
    if query:
        entities = entities.filter(_matching(query))

    def naming(**where):
        # Live annotations naming the entity, as `user` may see them: the blind rule is a
        # condition on each annotation row, so it is applied in a subquery of annotations.
        annotations = Annotation.objects.filter(source_entity=OuterRef("pk"), **where)
        return annotations if user is None else visible_annotations(user, annotations)

    visible = Q(anonymous=False)
    if article is not None:
        visible |= Exists(naming(article=article))
    uses = naming().values("source_entity").annotate(count=Count("id")).values("count")
    entities = entities.filter(visible).annotate(uses=Coalesce(Subquery(uses), 0))
    candidates = list(entities.order_by("-uses", "name", "id")[:CANDIDATES])
    lowered = query.lower()

    def rank(entity):
        names = [entity.name, *entity.alias_list]
        starts = any(word.startswith(lowered) for name in names for word in _word_starts(name))
        return (not starts, -entity.uses, entity.name.lower(), entity.id)

    return sorted(candidates, key=rank)[:limit]


def _word_starts(name):
    """`name` from each of its words on, lower-cased: "adm. mike mullen", "mike mullen", "mullen"."""
    lowered = name.lower()
    return [lowered[match.start() :] for match in re.finditer(r"\b\w", lowered)]


def matched_alias(entity, query):
    """The alias that matched `query`, when the name itself did not (shown beside the name)."""
    lowered = query.lower().strip()
    if not lowered or lowered in entity.name.lower():
        return ""
    return next((alias for alias in entity.alias_list if lowered in alias.lower()), "")


def find_by_name(name):
    """The one non-anonymous entity called `name` (or having it as an alias), else None."""
    name = " ".join(name.split())
    exact = list(Source.objects.filter(name__iexact=name, anonymous=False)[:2])
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    for entity in Source.objects.filter(aliases__icontains=name, anonymous=False)[:20]:
        if any(alias.lower() == name.lower() for alias in entity.alias_list):
            return entity
    return None


def create_source(name, *, user=None, anonymous=False, **fields):
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("a source needs a name")
    if len(name) > Source._meta.get_field("name").max_length:
        raise ValueError("that name is too long")
    return Source.objects.create(name=name, anonymous=anonymous, created_by=user, **fields)


class MergeError(ValueError):
    pass


@transaction.atomic
def merge_sources(survivor, others, *, user=None):
    """Fold `others` into `survivor`: every source annotation and tone target moves to it,
    their names and aliases become its aliases, blank details are filled from them, and
    they are deleted. Each moved annotation and the survivor get a history row saying so."""
    others = [other for other in others if other.pk != survivor.pk]
    if not others:
        raise MergeError("choose at least one other entity to merge into the survivor")
    other_ids = [other.pk for other in others]
    reason = f"merged {', '.join(f'#{o.pk} {o.name}' for o in others)} into #{survivor.pk} {survivor.name}"
    moved = list(
        Annotation.all_objects.filter(
            Q(source_entity_id__in=other_ids) | Q(tone_target_entity_id__in=other_ids)
        )
    )
    for annotation in moved:
        if annotation.source_entity_id in other_ids:
            annotation.source_entity_id = survivor.pk
        if annotation.tone_target_entity_id in other_ids:
            annotation.tone_target_entity_id = survivor.pk
        annotation._change_reason = reason
    if moved:
        bulk_update_with_history(
            moved,
            Annotation,
            ["source_entity", "tone_target_entity"],
            default_user=user,
            default_change_reason=reason,
            manager=Annotation.all_objects,
        )
    aliases = survivor.alias_list
    known = {survivor.name.lower(), *(alias.lower() for alias in aliases)}
    for other in others:
        for name in (other.name, *other.alias_list):
            if name.lower() not in known:
                aliases.append(name)
                known.add(name.lower())
        for field in ("affiliation", "country"):
            if not getattr(survivor, field) and getattr(other, field):
                setattr(survivor, field, getattr(other, field))
        if survivor.source_type == Source.OTHER and other.source_type != Source.OTHER:
            survivor.source_type = other.source_type
    survivor.aliases = "\n".join(aliases)
    survivor.anonymous = survivor.anonymous and all(other.anonymous for other in others)
    survivor._change_reason = reason
    if user is not None:
        survivor._history_user = user
    survivor.save()
    for other in others:
        other._change_reason = reason
        if user is not None:
            other._history_user = user
        other.delete()
    return len(moved)
