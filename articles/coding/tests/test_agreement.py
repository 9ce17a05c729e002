"""articles/coding/agreement.py: αu against Krippendorff's (1995) worked example as DKPro
Agreement's test suite reproduces it, hand-computed cases, the krippendorff package for
α nominal, and properties."""

import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.coding.agreement import (
    Document,
    Link,
    Span,
    agreement_report,
    alpha_nominal,
    alpha_ordinal_intensity,
    alpha_unitizing,
    intensity_value_counts,
    link_f1,
    link_f1_counts,
    span_f1,
    token_values,
    tokenize,
    unitizing_disagreements,
)

# Krippendorff (1995: 57), as DKPro Agreement's Krippendorff1995Test lays it out:
# (offset, length, coder, category) on a continuum of 24.
KRIPPENDORFF_1995 = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
    (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
    (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
    (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]  # fmt: skip


def krippendorff_1995(stretch=1.0):
    spans = tuple(
        Span(coder, category, int(offset * stretch), int(offset * stretch) + int(length * stretch))
        for offset, length, coder, category in KRIPPENDORFF_1995
    )
    return [Document("example", int(24 * stretch), (0, 1), spans)]


@pytest.mark.parametrize(
    ("category", "observed"), [("A", 0.03125), ("B", 2.26736), ("C", 0.02777), ("D", 0.38715)]
)
def test_it_reproduces_the_observed_disagreements_of_krippendorff_1995(category, observed):
    assert unitizing_disagreements(krippendorff_1995(), category)[0] == pytest.approx(observed, abs=1e-5)


@pytest.mark.parametrize(
    ("category", "expected", "alpha"),
    [("A", 0.06990, 0.553), ("B", 1.17731, -0.926), ("C", 0.08642, 0.679), ("D", 0.41445, 0.066)],
)
def test_it_reproduces_expected_disagreement_and_alpha_of_krippendorff_1995(category, expected, alpha):
    # The published figures assume a near-continuous scale: DKPro stretches the example
    # 50,000 times, and checks D_e within 0.005 and α within 0.02, as here.
    documents = krippendorff_1995(1_200_000 / 24)
    assert unitizing_disagreements(documents, category)[1] == pytest.approx(expected, abs=0.005)
    assert alpha_unitizing(documents, [category]) == pytest.approx(alpha, abs=0.02)


@pytest.mark.parametrize(
    ("stretch", "expected", "alpha"),
    [
        (12 / 24, 0.05494, 0.494),
        (120 / 24, 0.08234, 0.663),
        (1200 / 24, 0.08600, 0.677),
        (12000 / 24, 0.08638, 0.678),
    ],
)
def test_it_follows_the_varying_lengths_of_the_dkpro_suite(stretch, expected, alpha):
    documents = krippendorff_1995(stretch)
    observed, found = unitizing_disagreements(documents, "C")
    assert observed == pytest.approx(0.02777, abs=1e-5)
    assert found == pytest.approx(expected, abs=0.005 if stretch > 1 else 1e-5)
    assert alpha_unitizing(documents, ["C"]) == pytest.approx(alpha, abs=0.02)


def test_it_computes_a_small_case_by_hand():
    # Continuum of 10; coder 0 marks [2, 6), coder 1 marks [3, 6).
    # D_o: overlapping segment pairs: units (2,6)~(3,6): 1² + 0² = 1; the other pairs are
    # gap~gap, or a unit not inside the other's gap: 0.  D_o = 2·1 / (2·1·10²) = 0.01.
    # D_e: units l = 4, 3 (N = 2, Σl(l−1) = 12+6 = 18); gaps 2, 4 (coder 0) and 3, 4 (coder 1).
    #   l=4: (N−1)(2·64 − 3·16 + 4)/3 = 28;   gaps ≥ 4: 4, 4 → (1 + 1)·16 = 32
    #   l=3: (N−1)(2·27 − 3·9 + 3)/3 = 10;    gaps ≥ 3: 3, 4, 4 → (1 + 2 + 2)·9 = 45
    #   D_e = (2/10)·(28 + 32 + 10 + 45) / (2·10·(2·10 − 1) − 18) = 23 / 362
    documents = [Document("d", 10, ("a", "b"), (Span("a", "x", 2, 6), Span("b", "x", 3, 6)))]
    observed, expected = unitizing_disagreements(documents, "x")
    assert observed == pytest.approx(0.01)
    assert expected == pytest.approx(23 / 362)
    assert alpha_unitizing(documents, ["x"]) == pytest.approx(1 - 0.01 / (23 / 362))


def test_it_counts_a_unit_in_the_others_gap_as_its_squared_length():
    # Coder a marks [2, 5), coder b nothing: δ² = 3² = 9, D_o = 2·9 / (2·1·100).
    documents = [Document("d", 10, ("a", "b"), (Span("a", "x", 2, 5),))]
    assert unitizing_disagreements(documents, "x")[0] == pytest.approx(0.09)


def test_it_merges_one_coders_overlapping_spans_of_a_label():
    overlapping = (Span("a", "x", 2, 6), Span("a", "x", 4, 8), Span("b", "x", 2, 8))
    documents = [Document("d", 20, ("a", "b"), overlapping)]
    assert alpha_unitizing(documents, ["x"]) == 1.0


def test_it_has_no_figure_without_spans():
    documents = [Document("d", 20, ("a", "b"), ())]
    assert alpha_unitizing(documents, ["x"]) is None
    assert alpha_nominal([Document("d", 20, ("a", "b"), (), tokenize("one two three"))], ["x"]) is None
    assert span_f1(documents, ["x"]) is None


def test_it_refuses_a_varying_number_of_coders_for_alpha_u():
    documents = [Document("d", 20, ("a", "b"), ()), Document("e", 20, ("a", "b", "c"), ())]
    with pytest.raises(ValueError, match="same number of coders"):
        alpha_unitizing(documents, ["x"])


TEXT = "The minister said the talks had failed, according to two officials in Kabul."


def two_coders():
    tokens = tokenize(TEXT)
    spans = (
        Span("a", "claim", 0, 38),
        Span("b", "claim", 4, 38),
        Span("a", "source", 40, 76),
        Span("b", "opinion", 40, 76),
        Span("b", "claim", 70, 76),
    )
    return [Document(1, len(TEXT), ("a", "b"), spans, tokens)]


def test_it_equals_the_krippendorff_package_on_the_same_tokens():
    documents = two_coders()
    labels = ["claim", "opinion", "source"]
    values = token_values(documents[0], labels)
    reliability = np.array([values["a"], values["b"]], dtype=float)
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert alpha_nominal(documents, labels) == pytest.approx(expected)
    # …with "none" included as a value, and the first label in codebook order on overlaps.
    assert list(values["b"][-4:]) == [2, 2, 1, 1] and values["a"][-1] == 3 and values["a"][0] == 1
    assert values["a"][7] == 0  # the comma after "failed": nobody tagged it


def test_it_gives_one_for_identical_coders():
    spans = (Span("a", "x", 0, 3), Span("a", "y", 4, 9))
    same = spans + tuple(Span("b", s.label, s.start, s.end) for s in spans)
    documents = [Document(1, len(TEXT), ("a", "b"), same, tokenize(TEXT))]
    assert alpha_unitizing(documents, ["x", "y"]) == 1.0
    assert alpha_nominal(documents, ["x", "y"]) == 1.0
    assert span_f1(documents, ["x", "y"]) == span_f1(documents, ["x", "y"], overlap=True) == 1.0


def test_it_matches_spans_exactly_and_by_overlap():
    documents = two_coders()
    # exact: nothing shared; overlap: the two claims [0,38) ~ [4,38) (Jaccard 34/38).
    assert span_f1(documents, ["claim", "opinion", "source"]) == 0
    assert span_f1(documents, ["claim", "opinion", "source"], overlap=True) == pytest.approx(2 / 5)
    assert span_f1(documents, ["claim"], overlap=True) == pytest.approx(2 / 3)


def test_it_reports_rows_pairs_and_the_worst_documents():
    documents = two_coders() + [
        Document(2, 10, ("a", "b"), (Span("a", "claim", 0, 4), Span("b", "claim", 0, 4)))
    ]
    codebook = [("Claim", [("claim", "factual"), ("opinion", "opinion")]), ("Source", [("source", "named")])]
    report = agreement_report(documents, codebook)
    assert [(r.category, r.label) for r in report.rows] == [
        ("Claim", ""), ("Claim", "factual"), ("Claim", "opinion"), ("Source", ""), ("Source", "named")
    ]  # fmt: skip
    assert report.rows[1].n == 5 and report.rows[2].n == 1
    assert [(p.coder_a, p.coder_b, p.documents) for p in report.pairs] == [("a", "b", 2)]
    assert [d.key for d in report.documents] == [1, 2] and report.documents[1].f1_overlap == 1.0


spans_strategy = st.lists(
    st.tuples(st.sampled_from("ab"), st.sampled_from("xy"), st.integers(0, 60), st.integers(1, 20)),
    max_size=12,
)


def documents_from(draw_spans, length=80, coders=("a", "b")):
    spans = tuple(Span(c, label, s, min(s + n, length)) for c, label, s, n in draw_spans if s < length)
    return [Document(1, length, coders, spans, tokenize("word " * (length // 5)))]


def swapped(documents):
    flip = {"a": "b", "b": "a"}
    return [
        Document(
            d.key,
            d.length,
            d.coders,
            tuple(Span(flip[s.coder], s.label, s.start, s.end) for s in d.spans),
            d.tokens,
        )
        for d in documents
    ]


@settings(max_examples=60, deadline=None)
@given(spans_strategy)
def test_it_stays_in_bounds_and_is_symmetric_in_coders(draw_spans):
    documents = documents_from(draw_spans)
    for labels in (["x"], ["x", "y"]):
        alpha_u = alpha_unitizing(documents, labels)
        assert alpha_u is None or alpha_u <= 1 + 1e-9
        assert alpha_u == pytest.approx(alpha_unitizing(swapped(documents), labels))
        nominal = alpha_nominal(documents, labels)
        assert nominal is None or nominal <= 1 + 1e-9
        assert nominal == pytest.approx(alpha_nominal(swapped(documents), labels))
        for overlap in (False, True):
            f1 = span_f1(documents, labels, overlap=overlap)
            assert f1 is None or 0 <= f1 <= 1
            assert f1 == span_f1(swapped(documents), labels, overlap=overlap)


@settings(max_examples=30, deadline=None)
@given(st.lists(spans_strategy, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_the_order_of_documents_or_coders(per_document, rnd):
    documents = [
        Document(i, 80, ("a", "b"), documents_from(spans)[0].spans, tokenize("word " * 16))
        for i, spans in enumerate(per_document)
    ]
    shuffled = documents[:]
    rnd.shuffle(shuffled)
    shuffled = [Document(d.key, d.length, tuple(reversed(d.coders)), d.spans, d.tokens) for d in shuffled]
    codebook = [("C", [("x", "x"), ("y", "y")])]
    assert rounded(agreement_report(documents, codebook).rows) == rounded(
        agreement_report(shuffled, codebook).rows
    )


def rounded(rows):
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in vars(row).values()) for row in rows]


def test_it_is_fast_enough_for_a_thousand_documents():
    rng = random.Random(3)
    text = " ".join(f"w{i}" for i in range(700))
    tokens = tokenize(text)
    documents = []
    for key in range(100):
        spans = []
        for coder in ("a", "b"):
            for _ in range(30):
                start = rng.randrange(0, len(text) - 50)
                spans.append(Span(coder, rng.choice("xyz"), start, start + rng.randrange(5, 50)))
        documents.append(Document(key, len(text), ("a", "b"), tuple(spans), tokens))
    report = agreement_report(documents, [("C", [("x", "x"), ("y", "y"), ("z", "z")])])
    assert report.rows[0].alpha_u < 0.5


# --- claim → source links and tone intensity ---


def linked(coder, claim, source, claim_label="claim"):
    return Link(coder, Span(coder, claim_label, *claim), Span(coder, "named", *source))


def test_it_matches_links_whose_claims_and_sources_line_up():
    a = [linked("a", (0, 20), (30, 40)), linked("a", (50, 70), (30, 40))]
    # b: the first link with a slightly different claim and another label (still the same
    # link); the second attributes the claim to another source.
    b = [linked("b", (2, 20), (30, 40), claim_label="opinion"), linked("b", (50, 70), (80, 90))]
    assert link_f1_counts(a, b) == (2, 4)
    assert link_f1_counts(b, a) == (2, 4)
    assert link_f1_counts(a, a) == (4, 4)
    # A claim boundary too far off (Jaccard < 0.5) is another claim.
    assert link_f1_counts([linked("a", (0, 20), (30, 40))], [linked("b", (15, 28), (30, 40))]) == (0, 2)


def test_it_pools_link_f1_over_documents_and_pairs():
    documents = [
        Document(1, 100, ("a", "b"), links=(linked("a", (0, 20), (30, 40)), linked("b", (0, 20), (30, 40)))),
        Document(2, 100, ("a", "b"), links=(linked("a", (0, 20), (30, 40)),)),
    ]
    assert link_f1(documents) == pytest.approx(2 / 3)
    assert link_f1([Document(3, 10, ("a", "b"))]) is None


def test_it_computes_alpha_ordinal_on_intensity_like_the_package():
    text = "one two three four five six seven eight nine ten"
    tokens = tokenize(text)
    spans = (
        Span("a", "negative", 0, 13, intensity=3),  # one two three
        Span("b", "negative", 0, 7, intensity=2),  # one two
        Span("a", "positive", 14, 23, intensity=1),  # four five
        Span("b", "positive", 14, 23, intensity=1),
        Span("a", "negative", 24, 33, intensity=2),  # six seven: b marks nothing there
    )
    documents = [Document(1, len(text), ("a", "b"), spans, tokens)]
    # Tokens both coded: one, two (3 vs 2), four, five (1 vs 1).
    reliability = np.array([[3, 3, 1, 1], [2, 2, 1, 1]], dtype=float)
    expected = krippendorff.alpha(
        reliability_data=reliability, value_domain=[1, 2, 3], level_of_measurement="ordinal"
    )
    assert intensity_value_counts(documents, ["negative", "positive"]).shape == (4, 3)
    assert alpha_ordinal_intensity(documents, ["negative", "positive"]) == pytest.approx(expected)
    same = tuple(Span("b", s.label, s.start, s.end, s.intensity) for s in spans if s.coder == "a")
    documents = [Document(1, len(text), ("a", "b"), spans[::2] + same, tokens)]
    assert alpha_ordinal_intensity(documents, ["negative", "positive"]) == 1.0
    assert alpha_ordinal_intensity(documents, ["neutral"]) is None


def test_the_report_puts_alpha_ordinal_on_tone_rows_and_link_f1_on_claim_rows():
    text = "one two three four five six seven eight nine ten"
    tokens = tokenize(text)
    spans = (
        Span("a", "negative", 0, 7, intensity=3),  # one two: 3 vs 2
        Span("b", "negative", 0, 7, intensity=2),
        Span("a", "positive", 14, 23, intensity=1),  # four five: 1 vs 1
        Span("b", "positive", 14, 23, intensity=1),
    )
    links = (
        linked("a", (24, 33), (40, 44)),
        linked("b", (24, 33), (40, 44)),
        linked("b", (34, 39), (40, 44)),
    )
    documents = [Document(1, len(text), ("a", "b"), spans, tokens, links)]
    codebook = [
        ("Claim", [("claim", "claim")]),
        ("Tone", [("negative", "negative"), ("positive", "positive")]),
    ]
    rows = {
        (row.category, row.label): row
        for row in agreement_report(documents, codebook, {"Claim": "claim", "Tone": "tone"}).rows
    }
    # By hand, Krippendorff's ordinal metric: values 1 (×4), 2 (×2), 3 (×2), n = 8;
    # δ²(2,3) = (4/2)² = 4, δ²(1,2) = 3² = 9, δ²(1,3) = (8 − 3)² = 25;
    # D_o = 2·2·4 / 8 = 2; D_e = 2·(8·9 + 8·25 + 4·4) / (8·7) = 576/56; α = 1 − 112/576 = 29/36.
    assert rows[("Tone", "")].alpha_ordinal == pytest.approx(29 / 36)
    # negative alone: values 2 (×2), 3 (×2); D_o = 2·2·4/4 = 4, D_e = 2·4·4/12; α = −0.5.
    assert rows[("Tone", "negative")].alpha_ordinal == pytest.approx(-0.5)
    assert rows[("Tone", "positive")].alpha_ordinal is None  # one value throughout
    # One of a's link matches one of b's two: 2·1 / (1 + 2).
    assert rows[("Claim", "")].link_f1 == pytest.approx(2 / 3)
    assert rows[("Claim", "claim")].link_f1 is None and rows[("Tone", "")].link_f1 is None
    assert rows[("Claim", "")].alpha_ordinal is None
    report = agreement_report(documents, codebook, {"Claim": "claim", "Tone": "tone"})
    assert report.pairs[0].link_f1 == pytest.approx(2 / 3) and report.documents[0].link_f1 == pytest.approx(
        2 / 3
    )
    # Without kinds no row is a claim or tone row.
    assert agreement_report(documents, codebook).rows[0].link_f1 is None
