"""What the reading page needs to show who said what: every live link of the article,
each source span's entity, and which claims are still unattributed. Two queries
whatever the number of annotations; attribution.js draws the panel lines and outlines
from it."""

from articles.models import Annotation, Attribution, Category


def reader_data(article):
    spans = Annotation.objects.filter(
        article=article, label__category__kind__in=[Category.CLAIM, Category.SOURCE, Category.TONE]
    ).values_list(
        "id",
        "label__category__kind",
        "quote",
        "own_voice",
        "source_entity__name",
        "anonymity",
        "tone_intensity",
        "tone_target_entity__name",
        "tone_target_text",
    )
    kinds, sources, claims, tones = {}, {}, {}, {}
    for pk, kind, quote, own_voice, entity, anonymity, intensity, target_entity, target_text in spans:
        kinds[pk] = kind
        if kind == Category.SOURCE:
            sources[pk] = {"name": entity or "", "quote": quote[:80], "anonymity": anonymity}
        elif kind == Category.CLAIM:
            claims[pk] = {"own_voice": own_voice}
        else:
            tones[pk] = {"intensity": intensity, "target": target_entity or target_text}
    links = [
        {"id": str(uuid), "claim": claim, "source": source, "cue": cue, "form": form}
        for uuid, claim, source, cue, form in Attribution.objects.live()
        .filter(claim__article=article)
        .order_by("claim_id", "source__start", "source_id")
        .values_list("uuid", "claim_id", "source_id", "cue", "form")
    ]
    return {"sources": sources, "claims": claims, "tones": tones, "links": links}
