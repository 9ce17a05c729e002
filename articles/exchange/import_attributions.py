"""Importing the attribution columns (docs/export.md, "Attribution columns"): source
entities, anonymity, tone and claim → source links, for import_rows.

Rules:
- the entity of a source row (the target entity of a tone row) is the entity with that
  `source_entity_id` here if its name agrees; else the one entity with that name or alias;
  else a new entity with that name and type, created by the import;
- links are matched by (claim, source): one that exists is left as it is; a new one gets
  the W3C link's id, creator and times when the file is W3C, else the claim's author and times;
- a link's source must be a source annotation of the claim's article, in the file or here;
  otherwise the claim's row is bad.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from articles.exchange.writers import LINK_SEPARATOR, OWN_VOICE, SOURCE_IRI_PREFIX
from articles.guards.values import parse_id
from articles.models import Annotation, Attribution, Category, Label, Source
from articles.permissions import import_link_refusal, is_curator, visible_annotations
from articles.sources.registry import find_by_name

FORMS = dict(Attribution.FORM_CHOICES)
ANONYMITIES = dict(Annotation.ANONYMITY_CHOICES)
SOURCE_TYPES = dict(Source.TYPE_CHOICES)


class BadAttribution(ValueError):
    pass


@dataclass
class PlannedLink:
    source: uuid.UUID
    cue: str
    form: str
    link_uuid: uuid.UUID | None = None
    author: str = ""
    created_at: object = None
    updated_at: object = None


@dataclass
class AttributionPlan:
    """What a row says beyond import_rows' fields."""

    values: dict = field(default_factory=dict)
    entity: tuple | None = None  # (id or None, name, type), resolved at write time
    entity_field: str = ""
    links: list = field(default_factory=list)


_kinds = {}


def label_kind(label_id):
    if label_id not in _kinds:
        _kinds.clear() if len(_kinds) > 1000 else None
        _kinds[label_id] = Label.objects.values_list("category__kind", flat=True).get(pk=label_id)
    return _kinds[label_id]


def _text(record, name):
    value = record.get(name)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise BadAttribution(f"{name} must be text")
    return value


def _uuid(value, what):
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise BadAttribution(f"{what} “{value}” is not a UUID") from None


def _links(record):
    """[(source uuid, cue, form)] from CSV columns or JSONL's nested `attributions`."""
    if isinstance(record.get("attributions"), list):
        items = record["attributions"]
        if not all(isinstance(item, dict) for item in items):
            raise BadAttribution("attributions must be a list of objects")
        return [(item.get("source"), item.get("cue") or "", item.get("form") or "") for item in items]
    sources = _text(record, "attributed_to")
    if not sources:
        return []
    sources = sources.split(LINK_SEPARATOR)
    cues = _text(record, "attribution_cue").split(LINK_SEPARATOR)
    forms = _text(record, "attribution_form").split(LINK_SEPARATOR)
    if not len(sources) == len(cues) == len(forms):
        raise BadAttribution("attributed_to, attribution_cue and attribution_form must list as many links")
    return list(zip(sources, cues, forms, strict=True))


def _entity(record):
    """(id or None, name, type) from CSV columns or JSONL's nested `source_entity`, or None."""
    if "source_entity" in record and not isinstance(record.get("source_entity_name"), str):
        nested = record["source_entity"]
        if nested is None:
            return None
        if not isinstance(nested, dict):
            raise BadAttribution("source_entity must be an object")
        raw_id, name, source_type = nested.get("id"), nested.get("name"), nested.get("type")
    else:
        raw_id, name, source_type = (
            record.get("source_entity_id"),
            record.get("source_entity_name"),
            record.get("source_type"),
        )
    if not name:
        if raw_id not in (None, ""):
            raise BadAttribution("source_entity_id needs a source_entity_name")
        return None
    if not isinstance(name, str):
        raise BadAttribution("source_entity_name must be text")
    entity_id = None
    if raw_id not in (None, ""):
        entity_id = parse_id(raw_id)
        if entity_id is None:
            raise BadAttribution(f"source_entity_id “{str(raw_id)[:40]}” is not an entity number")
    source_type = source_type or Source.OTHER
    if source_type not in SOURCE_TYPES:
        raise BadAttribution(f"source_type “{source_type}” is not one of {', '.join(SOURCE_TYPES)}")
    return entity_id, " ".join(name.split()), source_type


