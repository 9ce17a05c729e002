"""Suggesting a source span's anonymity from its words and the words around it.

- anonymous: a role without a name (“a senior Pakistani military official”, “the
  official”, “officials”, “sources said”, “a spokesman who asked not to be named”), or
  an explicit request for anonymity next to the span (“speaking on condition of anonymity”);
- unattributed: an impersonal attribution (“it is believed”, “reportedly”, “critics say”);
- named: anything else (“Adm. Michael Mullen”, “The Pakistani military”, “ABC News”).

Only a pre-selection in the reader; the analyst decides.
"""

import re

NAMED, ANONYMOUS, UNATTRIBUTED = "named", "anonymous", "unattributed"

# Nouns for people or bodies that are not names.
ROLES = (
    r"officials?|sources?|spokes(?:man|men|woman|women|person|people)|aides?|diplomats?|officers?|"
    r"insiders?|advisers?|advisors?|analysts?|experts?|witness(?:es)?|residents?|people|persons?|"
    r"person|members?|staffers?|negotiators?|commanders?|investigators?|lawmakers?|authorities|"
    r"observers?|critics?|employees?|representatives?"
)
# The span is a role phrase: up to six describing words (“a senior Pakistani military”,
# “the army's”), then a role noun as its head, followed by nothing or a lower-case
# clause (“officials on both sides”, “sources familiar with the talks”) but not a name
# (“spokesman Abdul Basit” is named).
ANONYMOUS_SPAN = re.compile(
    rf"^(?:[\w.'’-]+\s+){{0,6}}?(?:{ROLES})\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
ANONYMITY_REQUEST = re.compile(
    r"(?:asked not to be (?:named|identified)|declined to be (?:named|identified)|"
    r"on (?:the )?condition of anonymity|speaking anonymously|not authori[sz]ed to speak|"
    r"who (?:would|did) not (?:give|want) (?:his|her|their) names?|unnamed|anonymous)",
    re.IGNORECASE,
)
UNATTRIBUTED_SPAN = re.compile(
    r"^(?:it\s+(?:is|was|has\s+been)\s+(?:said|believed|reported|understood|claimed|thought)|"
    r"reportedly|allegedly|rumou?rs?|critics|some|many|observers|experts)\b",
    re.IGNORECASE,
)
# A personal name: a capitalised word followed by another (Michael Mullen), or a title
# and a capitalised word (Adm. Mullen, Gen. Kayani, President Obama).
PERSON_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+\s+[A-Z][a-z]+|(?:Adm|Gen|Lt|Col|Maj|Capt|Sgt|Dr|Mr|Mrs|Ms|Sen|Rep|Gov)\.\s+[A-Z]\w+|"
    r"(?:President|Minister|Secretary|Director|Chairman|Senator|King|Prince|Prime Minister)\s+[A-Z]\w+)"
)
WORDS_AFTER = 60


def suggest_anonymity(quote, following=""):
    """NAMED, ANONYMOUS or UNATTRIBUTED for a source span `quote`; `following` is the text
    right after it (where “who asked not to be named” usually stands)."""
    span = " ".join(quote.split())
    if ANONYMITY_REQUEST.search(span) or ANONYMITY_REQUEST.search(following[:WORDS_AFTER]):
        return ANONYMOUS
    if UNATTRIBUTED_SPAN.match(span) and not PERSON_NAME.search(span):
        return UNATTRIBUTED
    role = ANONYMOUS_SPAN.match(span)
    if role and not role.group("rest").strip()[:1].isupper():
        described = span[: role.start("rest")]
        # In a headline every word is capitalised, so capitals there name nobody.
        if described.istitle() or not PERSON_NAME.search(described):
            return ANONYMOUS
    return NAMED
