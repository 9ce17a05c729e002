"""Turning raw article text or HTML into the canonical body text.

The canonical text is what annotation offsets point into, so every rule here is
deliberate: NFC, `\\n` line ends, no trailing spaces, paragraphs separated by exactly
one blank line, and everything inside a line (quotes, dashes, emoji, any script) kept
exactly as it came.
"""

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

from articles.ingest.sanitize import KEPT_TAGS, sanitize_html

# Boilerplate rules: a line is dropped only when the whole line (trimmed) matches one
# of these. A sentence in the story that merely mentions Twitter is never touched.
# Extend by passing your own list to clean_boilerplate(), e.g.
#   clean_boilerplate(text, BOILERPLATE_RULES + [re.compile(r"Subscribe now", re.I)])
BOILERPLATE_RULES = [
    # Scraped video captions: "VIDEO: Full interrogation tape of …"
    re.compile(r"VIDEO:\s.*", re.IGNORECASE),
    # Social follow prompts: "Follow BrianRoss on Twitter", "Follow @abc on X"
    re.compile(
        r"Follow\s+(?:us\s+)?@?[\w.\- ]{1,60}?\s+on\s+"
        r"(?:Twitter|X|Facebook|Instagram|Threads|Bluesky|Mastodon|LinkedIn)\.?",
        re.IGNORECASE,
    ),
    # Pager fragments: "• 1", "• |", "• 2", or a bare "|" / page number.
    re.compile(r"[•·]\s*(?:\d{1,3}|\|)?"),
    re.compile(r"\|"),
    re.compile(r"\d{1,3}"),
    re.compile(r"Join the Discussion", re.IGNORECASE),
    re.compile(r"blog comments powered by Disqus", re.IGNORECASE),
    re.compile(r"comments powered by \w+", re.IGNORECASE),
    re.compile(r"You Might Also Like(?:\.\.\.|…|:)?", re.IGNORECASE),
    re.compile(r"Advertisement", re.IGNORECASE),
    re.compile(r"Share this (?:article|story|page)", re.IGNORECASE),
    re.compile(r"Read more(?::.*|\.\.\.|…)?", re.IGNORECASE),
    re.compile(r"Continue reading(?: the main story)?(?:\.\.\.|…)?", re.IGNORECASE),
    re.compile(r"Skip to (?:main )?content", re.IGNORECASE),
    re.compile(r"(?:Sign up|Subscribe) (?:for|to) our newsletters?\.?", re.IGNORECASE),
]

# Control characters but tab and newline (\r is gone by then). str.translate deletes them
# fastest from ASCII text, but from any other text (a news story's curly quotes and dashes)
# it takes 40 times as long as the regex: 0.43 ms for 5,000 characters, most of a bulk
# import's time per article. Most texts have none, and their UTF-8 bytes tell that in half
# the regex's time: bytes.translate deletes at memory speed, and no byte of a multi-byte
# UTF-8 character is below 0x80.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_CONTROL_BYTES = bytes(_CONTROL)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def has_control_characters(text):
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded)


def normalise_text(text):
    """NFC, `\\n` line ends, no trailing spaces, single blank lines between paragraphs."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:  # replace() scans the whole text even when there is nothing to replace
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters cannot be stored in PostgreSQL text (NUL) or shown; tabs stay.
    if text.isascii():
        text = text.translate(_CONTROL)
    elif has_control_characters(text):
        text = _CONTROL_CHARS.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    # Runs of three or more newlines become one blank line; str.replace finds them much
    # faster than re.sub(r"\n{3,}") does, and each pass shortens every run.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


def boilerplate_pattern(rules=None):
    # Looked up once per text, not per line: the cache key hashes every rule's compiled
    # code, which was a twentieth of a bulk import's instructions when done for each line.
    return one_pattern(tuple(BOILERPLATE_RULES if rules is None else rules))


@lru_cache(maxsize=16)
def one_pattern(rules):
    """The rules as one alternation, each with its own flags: one match per line instead of
    one per rule (a bulk import checks every line of every file)."""
    flags = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x"}

    def scoped(rule):
        letters = "".join(letter for flag, letter in flags.items() if rule.flags & flag)
        return f"(?{letters}:{rule.pattern})"

    return re.compile("|".join(scoped(rule) for rule in rules))


def clean_boilerplate(text, rules=None):
    """Drop lines that are boilerplate on their own; return normalised text."""
    fullmatch = boilerplate_pattern(rules).fullmatch
    # Boilerplate on its own: the whole trimmed line matches (inlined: a function call per
    # line of every file was a tenth of the cleaning's time).
    kept = [line for line in text.split("\n") if not (trimmed := line.strip()) or fullmatch(trimmed) is None]
    return normalise_text("\n".join(kept))


def split_title(text):
    """Return (first non-empty line, the rest) of normalised text.

    The rest is normalised already: a split after a newline leaves NFC text NFC, and only
    the blank lines that followed the title have to go."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip(), "\n".join(lines[i + 1 :]).strip("\n")
    return "", ""


# Every tag the sanitiser keeps but <br> starts or ends a paragraph.
_BLOCK_TAGS = KEPT_TAGS - {"br"}
_WS = re.compile(r"[ \t\n\r\f]+")


class _BlockTextParser(HTMLParser):
    """Collect the text of block elements as paragraphs, with HTML whitespace rules."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.buffer = []
        self.pre_depth = 0
        self.title = ""
        self.h1 = ""
        self.current = []  # stack of open block tags
        self.capture = None

    def flush(self):
        raw = "".join(self.buffer)
        self.buffer = []
        if self.pre_depth:
            text = raw.strip("\n")
        else:
            text = "\n".join(_WS.sub(" ", part).strip() for part in raw.split("\x00"))
        if not text.strip():
            return
        if self.capture == "title":
            self.title = self.title or text.strip()
        elif self.capture == "h1" and not self.h1:
            self.h1 = text.strip()
        else:
            self.paragraphs.append(text)

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.buffer.append("\n" if self.pre_depth else "\x00")
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre_depth += 1
            if tag in ("title", "h1"):
                self.capture = tag

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            if tag == self.capture:
                self.capture = None

    def handle_data(self, data):
        self.buffer.append(data)

    def close(self):
        super().close()
        self.flush()


def text_from_html(html):
    """Return (title, body text) of an HTML document, sanitised first.

    The title is the first <h1> (removed from the body), else <title>.
    """
    parser = _BlockTextParser()
    parser.feed(sanitize_html(html))
    parser.close()
    paragraphs = list(parser.paragraphs)
    title = parser.h1 or parser.title
    if not parser.h1 and parser.title and paragraphs and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    return title, normalise_text("\n\n".join(paragraphs))
