"""Adjudicating one article of a batch into gold annotations (no HTTP).

A decision takes one group of coders' annotations (articles/coding/alignment.py) and
either makes gold annotations from it (one coder's version, or an adjusted span) or
rejects it. Gold annotations are ordinary annotations by the curator, accepted and
reviewed by them, with a GoldDecision that records where they came from.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.coding.alignment import AGREED, Version, align
from articles.coding.batches import CodingError, CodingInputError
from articles.coding.models import Assignment, BatchArticle, GoldDecision
from articles.models import Annotation, Attribution, Label
from articles.spans.offsets import context_around


def coders_of(batch, article):
    """The article's coders in this batch, by username."""
    return list(
        Assignment.objects.filter(batch=batch, article=article)
        .select_related("analyst")
        .order_by("analyst__username")
        .values_list("analyst_id", "analyst__username")
    )


def coder_annotations(batch, article, coder_ids):
    """The coders' live annotations on the article (never gold ones)."""
    return Annotation.objects.filter(article=article, author_id__in=coder_ids, gold__isnull=True)


def article_groups(batch, article, annotations):
    """Groups of the given (coders') annotations, each with its decisions."""
    coders = [pk for pk, _ in coders_of(batch, article)]
    versions = [
        Version(
            a.pk,
            a.author_id,
            a.label.category_id,
            a.label_id,
            a.start,
            a.end,
            (a.tone_intensity, a.tone_target_entity_id, a.tone_target_text),
        )
        for a in annotations.select_related("label")
    ]
    return align(versions, coders)


def version_details(annotations):
    """{annotation id: {"intensity", "target", "entity", "links"}} of the given (visible)
    annotations, for the comparison beside the text: a claim's links are listed only to
    sources among the same annotations, so the blind rule holds for links too."""
    details = {
        pk: {"intensity": intensity, "target": entity_name or target, "entity": source_name, "links": []}
        for pk, intensity, target, entity_name, source_name in annotations.values_list(
            "pk", "tone_intensity", "tone_target_text", "tone_target_entity__name", "source_entity__name"
        )
    }
    links = Attribution.objects.live().filter(
        claim__in=annotations.values("pk"), source__in=annotations.values("pk")
    )
    for claim_id, quote in links.order_by("source__start", "source_id").values_list(
        "claim_id", "source__quote"
    ):
        if claim_id in details:
            details[claim_id]["links"].append(quote)
    return details


def decisions_by_group(batch, article):
    decisions = {}
    for decision in (
        GoldDecision.objects.filter(batch=batch, article=article)
        .select_related("gold__label__category")
        .order_by("id")
    ):
        decisions.setdefault(decision.group_key, []).append(decision)
    return decisions


def _open(batch, article):
    state = BatchArticle.objects.select_for_update().filter(batch=batch, article=article).first()
    if state is None:
        raise CodingError("this article is not in the batch")
    if state.is_adjudicated:
        raise CodingError("adjudication of this article is finished; reopen it first")
    return state


# What a coder's annotation carries beyond its span and label, copied into the gold
# version of it (tone intensity and target, the source entity, a claim's own voice).
CARRIED = (
    "tone_intensity",
    "tone_target_entity_id",
    "tone_target_text",
    "source_entity_id",
    "anonymity",
    "own_voice",
)


def _gold(article, curator, label_id, start, end, now, like=None):
    body = article.body
    if not (0 <= start < end <= len(body)):
        raise CodingInputError(f"a span must lie within the text (0–{len(body)}) and not be empty")
    try:
        label = Label.objects.get(pk=label_id)
    except (Label.DoesNotExist, ValueError, TypeError):
        raise CodingInputError("unknown label") from None
    prefix, suffix = context_around(body, start, end)
    return Annotation.objects.create(
        article=article,
        label=label,
        author=curator,
        start=start,
        end=end,
        quote=body[start:end],
        prefix=prefix,
        suffix=suffix,
        status=Annotation.ACCEPTED,
        reviewed_by=curator,
        reviewed_at=now,
        **({name: getattr(like, name) for name in CARRIED} if like is not None else {}),
    )


def _record(batch, article, group, curator, now, gold=None, sources=()):
    decision = GoldDecision.objects.create(
        batch=batch, article=article, group_key=group.key, gold=gold, decided_by=curator, decided_at=now
    )
    sources = list(sources)
    decision.sources.set([v.id for v in sources])
    names = dict(coders_of(batch, article))
    decision.coders = ";".join(sorted({names.get(v.coder, str(v.coder)) for v in sources}))
    decision.save(update_fields=["coders"])
    if gold is not None:
        _carry_links(batch, article, gold, [v.id for v in sources], curator)
    return decision


