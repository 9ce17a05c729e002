"""What the reading page needs to show who said what: every live link of the article,
each source span's entity, and which claims are still unattributed. Two queries
whatever the number of annotations, compact arrays rather than objects (a thousand
annotations make a few dozen KB); attribution.js draws the panel lines and outlines
from it. The reading page reads the spans' part with its own query of the annotations
(SPAN_FIELDS), so there it costs one query."""

from django.db.models.functions import Substr

from articles.models import Annotation, Attribution, Category
from articles.permissions import visible_annotations

# An annotation's who-said-what columns, after its id, category kind and quote.
SPAN_FIELDS = (
    "own_voice",
    "source_entity__name",
    "tone_intensity",
    "tone_target_entity__name",
    "tone_target_text",
)
QUOTE_CHARS = 60


def reader_data(article, user, spans=None):
    """{"sources": {id: [entity name, quote start]}, "claims": {id: own voice 0/1},
    "tones": {id: [intensity, target]}, "links": [[claim, source, cue, form]]}, of what
    `user` may see (blind coding). `spans`: the article's annotations that `user` may see
    as (id, category kind, quote, *SPAN_FIELDS), when the caller has read them already."""
    if spans is None:
        spans = visible_annotations(
            user,
            Annotation.objects.filter(
                article=article, label__category__kind__in=[Category.CLAIM, Category.SOURCE, Category.TONE]
            ),
        ).values_list("id", "label__category__kind", Substr("quote", 1, QUOTE_CHARS), *SPAN_FIELDS)
    sources, claims, tones = {}, {}, {}
    for pk, kind, quote, own_voice, entity, intensity, target_entity, target_text in spans:
        if kind == Category.SOURCE:
            sources[pk] = [entity or "", quote[:QUOTE_CHARS]]
        elif kind == Category.CLAIM:
            claims[pk] = int(own_voice)
        elif kind == Category.TONE and (intensity or target_entity or target_text):
            tones[pk] = [intensity, target_entity or target_text]
    visible = sources.keys() | claims.keys()
    links = [
        list(row)
        for row in Attribution.objects.live()
        .filter(claim__article=article)
        .order_by("claim_id", "source__start", "source_id")
        .values_list("claim_id", "source_id", "cue", "form")
        if row[0] in visible and row[1] in visible
    ]
    return {"sources": sources, "claims": claims, "tones": tones, "links": links}