def plan_attribution(record, label_id):
    """Check a row's attribution columns; an AttributionPlan or BadAttribution."""
    kind = label_kind(label_id)
    plan = AttributionPlan()
    links = _links(record)
    own_voice = record.get("own_voice") is True or _text(record, "attribution_form") == OWN_VOICE
    if (links or own_voice) and kind != Category.CLAIM:
        raise BadAttribution(f"only claims are attributed, and this row's kind is {kind}")
    for source, cue, form in links:
        if form not in FORMS:
            raise BadAttribution(f"attribution form “{form}” is not one of {', '.join(FORMS)}")
        plan.links.append(PlannedLink(source=_uuid(source, "attributed_to"), cue=cue, form=form))
    plan.values["own_voice"] = own_voice and not links
    anonymity = _text(record, "anonymity")
    if anonymity and anonymity not in ANONYMITIES:
        raise BadAttribution(f"anonymity “{anonymity}” is not one of {', '.join(ANONYMITIES)}")
    plan.values["anonymity"] = anonymity
    intensity = record.get("tone_intensity")
    if intensity in (None, ""):
        intensity = None
    elif str(intensity).strip() in ("1", "2", "3"):
        intensity = int(str(intensity).strip())
    else:
        raise BadAttribution(f"tone_intensity “{intensity}” is not 1, 2 or 3")
    plan.values["tone_intensity"] = intensity
    plan.entity = _entity(record)
    target = _text(record, "tone_target")
    if plan.entity is not None:
        plan.entity_field = "tone_target_entity_id" if kind == Category.TONE else "source_entity_id"
    plan.values["tone_target_text"] = target if kind == Category.TONE and plan.entity is None else ""
    return plan


def w3c_fields(item, record):
    """Read the W3C bodies written by writers.w3c_annotation into `record` (CSV names)."""
    for body in item.get("body") if isinstance(item.get("body"), list) else [item.get("body")]:
        if not isinstance(body, dict):
            continue
        purpose, value = body.get("purpose"), body.get("value")
        if body.get("type") == "SpecificResource" and purpose in ("identifying", "linking"):
            source = body.get("source") if isinstance(body.get("source"), dict) else {}
            raw = str(source.get("id") or "")
            record.update(
                source_entity_id=raw.removeprefix(SOURCE_IRI_PREFIX)
                if raw.startswith(SOURCE_IRI_PREFIX)
                else "",
                source_entity_name=source.get("label"),
                source_type=source.get("type"),
            )
        elif purpose == "linking" and isinstance(value, str):
            record["tone_target"] = value
        elif purpose == "describing" and isinstance(value, str):
            if value.startswith("anonymity: "):
                record["anonymity"] = value.removeprefix("anonymity: ")
            elif value.startswith("intensity: "):
                record["tone_intensity"] = value.removeprefix("intensity: ")
            elif value == "own voice":
                record["attribution_form"] = OWN_VOICE


def w3c_link(item, moment):
    """A `linking` annotation as (claim uuid, PlannedLink)."""
    from articles.exchange.writers import ANNOTATION_IRI_PREFIX

    targets = item.get("target")
    if not isinstance(targets, list) or len(targets) != 2 or not all(isinstance(t, dict) for t in targets):
        raise BadAttribution("a linking annotation needs two targets: the claim span, then the source span")
    claim, source = (
        _uuid(str(t.get("id", "")).removeprefix(ANNOTATION_IRI_PREFIX), "target id") for t in targets
    )
    cue, form = "", ""
    for body in item.get("body") if isinstance(item.get("body"), list) else []:
        if isinstance(body, dict) and body.get("purpose") == "describing":
            cue = body.get("value") or ""
        elif isinstance(body, dict) and body.get("purpose") == "classifying":
            form = str(body.get("value") or "").removeprefix("form: ")
    if form not in FORMS:
        raise BadAttribution(f"attribution form “{form}” is not one of {', '.join(FORMS)}")
    creator = item.get("creator")
    author = (creator.get("nickname") or creator.get("name")) if isinstance(creator, dict) else ""
    return claim, PlannedLink(
        source=source,
        cue=cue,
        form=form,
        link_uuid=_uuid(str(item.get("id", "")).removeprefix(ANNOTATION_IRI_PREFIX), "id"),
        author=author or "",
        created_at=moment(item, "created"),
        updated_at=moment(item, "modified"),
    )


