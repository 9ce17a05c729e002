import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.spans.highlights import Span, paragraphs_touching, render_highlights, render_paragraphs, segment
from articles.spans.offsets import Utf16Index, codepoint_to_utf16

TEXT = "Start 👍🏽 here.\n\nمرحبا second & <para>.\n\nThird"


def spans_strategy(text_length):
    return st.lists(
        st.tuples(st.integers(0, text_length), st.integers(0, text_length), st.integers(1, 3)).filter(
            lambda t: t[0] < t[1]
        ),
        max_size=12,
    ).map(lambda items: [Span(i + 1, s, e, label_id=c, category_id=c) for i, (s, e, c) in enumerate(items)])


texts = st.lists(
    st.text(
        alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)),
        min_size=0,
        max_size=20,
    ),
    min_size=1,
    max_size=4,
).map("\n\n".join)


@settings(max_examples=300)
@given(st.data())
def test_it_covers_the_text_exactly_with_the_right_span_sets(data):
    text = data.draw(texts)
    spans = data.draw(spans_strategy(len(text)))
    paragraphs = segment(text, spans)
    # Runs concatenate to the text, paragraphs joined by the paragraph break.
    assert "\n\n".join("".join(run.text for run in runs) for runs in paragraphs) == text
    assert len(paragraphs) == len(text.split("\n\n"))
    for runs in paragraphs:
        for run in runs:
            assert text[run.start : run.end] == run.text
            covering = {
                s.id for s in spans if s.start <= run.start and run.end <= s.end and run.end > run.start
            }
            assert set(run.span_ids) == covering
            # No span starts or ends strictly inside a run.
            for span in spans:
                assert not (run.start < span.start < run.end) and not (run.start < span.end < run.end)


@settings(max_examples=200)
@given(st.data())
def test_it_renders_escaped_text_and_utf16_offsets(data):
    text = data.draw(texts)
    spans = data.draw(spans_strategy(len(text)))
    html = str(render_highlights(text, spans))
    paragraphs = text.split("\n\n")
    assert re.findall(r'<p class="para" id="p(\d+)">', html) == [str(i) for i in range(len(paragraphs))]
    runs = re.findall(
        r'<(?:span|mark) class="[^"]*" data-u="(\d+)"(?: data-ids="([\d ]*)")?>(.*?)</(?:span|mark)>',
        html,
        re.S,
    )
    expected = [run for paragraph in segment(text, spans) for run in paragraph]
    assert [unescape(body) for _, _, body in runs] == [run.text for run in expected]
    # Each run's data-u is the UTF-16 offset of its first character in the whole text.
    assert [int(u16) for u16, _, _ in runs] == [codepoint_to_utf16(text, run.start) for run in expected]
    assert [ids for _, ids, _ in runs] == [" ".join(map(str, run.span_ids)) for run in expected]


def test_it_escapes_html():
    html = str(render_highlights('<script>alert(1)</script> & "q"', []))
    assert "<script>" not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"' in html


def test_it_nests_a_source_inside_a_claim():
    text = "Officials said the strike was planned."
    claim = Span(1, 0, len(text), label_id=10, category_id=1)
    source = Span(2, 0, 9, label_id=20, category_id=2)
    html = str(render_highlights(text, [claim, source]))
    assert '<mark class="run hl depth-2 c2 l20 c1 l10" data-u="0" data-ids="2 1">Officials</mark>' in html
    assert (
        '<mark class="run hl depth-1 c1 l10" data-u="9" data-ids="1"> said the strike was planned.</mark>'
        in html
    )


def test_it_handles_identical_spans_and_shared_boundaries():
    text = "abcdef"
    spans = [Span(1, 0, 3, 1, 1), Span(2, 0, 3, 1, 1), Span(3, 3, 6, 2, 2)]
    runs = segment(text, spans)[0]
    assert [(r.text, r.span_ids) for r in runs] == [("abc", (1, 2)), ("def", (3,))]


def test_it_handles_spans_at_the_very_start_and_end():
    text = "xy"
    runs = segment(text, [Span(1, 0, 1, 1, 1), Span(2, 1, 2, 1, 1)])[0]
    assert [(r.text, r.span_ids) for r in runs] == [("x", (1,)), ("y", (2,))]


def test_it_splits_a_span_that_crosses_paragraphs():
    text = "one two\n\nthree four"
    paragraphs = segment(text, [Span(7, 4, 14, 1, 1)])
    assert [(r.text, r.span_ids) for r in paragraphs[0]] == [("one ", ()), ("two", (7,))]
    assert [(r.text, r.span_ids) for r in paragraphs[1]] == [("three", (7,)), (" four", ())]


def test_it_gives_utf16_offsets_after_emoji_and_rtl():
    html = str(render_highlights(TEXT, [Span(1, TEXT.index("مرحبا"), TEXT.index("مرحبا") + 5, 1, 1)]))
    u16 = codepoint_to_utf16(TEXT, TEXT.index("مرحبا"))
    assert f'data-u="{u16}" data-ids="1">مرحبا</mark>' in html


@given(st.text(), st.data())
def test_it_indexes_utf16_offsets_like_encoding_does(text, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert Utf16Index(text)(offset) == codepoint_to_utf16(text, offset)


def test_it_finds_the_paragraphs_a_span_touches():
    text = "one\n\ntwo\n\nthree"
    assert paragraphs_touching(text, 0, 3) == [0]
    assert paragraphs_touching(text, 2, 6) == [0, 1]
    assert paragraphs_touching(text, 5, 15) == [1, 2]
    assert paragraphs_touching(text, 10, 11) == [2]


def test_it_renders_chosen_paragraphs_for_out_of_band_swaps():
    text = "one 👍\n\ntwo\n\nthree"
    rendered = render_paragraphs(text, [Span(4, 7, 10, 1, 1)], only={1}, oob=True)
    assert rendered == [
        (
            1,
            '<p class="para" id="p1" hx-swap-oob="true"><mark class="run hl depth-1 c1 l1" data-u="8" data-ids="4">two</mark></p>',
        )
    ]


@settings(max_examples=200)
@given(st.data())
def test_it_segments_only_the_chosen_paragraphs_as_it_segments_all(data):
    text = data.draw(texts)
    spans = data.draw(spans_strategy(len(text)))
    count = len(text.split("\n\n"))
    only = data.draw(st.sets(st.integers(0, count - 1)))
    everything = segment(text, spans)
    chosen = segment(text, spans, only)
    assert chosen == [runs if index in only else [] for index, runs in enumerate(everything)]
