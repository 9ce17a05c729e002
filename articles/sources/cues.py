"""Suggesting how a claim is attributed: the cue (the attributing words) and the form.

Suggestions only: the analyst sees them pre-filled and may change them. The rules:

Cue. Reporting verbs and phrases, looked for in the text *between* the two spans first,
then right after the source span (“… ,” the official said), then right before it
(“According to the official, …”), never further than CUE_REACH characters away. Spans in
different paragraphs get no cue. The first rule in CUE_RULES that matches there wins, nearest
to the source first. A verb may carry its listener: “told ABC News”, “said to reporters”.

Form.
- direct: the claim lies inside double quotation marks (" “ ” « »), either because the
  span starts and ends with them or because a quotation is open where the span starts;
- indirect: otherwise, when a cue was found (reported speech: “officials say the military …”);
- paraphrase: no quotation marks and no cue.
"""

import re
from dataclasses import dataclass

CUE_REACH = 80

# A listener after "told"/"said to": one to four capitalised words (ABC News, Pakistani
# reporters) or a plain noun for the press.
_LISTENER = (
    r"(?:(?:[A-Z]\w+\s)?(?:reporters|journalists|the press|the media|lawmakers|Congress)"
    r"|(?:[A-Z][\w.'’&-]*\s){0,3}[A-Z][\w.'’&-]*)"
)
# Documented rule list: (name, pattern). Order matters: longer phrases before their verbs.
CUE_RULES = (
    ("according to", r"according to"),
    ("told", rf"told\s(?-i:{_LISTENER})"),
    ("told", r"told"),
    ("said to", rf"said\sto\s(?-i:{_LISTENER})"),
    ("said", r"said"),
    ("says", r"says"),
    ("say", r"say"),
    ("added", r"added"),
    ("claimed", r"claim(?:ed|s)"),
    ("warned", r"warn(?:ed|s)"),
    ("insisted", r"insist(?:ed|s)"),
    ("denied", r"den(?:ied|ies)"),
    ("stated", r"stat(?:ed|es)"),
    ("explained", r"explain(?:ed|s)"),
    ("noted", r"not(?:ed|es)"),
    ("argued", r"argu(?:ed|es)"),
    ("acknowledged", r"acknowledg(?:ed|es)"),
    ("admitted", r"admit(?:ted|s)"),
    ("confirmed", r"confirm(?:ed|s)"),
    ("repeated", r"repeat(?:ed|s)"),
    ("accused", r"accus(?:ed|es)"),
    ("asked", r"ask(?:ed|s)"),
    ("wrote", r"wr(?:ote|ites)"),
    ("reported", r"report(?:ed|s)"),
    ("announced", r"announc(?:ed|es)"),
    ("responded", r"respond(?:ed|s)"),
)
_COMPILED = tuple(
    (name, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)) for name, pattern in CUE_RULES
)

OPENING_QUOTES = '"“«'
CLOSING_QUOTES = '"”»'


@dataclass(frozen=True)
class Suggestion:
    cue: str
    form: str


def _paragraph(text, start, end):
    """Bounds of the paragraph(s) holding [start, end)."""
    low = text.rfind("\n\n", 0, start)
    high = text.find("\n\n", end)
    return (0 if low < 0 else low + 2), (len(text) if high < 0 else high)


def _first_cue(window, *, nearest_last=False):
    """The first rule's match in `window`; with nearest_last, the last match of it (the
    one closest to a source that follows the window)."""
    for _name, pattern in _COMPILED:
        matches = list(pattern.finditer(window))
        if matches:
            match = matches[-1] if nearest_last else matches[0]
            words = match.group(0)
            # The verb in lower case ("According to" opens a sentence), the listener as written.
            verb, _, rest = (
                words.partition(" ") if not words.lower().startswith("according") else (words, "", "")
            )
            return " ".join(part for part in (verb.lower(), rest) if part)
    return ""


def suggest_cue(text, claim, source):
    """The attributing words for `claim` ← `source`; each is a (start, end) pair of code
    point offsets into `text`. "" when no rule matches."""
    para_start, para_end = _paragraph(text, min(claim[0], source[0]), max(claim[1], source[1]))
    if "\n\n" in text[para_start:para_end]:
        return ""  # the two spans are in different paragraphs
    after = text[source[1] : min(para_end, source[1] + CUE_REACH)]
    before = text[max(para_start, source[0] - CUE_REACH) : source[0]]
    if source[0] >= claim[1]:
        between = text[claim[1] : source[0]]
        windows = [(between, True)] if len(between) <= CUE_REACH else []
    elif claim[0] >= source[1]:
        between = text[source[1] : claim[0]]
        windows = [(between, False)] if len(between) <= CUE_REACH else []
    else:
        windows = []  # the source sits inside the claim (“X, the official said, was …”)
    # Only the start of what follows the source: its own clause, up to the next quote.
    after = re.split(r"[\"“”«»]", after, maxsplit=1)[0]
    windows += [(after, False), (_clause_end(before), True)]
    for window, nearest_last in windows:
        cue = _first_cue(window, nearest_last=nearest_last)
        if cue:
            return cue
    return ""


def _clause_end(before):
    """The last clause of the text before the source (“According to” in “… . According to”)."""
    return re.split(r"[.!?\"“”]", before)[-1]


def quoted(text, start, end):
    """True when [start, end) lies inside double quotation marks."""
    span = text[start:end].strip()
    if span[:1] in OPENING_QUOTES and span[-1:] in CLOSING_QUOTES and len(span) > 1:
        return True
    para_start, _ = _paragraph(text, start, end)
    before = text[para_start:start]
    opened = before.count("“") + before.count("«") - before.count("”") - before.count("»")
    straight_open = before.count('"') % 2 == 1
    return opened > 0 or straight_open


def suggest_form(text, claim, cue):
    if quoted(text, *claim):
        return "direct"
    return "indirect" if cue else "paraphrase"


def suggest(text, claim, source):
    """A Suggestion (cue, form) for attributing the claim span to the source span."""
    cue = suggest_cue(text, claim, source)
    return Suggestion(cue=cue, form=suggest_form(text, claim, cue))
