"""Who said what: linking claims to sources, naming sources, and tone, without HTTP.

The rules (refused with an AttributionError whose str() is for the user):
- a link goes from a *claim* annotation (its category's kind is `claim`) to a *source*
  annotation (kind `source`) of the *same article*, both live, at most once per pair;
- a claim marked as the outlet's own voice has no links, and a linked claim is not the
  outlet's own voice;
- a source annotation names a Source entity and an anonymity; a tone annotation has an
  intensity 1–3 and a target (an entity or free text, not both);
- cues hold no ';' or line break (the CSV joins several links' cues with ';').
Behaviour hangs on Category.kind, never on a category's name.
"""

from django.db import IntegrityError, transaction

from articles.models import Annotation, Attribution, Category, Source
from articles.sources.anonymity import suggest_anonymity
from articles.sources.cues import suggest

FORMS = dict(Attribution.FORM_CHOICES)
ANONYMITIES = dict(Annotation.ANONYMITY_CHOICES)
CUE_MAX = Attribution._meta.get_field("cue").max_length


class AttributionError(ValueError):
    """A link, entity or tone change that cannot be made; str() is for the user."""


def kind_of(annotation):
    return annotation.label.category.kind


def _require_kind(annotation, kind, role):
    if kind_of(annotation) != kind:
        raise AttributionError(
            f"{role} must be a {kind} annotation, not {annotation.label.category.name} "
            f"(“{annotation.short_quote}”)"
        )


def link_problem(claim, source):
    """Why `claim` cannot be attributed to `source`, or "" if it can."""
    try:
        check_link(claim, source)
    except AttributionError as exc:
        return str(exc)
    return ""


def check_link(claim, source):
    if claim.article_id != source.article_id:
        raise AttributionError("a claim can only be attributed to a source in the same article")
    _require_kind(claim, Category.CLAIM, "the attributed passage")
    _require_kind(source, Category.SOURCE, "what it is attributed to")
    if claim.is_deleted or source.is_deleted:
        raise AttributionError("that annotation has been deleted")


def clean_cue(cue):
    cue = " ".join((cue or "").split())
    if ";" in cue:
        raise AttributionError("a cue cannot contain “;”")
    if len(cue) > CUE_MAX:
        raise AttributionError(f"a cue has at most {CUE_MAX} characters")
    return cue


def clean_form(form):
    if form not in FORMS:
        raise AttributionError(f"form must be one of {', '.join(FORMS)}")
    return form


def suggestion_for(claim, source):
    """The suggested cue and form for the link, from the article text."""
    return suggest(claim.article.body, (claim.start, claim.end), (source.start, source.end))


@transaction.atomic
def attribute(claim, source, author, *, cue=None, form=None):
    """Link `claim` to `source`; cue and form are suggested when not given."""
    check_link(claim, source)
    if Attribution.objects.filter(claim=claim, source=source).exists():
        raise AttributionError("this claim is already attributed to that source")
    if cue is None or form is None:
        suggested = suggestion_for(claim, source)
        cue = suggested.cue if cue is None else cue
        form = suggested.form if form is None else form
    try:
        with transaction.atomic():
            link = Attribution.objects.create(
                claim=claim, source=source, author=author, cue=clean_cue(cue), form=clean_form(form)
            )
    except IntegrityError:
        raise AttributionError("this claim is already attributed to that source") from None
    if claim.own_voice:
        claim.own_voice = False
        claim.save(update_fields=["own_voice", "updated_at"])
    return link


def update_attribution(link, *, cue=None, form=None):
    fields = ["updated_at"]
    if cue is not None and clean_cue(cue) != link.cue:
        link.cue = clean_cue(cue)
        fields.append("cue")
    if form not in (None, "") and form != link.form:
        link.form = clean_form(form)
        fields.append("form")
    if len(fields) > 1:
        link.save(update_fields=fields)
    return link


def remove_attribution(link):
    link.delete()


def kind_change_refusal(annotation, label):
    """Why `annotation` may not take `label` as it stands, or "". A claim's links and its
    own-voice mark, and the links that cite a source, mean nothing in another kind (and a
    backup holding them would not import again): they go first."""
    old, new = annotation.label.category.kind, label.category.kind
    if old == new:
        return ""
    becoming = f"before making it {'an' if new[0] in 'aeiou' else 'a'} {label.category.name}"
    if old == Category.CLAIM:
        links = Attribution.objects.live().filter(claim=annotation).count()
        if links:
            return (
                f"it is attributed to {links} source{'s' if links != 1 else ''}: remove the links {becoming}"
            )
        if annotation.own_voice:
            return f"it is marked as the outlet's own voice: clear that {becoming}"
    if old == Category.SOURCE:
        cited = Attribution.objects.live().filter(source=annotation).count()
        if cited:
            claims = f"{cited} claim is" if cited == 1 else f"{cited} claims are"
            return f"{claims} attributed to it: remove those links {becoming}"
    return ""


def set_own_voice(claim, own_voice):
    """Mark a claim as the outlet's own voice (or not). A linked claim is refused."""
    _require_kind(claim, Category.CLAIM, "the outlet's own voice")
    if own_voice and Attribution.objects.live().filter(claim=claim).exists():
        raise AttributionError("this claim is attributed to a source: remove its links first")
    if claim.own_voice != own_voice:
        claim.own_voice = own_voice
        claim.save(update_fields=["own_voice", "updated_at"])
    return claim


def suggested_anonymity(annotation):
    following = annotation.article.body[annotation.end : annotation.end + 80]
    return suggest_anonymity(annotation.quote, following)


@transaction.atomic
def identify_source(annotation, *, entity=None, anonymity=None):
    """Point a source annotation at `entity` (a Source or None) with an anonymity
    (suggested from the text when not given)."""
    _require_kind(annotation, Category.SOURCE, "a source entity")
    anonymity = anonymity or suggested_anonymity(annotation)
    if anonymity not in ANONYMITIES:
        raise AttributionError(f"anonymity must be one of {', '.join(ANONYMITIES)}")
    annotation.source_entity = entity
    annotation.anonymity = anonymity
    annotation.save(update_fields=["source_entity", "anonymity", "updated_at"])
    return annotation


def set_tone(annotation, *, intensity=None, target_entity=None, target_text=""):
    """A tone annotation's intensity (1–3 or None) and target (an entity or text)."""
    _require_kind(annotation, Category.TONE, "intensity and target")
    if intensity in ("", None):
        intensity = None
    else:
        try:
            intensity = int(intensity)
        except (TypeError, ValueError):
            intensity = 0
        if intensity not in (1, 2, 3):
            raise AttributionError("intensity is 1 (mild), 2 (clear) or 3 (strong)")
    target_text = " ".join((target_text or "").split())
    if target_entity is not None and target_text:
        raise AttributionError("a tone has one target: an entity or a text, not both")
    if len(target_text) > Annotation._meta.get_field("tone_target_text").max_length:
        raise AttributionError("the target text is too long")
    annotation.tone_intensity = intensity
    annotation.tone_target_entity = target_entity
    annotation.tone_target_text = target_text
    annotation.save(update_fields=["tone_intensity", "tone_target_entity", "tone_target_text", "updated_at"])
    return annotation


def entity_or_error(entity_id):
    try:
        return Source.objects.get(pk=int(entity_id))
    except (Source.DoesNotExist, TypeError, ValueError):
        raise AttributionError("unknown source entity") from None