def check_links(planned, extra_links, user=None):
    """Messages (row number, text) for links whose source is not a source span of the
    claim's article, in the file or here, and for new links `user` may not make (a web
    import: articles/permissions.py import_link_refusal). What `user` may not see here
    (another coder's span under blind coding) is not here for them.
    `extra_links`: (number, claim uuid, PlannedLink)."""
    in_file = {row.uuid: row for row in planned}
    pairs = [(row.number, row.uuid, link) for row in planned for link in row.attribution.links] + list(
        extra_links
    )
    wanted = {claim for _, claim, _ in pairs} | {link.source for _, _, link in pairs}
    found_here = Annotation.all_objects.filter(uuid__in=list(wanted))
    if user is not None:
        found_here = visible_annotations(user, found_here)
    here = {
        annotation.uuid: annotation
        for annotation in found_here.select_related("author", "label__category").only(
            "uuid", "article_id", "author_id", "author__username", "label__category__kind"
        )
    }
    linked = set(
        Attribution.objects.filter(claim__uuid__in=[claim for _, claim, _ in pairs]).values_list(
            "claim__uuid", "source__uuid"
        )
    )

    def describe(key):
        if key in in_file:
            return in_file[key].article_id, label_kind(in_file[key].label_id)
        if key in here:
            return here[key].article_id, here[key].label.category.kind
        return None, None

    problems = []
    for number, claim, link in pairs:
        claim_article, claim_kind = describe(claim)
        article, kind = describe(link.source)
        if claim_article is None:
            problems.append((number, f"the attributed claim {claim} is neither in the file nor here"))
        elif article is None:
            problems.append((number, f"the source {link.source} is neither in the file nor here"))
        elif article != claim_article:
            problems.append((number, f"the source {link.source} is in another article"))
        elif kind != Category.SOURCE or claim_kind != Category.CLAIM:
            problems.append((number, f"{claim} → {link.source} does not link a claim to a source"))
        elif (
            # A new link on a claim already here, whatever row of the file it rides on.
            claim in here
            and (claim, link.source) not in linked
            and (refusal := import_link_refusal(user, here[claim]))
        ):
            problems.append((number, refusal))
    return problems


def resolve_entities(planned, user):
    """Find or create the entity each planned row names; sets the row's FK value."""
    cache = {}
    for row in planned:
        plan = row.attribution
        if plan.entity is None:
            continue
        if plan.entity not in cache:
            entity_id, name, source_type = plan.entity
            entity = Source.objects.filter(pk=entity_id, name=name).first() if entity_id else None
            entity = entity or find_by_name(name)
            if entity is None:
                entity = Source.objects.create(name=name, source_type=source_type, created_by=user)
            cache[plan.entity] = entity.pk
        plan.values[plan.entity_field] = cache[plan.entity]


def write_links(planned, extra_links, user=None):
    """Create the links that are not here yet; returns how many. A web import by someone
    who is not a curator (`user`) makes the new links theirs, whatever the file says."""
    pairs = [(row.uuid, link) for row in planned for link in row.attribution.links]
    pairs += [(claim, link) for _, claim, link in extra_links]
    if not pairs:
        return 0
    uuids = {claim for claim, _ in pairs} | {link.source for _, link in pairs}
    annotations = {
        a.uuid: a
        for a in Annotation.all_objects.filter(uuid__in=list(uuids)).only(
            "pk", "uuid", "author_id", "created_at", "updated_at"
        )
    }
    existing = set(
        Attribution.objects.filter(claim__uuid__in=[claim for claim, _ in pairs]).values_list(
            "claim__uuid", "source__uuid"
        )
    )
    users = get_user_model().objects
    created = 0
    for claim_uuid, link in pairs:
        if (claim_uuid, link.source) in existing or not {claim_uuid, link.source} <= set(annotations):
            continue  # already here, or an end of it was a skipped bad row
        claim = annotations[claim_uuid]
        if user is not None and not is_curator(user):
            author_id = user.pk
        elif link.author:
            author_id = users.filter(username=link.author).values_list("pk", flat=True).first()
        else:
            author_id = None
        attribution = Attribution(
            claim=claim,
            source=annotations[link.source],
            cue=link.cue,
            form=link.form,
            author_id=author_id or claim.author_id,
            created_at=link.created_at or claim.created_at,
        )
        if link.link_uuid:
            attribution.uuid = link.link_uuid
        attribution._change_reason = "import"
        attribution.save()
        if link.updated_at:
            Attribution.objects.filter(pk=attribution.pk).update(updated_at=link.updated_at)
        existing.add((claim_uuid, link.source))
        created += 1
    return created