def _carry_links(batch, article, gold, source_ids, curator):
    """Link the new gold annotation as the coders' annotations it came from are linked.

    A gold claim is attributed to a gold source when a coder's claim it came from is
    linked to a coder's source that gold source came from (a GoldDecision's `sources`),
    whichever of the two was accepted first; a source left out of gold takes its link
    along. Links are the curator's, with the coder's cue and form.
    """
    gold_of = {}
    for annotation_id, gold_id in GoldDecision.sources.through.objects.filter(
        golddecision__batch=batch, golddecision__article=article, golddecision__gold__isnull=False
    ).values_list("annotation_id", "golddecision__gold_id"):
        gold_of.setdefault(annotation_id, set()).add(gold_id)
    mine = set(source_ids)
    links = Attribution.objects.live().filter(Q(claim_id__in=mine) | Q(source_id__in=mine)).order_by("pk")
    for claim_id, source_id, cue, form in links.values_list("claim_id", "source_id", "cue", "form"):
        pairs = []
        if claim_id in mine:
            pairs += [(gold.pk, other) for other in gold_of.get(source_id, ())]
        if source_id in mine:
            pairs += [(other, gold.pk) for other in gold_of.get(claim_id, ())]
        for gold_claim, gold_source in pairs:
            if gold_claim != gold_source:
                Attribution.objects.get_or_create(
                    claim_id=gold_claim,
                    source_id=gold_source,
                    defaults={"cue": cue, "form": form, "author": curator},
                )


def _undecided(group, batch, article):
    if GoldDecision.objects.filter(batch=batch, article=article, group_key=group.key).exists():
        raise CodingError("this passage has been decided already; undo that first")


@transaction.atomic
def accept_version(batch, article, group, coder_id, curator):
    """Gold copies of one coder's spans in the group; sources: that span and its exact twins."""
    _open(batch, article)
    _undecided(group, batch, article)
    chosen = group.of(coder_id)
    if not chosen:
        raise CodingInputError("that coder marked nothing here")
    now = timezone.now()
    originals = Annotation.objects.in_bulk([v.id for v in chosen])
    for version in chosen:
        gold = _gold(
            article, curator, version.label, version.start, version.end, now, originals.get(version.id)
        )
        twins = [
            v
            for v in group.versions
            if (v.start, v.end, v.label) == (version.start, version.end, version.label)
        ]
        _record(batch, article, group, curator, now, gold, twins)


@transaction.atomic
def accept_adjusted(batch, article, group, curator, *, label_id, start, end):
    """A gold span the curator set (moved boundaries, another label), from the whole group."""
    _open(batch, article)
    _undecided(group, batch, article)
    now = timezone.now()
    gold = _gold(article, curator, label_id, start, end, now)
    _record(batch, article, group, curator, now, gold, group.versions)


@transaction.atomic
def reject_group(batch, article, group, curator):
    _open(batch, article)
    _undecided(group, batch, article)
    _record(batch, article, group, curator, timezone.now(), None, group.versions)


@transaction.atomic
def accept_agreed(batch, article, groups, curator):
    """Gold for every agreed group not decided yet, in one go; returns how many."""
    _open(batch, article)
    decided = set(
        GoldDecision.objects.filter(batch=batch, article=article).values_list("group_key", flat=True)
    )
    count = 0
    now = timezone.now()
    for group in groups:
        if group.kind != AGREED or group.key in decided:
            continue
        first = group.versions[0].coder
        originals = Annotation.objects.in_bulk([v.id for v in group.of(first)])
        for version in group.of(first):
            gold = _gold(
                article, curator, version.label, version.start, version.end, now, originals.get(version.id)
            )
            twins = [
                v
                for v in group.versions
                if (v.start, v.end, v.label) == (version.start, version.end, version.label)
            ]
            _record(batch, article, group, curator, now, gold, twins)
        count += 1
    return count


@transaction.atomic
def undo_decision(batch, article, group_key):
    """Take back a group's decisions: their gold annotations are deleted (soft, restorable)."""
    _open(batch, article)
    decisions = list(GoldDecision.objects.filter(batch=batch, article=article, group_key=group_key))
    if not decisions:
        raise CodingError("nothing was decided there")
    now = timezone.now()
    for decision in decisions:
        if decision.gold_id:
            Annotation.objects.filter(pk=decision.gold_id).update(deleted_at=now, updated_at=now)
    GoldDecision.objects.filter(pk__in=[d.pk for d in decisions]).delete()


@transaction.atomic
def finish(batch, article, groups, curator):
    state = _open(batch, article)
    decided = set(
        GoldDecision.objects.filter(batch=batch, article=article).values_list("group_key", flat=True)
    )
    left = sum(1 for group in groups if group.key not in decided)
    if left:
        raise CodingError(f"{left} passage{'s' if left != 1 else ''} still undecided")
    state.adjudicated_at, state.adjudicated_by = timezone.now(), curator
    state._change_reason = "adjudicated"
    state.save()


@transaction.atomic
def reopen(batch, article, curator):
    state = BatchArticle.objects.select_for_update().filter(batch=batch, article=article).first()
    if state is None or not state.is_adjudicated:
        raise CodingError("adjudication of this article is not finished")
    state.adjudicated_at, state.adjudicated_by = None, None
    state._change_reason = f"reopened by {curator.get_username()}"
    state.save()
