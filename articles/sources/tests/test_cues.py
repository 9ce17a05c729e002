import pytest

from articles.sources.cues import suggest


def spans(text, claim, source, occurrence=0):
    start = text.index(claim)
    source_start = -1
    for _ in range(occurrence + 1):
        source_start = text.index(source, source_start + 1)
    return (start, start + len(claim)), (source_start, source_start + len(source))


# Real phrasings (most from the sample article): text, claim, source, cue, form.
CASES = [
    (
        "\"The U.S. is saying, 'My way or the high way,'\" the official said, and slammed his hand down.",
        "The U.S. is saying, 'My way or the high way,'",
        "the official",
        "said",
        "direct",
    ),
    (
        'Exasperated, the official told ABC News that "our so-called coalition partner" had put the military '
        "at odds with its own population.",
        "our so-called coalition partner",
        "the official",
        "told ABC News",
        "direct",
    ),
    (
        '"You\'ve pitted us against our own people," he said.',
        "You've pitted us against our own people,",
        "he",
        "said",
        "direct",
    ),
    (
        '"They\'re going solo," the official repeated, "bypassing the Pakistani authorities."',
        "They're going solo,",
        "the official",
        "repeated",
        "direct",
    ),
    (
        '"It\'s fairly well known," Mullen said to Pakistani reporters during a visit to the region.',
        "It's fairly well known,",
        "Mullen",
        "said to Pakistani reporters",
        "direct",
    ),
    (
        "And Pakistani government officials say the military is less angry with the U.S. than it publicly claims.",
        "the military is less angry with the U.S. than it publicly claims",
        "Pakistani government officials",
        "say",
        "indirect",
    ),
    (
        "According to the official, the strike was badly timed.",
        "the strike was badly timed",
        "the official",
        "according to",
        "indirect",
    ),
    (
        "The Pakistani military, the official said, was furious at the timing of the strike.",
        "The Pakistani military, the official said, was furious at the timing of the strike",
        "the official",
        "said",
        "indirect",
    ),
    (
        "Adm. Michael Mullen accused the ISI of supporting the Haqqani network.",
        "the ISI of supporting the Haqqani network",
        "Adm. Michael Mullen",
        "accused",
        "indirect",
    ),
    (
        "The minister warned that talks could collapse.",
        "talks could collapse",
        "The minister",
        "warned",
        "indirect",
    ),
    (
        "“We will not back down,” insisted the spokesman.",
        "We will not back down,",
        "the spokesman",
        "insisted",
        "direct",
    ),
    # Non-matches: no reporting words near the two spans.
    (
        "For years, Pakistan and the U.S. have struggled to maintain a partnership despite constant tension.",
        "have struggled to maintain a partnership",
        "Pakistan",
        "",
        "paraphrase",
    ),
    (
        "In the view of the ISI, the drone campaign is a provocation.",
        "the drone campaign is a provocation",
        "the ISI",
        "",
        "paraphrase",
    ),
    # "noted" must not match inside "denoted", nor "say" inside "essay".
    ("The essay denoted a shift; the author was clear.", "a shift", "the author", "", "paraphrase"),
]


@pytest.mark.parametrize(("text", "claim", "source", "cue", "form"), CASES)
def test_it_suggests_cue_and_form(text, claim, source, cue, form):
    claim_span, source_span = spans(text, claim, source)
    suggestion = suggest(text, claim_span, source_span)
    assert (suggestion.cue, suggestion.form) == (cue, form)


def test_it_does_not_look_across_paragraphs():
    text = "The talks failed.\n\nThe official said nothing more."
    claim_span, source_span = spans(text, "The talks failed", "The official")
    assert suggest(text, claim_span, source_span).cue == ""


def test_it_ignores_reporting_words_far_from_the_source():
    text = "Ministers said a lot. " + "x" * 100 + " The deal is dead, a diplomat concluded."
    claim_span, source_span = spans(text, "The deal is dead", "a diplomat")
    assert suggest(text, claim_span, source_span).cue == ""
