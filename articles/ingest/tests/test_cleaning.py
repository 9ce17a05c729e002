import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from articles.ingest.cleaning import clean_boilerplate, normalise_text, split_title, text_from_html

SAMPLE_BOILERPLATE = [
    "VIDEO: Full interrogation tape of Raymond Davis in Pakistan.",
    "Follow BrianRoss on Twitter",
    "• 1",
    "• |",
    "• 2",
    "Join the Discussion",
    "blog comments powered by Disqus",
    "You Might Also Like...",
]


def test_it_drops_each_sample_boilerplate_line():
    for line in SAMPLE_BOILERPLATE:
        assert clean_boilerplate(f"Story.\n\n  {line}\n\nMore story.") == "Story.\n\nMore story.", line


def test_it_drops_common_boilerplate():
    for line in ["Advertisement", "ADVERTISEMENT", "Share this article", "Read more: Why it matters"]:
        assert clean_boilerplate(f"A.\n{line}\nB.") == "A.\nB.", line


def test_it_keeps_sentences_that_only_mention_boilerplate_words():
    text = (
        "He said he would follow the story on Twitter until it ended.\n\n"
        "Read more about the deal in the report, officials said.\n\n"
        "The video: a grainy clip."
    )
    assert clean_boilerplate(text) == text


def test_it_normalises_line_ends_and_blank_lines():
    assert normalise_text("a  \r\nb\r\r\r\n\n\nc\t \n") == "a\nb\n\nc"


def test_it_applies_nfc():
    decomposed = "Cafe\u0301 Zu\u0308rich"
    assert normalise_text(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert "\u0301" not in normalise_text(decomposed)


def test_it_keeps_emoji_rtl_and_typography_exactly():
    line = "“Quoted” — em dash… 🇵🇰 👍🏽 مرحبا بالعالم שלום"
    assert normalise_text(line) == line


def test_it_removes_control_characters_but_keeps_tabs():
    assert normalise_text("a\x00b\x07c\td") == "abc\td"


def test_it_removes_control_characters_from_text_that_is_not_ascii():
    # Non-ASCII text takes another path than ASCII (str.translate is slow on it).
    assert normalise_text("“a\x00b\x1bc”\x7f\td—") == "“abc”\td—"


@given(st.text())
def test_it_removes_exactly_the_control_characters_but_tab_and_newline(text):
    controls = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F]} - {"\r"}
    once = normalise_text(text)
    assert not controls & set(once)
    kept = "".join(c for c in text.replace("\r", "\n") if c not in controls)
    assert once == normalise_text(kept)


def normalised_plainly(text):
    """normalise_text as its docstring says it, one step at a time without shortcuts."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# Text that is not ASCII, with control characters in it, takes the shortcut's other
# branch; a lone surrogate cannot be encoded as UTF-8 without surrogatepass.
MIXED = st.text(
    alphabet=st.sampled_from(
        ["a", " ", "“", "é", "\u0301", "😀", "\ud800", "\t", "\n", "\r", "\x00", "\x1b", "\x7f"]
    )
)


@given(st.one_of(st.text(), MIXED))
def test_it_gives_what_each_step_done_plainly_gives(text):
    assert normalise_text(text) == normalised_plainly(text)


@given(st.text())
def test_it_splits_the_title_from_normalised_rest(text):
    normalised = normalise_text(text)
    title, rest = split_title(normalised)
    assert normalise_text(rest) == rest
    if normalised.strip():
        assert title == normalised.split("\n", 1)[0].strip()
        assert rest == normalise_text(normalised.split("\n", 1)[1] if "\n" in normalised else "")
    else:
        assert (title, rest) == ("", "")


@given(st.text())
def test_it_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once
    assert "\n\n\n" not in once
    assert unicodedata.is_normalized("NFC", once)


def test_it_takes_title_and_paragraphs_from_html():
    html = """<html><head><title>Site title</title></head><body>
      <nav>Home | World</nav><header>Masthead</header>
      <h1>The headline</h1><p>First   paragraph
      wraps.</p><blockquote>A quote</blockquote><ul><li>One</li><li>Two</li></ul>
      <aside>Related stories</aside><footer>© 2026</footer></body></html>"""
    title, body = text_from_html(html)
    assert title == "The headline"
    assert body == "First paragraph wraps.\n\nA quote\n\nOne\n\nTwo"


def test_it_falls_back_to_the_title_element():
    title, body = text_from_html("<title>Only a title</title><p>Body.</p>")
    assert (title, body) == ("Only a title", "Body.")


def test_it_strips_every_kind_of_script_from_html():
    html = (
        "<h1>T</h1><p>Safe<script>alert('s')</script> text</p>"
        "<p><img src=x onerror=\"alert('e')\">img</p>"
        "<p><a href=\"javascript:alert('j')\">link</a></p>"
        '<iframe src="https://evil.example">frame</iframe>'
        "<svg><script>alert('svg')</script></svg>"
        "<style>p{}</style><form><input value=x>form</form>"
    )
    _, body = text_from_html(html)
    assert body == "Safe text\n\nimg\n\nlink"
    for bad in ["alert", "onerror", "javascript:", "iframe", "evil", "svg", "<", "form"]:
        assert bad not in body


def test_it_collapses_any_run_of_blank_lines_to_one():
    for newlines in range(3, 12):
        assert normalise_text("a" + "\n" * newlines + "b") == "a\n\nb"


def test_it_keeps_each_rules_own_flags_when_matching_them_together():
    import re

    rules = [re.compile(r"Advert", re.IGNORECASE), re.compile(r"EXACT")]
    assert clean_boilerplate("ADVERT\nexact\nEXACT\nstory", rules) == "exact\nstory"
