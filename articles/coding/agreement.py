"""Inter-coder agreement on spans: Krippendorff's alpha for unitizing, alpha nominal over
tokens, and pairwise span F1. Plain Python and numpy, no Django: the agreement page, the
`agreement` command and the benchmark feed it plain data.

- Documents are laid end to end into one continuum of code points (Krippendorff's αu is
  defined on a continuum); a gap never runs across a document boundary.
- αu (Krippendorff 1995, "On the reliability of unitizing continuous data"; 2004) is
  computed per label. A category's figure treats its labels as the categories of one
  unitizing study: 1 − ΣD_o / ΣD_e over its labels, as DKPro Agreement pools categories.
  One coder's overlapping spans of one label are merged first (the measure assumes a
  coder's units of a category do not overlap); touching spans stay two units.
- α nominal: every token of every document is a unit; a coder's value for it is the label
  of their span covering it ("none" when there is none; where two of a category's labels
  cover a token, the first in codebook order). Computed by the `krippendorff` package.
- Span F1 between two coders: exact (same start, end and label) and overlap (same label,
  Jaccard ≥ 0.5, each span matched at most once, best overlaps first), pooled over
  documents as 2·matches / (spans of A + spans of B).

A figure with nothing to measure (no spans at all, or one value throughout) is None.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate, combinations

import krippendorff
import numpy as np

OVERLAP_JACCARD = 0.5
CLAIM, TONE = "claim", "tone"  # the category kinds whose rows carry link F1 and α ordinal
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Span:
    coder: object
    label: object
    start: int
    end: int
    intensity: int | None = None  # tone spans: 1 mild, 2 clear, 3 strong


@dataclass(frozen=True, slots=True)
class Link:
    """A coder's claim → source attribution between two of their spans."""

    coder: object
    claim: Span
    source: Span


class Tokens:
    """Where each token of a text starts and ends, as two arrays."""

    __slots__ = ("ends", "starts")

    def __init__(self, bounds=()):
        bounds = np.asarray(list(bounds), dtype=np.int64).reshape(-1, 2)
        self.starts, self.ends = bounds[:, 0].copy(), bounds[:, 1].copy()

    def __len__(self):
        return len(self.starts)


@dataclass(frozen=True)
class Document:
    key: object
    length: int
    coders: tuple
    spans: tuple = ()
    tokens: Tokens = field(default_factory=Tokens)  # tokenize() makes them from the text
    links: tuple = ()  # Link


def tokenize(text):
    return Tokens((m.start(), m.end()) for m in TOKEN_RE.finditer(text))


def _by_coder_and_label(document):
    """{coder: {label: [span, ...]}} of the document's coders."""
    grouped = {coder: {} for coder in document.coders}
    for span in document.spans:
        if span.coder in grouped:
            grouped[span.coder].setdefault(span.label, []).append(span)
    return grouped


# --- Krippendorff's alpha for unitizing -------------------------------------------------


def _units(intervals):
    """Sorted units of one coder and one label, overlapping ones merged."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [tuple(unit) for unit in merged]


def _segments(units, length):
    """The continuum of one document cut into units (True) and the gaps between them (False)."""
    segments, position = [], 0
    for start, end in units:
        if start > position:
            segments.append((position, start, False))
        segments.append((start, end, True))
        position = end
    if position < length:
        segments.append((position, length, False))
    return segments


def _squared_distance(a, b):
    """Krippendorff's δ² between two overlapping segments of two coders."""
    (a_start, a_end, a_unit), (b_start, b_end, b_unit) = a, b
    if a_unit and b_unit:
        return (a_start - b_start) ** 2 + (a_end - b_end) ** 2
    if a_unit and b_start <= a_start and a_end <= b_end:  # a unit lying inside a gap
        return (a_end - a_start) ** 2
    if b_unit and a_start <= b_start and b_end <= a_end:
        return (b_end - b_start) ** 2
    return 0


def _pair_disagreement(segments_a, segments_b):
    """Σδ² over every pair of overlapping segments of two coders on one document."""
    total, i, j = 0, 0, 0
    while i < len(segments_a) and j < len(segments_b):
        a, b = segments_a[i], segments_b[j]
        total += _squared_distance(a, b)
        if a[1] <= b[1]:
            i += 1
        if b[1] <= a[1]:
            j += 1
    return total


@dataclass
class _LabelTotals:
    """What αu needs of one label, summed over documents."""

    observed: int = 0  # Σ over documents and pairs of coders of Σδ²
    lengths: list = field(default_factory=list)  # of every unit of every coder
    gaps: list = field(default_factory=list)  # of every gap of every coder


def _label_totals(documents, labels):
    """{label: _LabelTotals} in one pass over the documents."""
    totals = {label: _LabelTotals() for label in labels}
    for document in documents:
        grouped = _by_coder_and_label(document)
        for label, label_totals in totals.items():
            segments = []
            for coder in document.coders:
                spans = grouped[coder].get(label, ())
                coder_segments = _segments(_units((s.start, s.end) for s in spans), document.length)
                segments.append(coder_segments)
                for start, end, is_unit in coder_segments:
                    (label_totals.lengths if is_unit else label_totals.gaps).append(end - start)
            for a, b in combinations(segments, 2):
                label_totals.observed += _pair_disagreement(a, b)
    return totals


def _disagreements(totals, coders, length):
    """(D_o, D_e) of one label (Krippendorff 1995; the D_e with 2004's correction)."""
    observed = 2 * totals.observed / (coders * (coders - 1) * length * length)
    units = len(totals.lengths)
    if units == 0:
        return observed, 0.0
    gaps = sorted(totals.gaps)
    # Σ over gaps g ≥ l of (g − l + 1) = (Σ g) − (l − 1)·count, from suffix sums.
    suffix = list(accumulate(reversed(gaps)))[::-1] + [0]
    expected = 0
    for unit in totals.lengths:
        first = bisect_left(gaps, unit)
        fitting = len(gaps) - first
        within_gaps = suffix[first] - (unit - 1) * fitting
        expected += (units - 1) * (2 * unit**3 - 3 * unit**2 + unit) / 3 + unit * unit * within_gaps
    squared = sum(unit * (unit - 1) for unit in totals.lengths)
    denominator = coders * length * (coders * length - 1) - squared
    return observed, (2 / length) * expected / denominator


def _coder_count(documents):
    counts = {len(document.coders) for document in documents}
    if len(counts) > 1:
        raise ValueError("αu needs the same number of coders on every document")
    count = counts.pop() if counts else 0
    if count and count < 2:
        raise ValueError("agreement needs at least two coders")
    return count


def label_disagreements(documents, labels):
    """{label: (D_o, D_e)} of αu over `documents`."""
    documents = list(documents)
    coders = _coder_count(documents)
    length = sum(document.length for document in documents)
    if not coders or not length:
        return dict.fromkeys(labels, (0.0, 0.0))
    return {
        label: _disagreements(totals, coders, length)
        for label, totals in _label_totals(documents, labels).items()
    }


def unitizing_disagreements(documents, label):
    """(D_o, D_e) of αu for one label over `documents`."""
    return label_disagreements(documents, [label])[label]


def _alpha_from(pairs):
    observed = sum(o for o, _ in pairs)
    expected = sum(e for _, e in pairs)
    if expected == 0:
        return None
    if observed == expected:
        return 0.0
    return 1 - observed / expected


def alpha_unitizing(documents, labels):
    """αu over `documents` for one label, or several pooled (a category)."""
    return _alpha_from(list(label_disagreements(documents, labels).values()))


# --- α nominal over tokens --------------------------------------------------------------


def _token_ranges(document):
    """{span: (first token, token after the last)} of the tokens each span touches."""
    spans = document.spans
    if not spans or not len(document.tokens):
        return {}
    starts = np.fromiter((span.start for span in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((span.end for span in spans), dtype=np.int64, count=len(spans))
    first = np.searchsorted(document.tokens.ends, starts, side="right").tolist()
    last = np.searchsorted(document.tokens.starts, ends, side="left").tolist()
    return dict(zip(spans, zip(first, last, strict=True), strict=True))


def token_values(document, labels, ranges=None):
    """{coder: array of the value of each token}: 0 for none, i + 1 for labels[i]."""
    ranges = _token_ranges(document) if ranges is None else ranges
    index = {label: i + 1 for i, label in enumerate(labels)}
    values = {coder: np.zeros(len(document.tokens), dtype=np.int64) for coder in document.coders}
    # The first label in codebook order wins a token: write the others first.
    spans = sorted(
        (span for span in document.spans if span.label in index and span.coder in values),
        key=lambda span: -index[span.label],
    )
    for span in spans:
        first, last = ranges[span]
        values[span.coder][first:last] = index[span.label]
    return values


def nominal_value_counts(documents, label_sets):
    """For each label set, units × values: how many coders gave each token each value
    (krippendorff's value_counts). All documents' tokens are laid end to end, so each
    label set costs a few array operations and one slice per span."""
    documents = [d for d in documents if len(d.coders) >= 2 and len(d.tokens)]
    if not documents:
        return [np.zeros((0, len(labels) + 1), dtype=np.int64) for labels in label_sets]
    slots = max(len(d.coders) for d in documents)
    total = sum(len(d.tokens) for d in documents)
    coded = np.zeros((slots, total), dtype=bool)  # slot i of the token's document has a coder
    by_label = {}
    offset = 0
    for document in documents:
        slot_of = {coder: i for i, coder in enumerate(document.coders)}
        coded[: len(document.coders), offset : offset + len(document.tokens)] = True
        for span, (first, last) in _token_ranges(document).items():
            if span.coder in slot_of and first < last:
                by_label.setdefault(span.label, []).append(
                    (slot_of[span.coder], offset + first, offset + last)
                )
        offset += len(document.tokens)
    out = []
    for labels in label_sets:
        values = np.zeros((slots, total), dtype=np.int64)
        # The first label in codebook order wins a token: write it last.
        for i in reversed(range(len(labels))):
            for slot, first, last in by_label.get(labels[i], ()):
                values[slot, first:last] = i + 1
        counts = np.zeros((total, len(labels) + 1), dtype=np.int64)
        for slot in range(slots):
            for value in range(len(labels) + 1):
                counts[:, value] += (values[slot] == value) & coded[slot]
        out.append(counts)
    return out


def _nominal_alpha(counts):
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return None
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def alpha_nominal_many(documents, label_sets):
    return [_nominal_alpha(counts) for counts in nominal_value_counts(list(documents), label_sets)]


def alpha_nominal(documents, labels):
    return alpha_nominal_many(documents, [labels])[0]


# --- span F1 ------------------------------------------------------------------------------


def _matches(spans_a, spans_b, overlap):
    if not overlap:
        remaining = {}
        for span in spans_b:
            key = (span.label, span.start, span.end)
            remaining[key] = remaining.get(key, 0) + 1
        found = 0
        for span in spans_a:
            key = (span.label, span.start, span.end)
            if remaining.get(key):
                remaining[key] -= 1
                found += 1
        return found
    return len(_overlap_pairs(spans_a, spans_b, same_label=True))


def _overlap_pairs(spans_a, spans_b, *, same_label):
    """One-to-one (a, b) pairs with Jaccard ≥ 0.5, best overlaps first."""
    candidates = []
    for i, a in enumerate(spans_a):
        for j, b in enumerate(spans_b):
            if (same_label and a.label != b.label) or a.end <= b.start or b.end <= a.start:
                continue
            jaccard = (min(a.end, b.end) - max(a.start, b.start)) / (
                max(a.end, b.end) - min(a.start, b.start)
            )
            if jaccard >= OVERLAP_JACCARD:
                candidates.append((-jaccard, i, j))
    used_a, used_b, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((spans_a[i], spans_b[j]))
    return pairs


def span_f1_counts(spans_a, spans_b, *, overlap):
    """(2·matches, |A| + |B|): the parts of F1, to pool over documents and pairs."""
    return 2 * _matches(spans_a, spans_b, overlap), len(spans_a) + len(spans_b)


def _f1(parts):
    matched = sum(m for m, _ in parts)
    total = sum(t for _, t in parts)
    return matched / total if total else None


def _pair_spans(documents, labels, coder_pairs=None):
    """[(coder a, coder b, spans of a, spans of b)] per document and pair of its coders."""
    labels = set(labels)
    out = []
    for document in documents:
        by_coder = {coder: [] for coder in document.coders}
        for span in document.spans:
            if span.label in labels and span.coder in by_coder:
                by_coder[span.coder].append(span)
        for a, b in combinations(document.coders, 2):
            if coder_pairs is None or frozenset((a, b)) in coder_pairs:
                out.append((a, b, by_coder[a], by_coder[b]))
    return out


def span_f1(documents, labels, *, overlap=False):
    parts = [span_f1_counts(a, b, overlap=overlap) for _, _, a, b in _pair_spans(documents, labels)]
    return _f1(parts)


def label_f1_parts(documents, labels):
    """{label: {"exact": [(2·matches, spans)], "overlap": [...]}}, per pair of coders per
    document. Matches never cross labels, so a category's F1 pools its labels' parts."""
    parts = {label: {"exact": [], "overlap": []} for label in labels}
    for document in documents:
        grouped = _by_coder_and_label(document)
        for a, b in combinations(document.coders, 2):
            for label, label_parts in parts.items():
                spans_a, spans_b = grouped[a].get(label, []), grouped[b].get(label, [])
                label_parts["exact"].append(span_f1_counts(spans_a, spans_b, overlap=False))
                label_parts["overlap"].append(span_f1_counts(spans_a, spans_b, overlap=True))
    return parts


# --- claim → source links, and tone intensity -------------------------------------------------


def link_f1_counts(links_a, links_b):
    """(2·matched links, links of A + links of B) for two coders on one document.

    The coders' claims are paired by position (Jaccard ≥ 0.5, labels aside: label
    disagreements count elsewhere), and their sources likewise; a link of A matches a
    link of B when both its claim and its source are paired with that link's.
    """
    links_a, links_b = set(links_a), set(links_b)

    def aligned(ends_a, ends_b):
        return dict(_overlap_pairs(sorted(ends_a, key=_order), sorted(ends_b, key=_order), same_label=False))

    claims = aligned({link.claim for link in links_a}, {link.claim for link in links_b})
    sources = aligned({link.source for link in links_a}, {link.source for link in links_b})
    theirs = {(link.claim, link.source) for link in links_b}
    matched = sum(1 for link in links_a if (claims.get(link.claim), sources.get(link.source)) in theirs)
    return 2 * matched, len(links_a) + len(links_b)


def _order(span):
    return (span.start, span.end, str(span.label))


def link_f1(documents, claim_labels=None):
    """F1 of claim → source links over matched pairs, pooled over documents and pairs of
    coders; with `claim_labels`, only the links whose claim has one of those labels."""
    wanted = None if claim_labels is None else set(claim_labels)
    parts = []
    for document in documents:
        by_coder = {coder: [] for coder in document.coders}
        for link in document.links:
            if link.coder in by_coder and (wanted is None or link.claim.label in wanted):
                by_coder[link.coder].append(link)
        for a, b in combinations(document.coders, 2):
            parts.append(link_f1_counts(by_coder[a], by_coder[b]))
    return _f1(parts)


INTENSITIES = (1, 2, 3)


def intensity_value_counts(documents, labels):
    """Tokens × intensities (1–3): how many coders gave each token each intensity through a
    span of `labels` (the strongest where several cover it). A coder without such a span on
    a token gives no value; tokens with fewer than two values are left out (not pairable)."""
    wanted = set(labels)
    blocks = []
    for document in documents:
        if len(document.coders) < 2 or not len(document.tokens):
            continue
        ranges = _token_ranges(document)
        counts = np.zeros((len(document.tokens), len(INTENSITIES)), dtype=np.int64)
        rows = np.arange(len(document.tokens))
        for coder in document.coders:
            strongest = np.zeros(len(document.tokens), dtype=np.int64)
            for span in document.spans:
                if span.coder == coder and span.label in wanted and span.intensity in INTENSITIES:
                    first, last = ranges[span]
                    np.maximum(strongest[first:last], span.intensity, out=strongest[first:last])
            has = strongest > 0
            counts[rows[has], strongest[has] - 1] += 1
        blocks.append(counts[counts.sum(axis=1) >= 2])
    if not blocks:
        return np.zeros((0, len(INTENSITIES)), dtype=np.int64)
    return np.concatenate(blocks)


def alpha_ordinal_intensity(documents, labels):
    """Krippendorff's α ordinal on tone intensity, over tokens both coders marked with a
    tone of `labels` (the `krippendorff` package's ordinal metric)."""
    counts = intensity_value_counts(list(documents), labels)
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return None
    return float(
        krippendorff.alpha(
            value_counts=counts, value_domain=list(INTENSITIES), level_of_measurement="ordinal"
        )
    )


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    category: str
    label: str  # "" on a category's own row
    n: int  # spans the coders made
    alpha_u: float | None
    alpha_nominal: float | None
    f1_exact: float | None
    f1_overlap: float | None
    alpha_ordinal: float | None = None  # tone categories: intensity 1–3
    link_f1: float | None = None  # claim categories: claim → source links


@dataclass(frozen=True)
class PairRow:
    coder_a: object
    coder_b: object
    documents: int
    alpha_u: float | None
    f1_exact: float | None
    f1_overlap: float | None
    link_f1: float | None = None


@dataclass(frozen=True)
class DocumentRow:
    key: object
    coders: tuple
    spans: int
    f1_overlap: float | None
    link_f1: float | None = None


@dataclass(frozen=True)
class Report:
    rows: list
    pairs: list
    documents: list  # lowest agreement first, documents without spans last


def _rows(documents, codebook, kinds):
    """A row per category (its labels pooled) and per label, each measure computed once.

    α ordinal on intensity fills the rows of tone categories; link F1 the row of a claim
    category (its links pooled: claims are paired labels aside, so a label has no own)."""
    all_labels = [key for _, labels in codebook for key, _ in labels]
    counts = dict.fromkeys(all_labels, 0)
    for document in documents:
        for span in document.spans:
            if span.label in counts and span.coder in document.coders:
                counts[span.label] += 1
    unitizing = label_disagreements(documents, all_labels)
    f1_parts = label_f1_parts(documents, all_labels)
    entries = []
    for category, labels in codebook:
        keys = [key for key, _ in labels]
        entries.append((category, "", keys))
        entries.extend((category, name, [key]) for key, name in labels)
    nominal = alpha_nominal_many(documents, [keys for _, _, keys in entries])

    def ordinal(category, keys):
        return alpha_ordinal_intensity(documents, keys) if kinds.get(category) == TONE else None

    def links(category, name, keys):
        return link_f1(documents, keys) if kinds.get(category) == CLAIM and not name else None

    return [
        Row(
            category=category,
            label=name,
            n=sum(counts[key] for key in keys),
            alpha_u=_alpha_from([unitizing[key] for key in keys]),
            alpha_nominal=alpha_nominal_value,
            f1_exact=_f1([part for key in keys for part in f1_parts[key]["exact"]]),
            f1_overlap=_f1([part for key in keys for part in f1_parts[key]["overlap"]]),
            alpha_ordinal=ordinal(category, keys),
            link_f1=links(category, name, keys),
        )
        for (category, name, keys), alpha_nominal_value in zip(entries, nominal, strict=True)
    ]


def agreement_report(documents, codebook, kinds=None):
    """Everything the agreement page shows.

    `codebook` is [(category name, [(label key, label name), ...]), ...], `kinds`
    {category name: "claim" | "tone" | ...} (which rows get link F1 and α ordinal); documents with
    fewer than two coders are left out, and αu uses the documents with the most common
    number of coders (αu needs the same number on each).
    """
    documents = [d for d in documents if len(d.coders) >= 2]
    if documents:
        counts = {}
        for d in documents:
            counts[len(d.coders)] = counts.get(len(d.coders), 0) + 1
        usual = max(counts, key=lambda count: (counts[count], -count))
        documents = [d for d in documents if len(d.coders) == usual]
    all_labels = [key for _, labels in codebook for key, _ in labels]
    kinds = kinds or {}
    claim_labels = [key for category, labels in codebook if kinds.get(category) == CLAIM for key, _ in labels]
    rows = _rows(documents, codebook, kinds)
    coders = sorted({coder for d in documents for coder in d.coders}, key=str)
    pairs = []
    for a, b in combinations(coders, 2):
        shared = [
            Document(
                d.key,
                d.length,
                (a, b),
                tuple(s for s in d.spans if s.coder in (a, b)),
                d.tokens,
                tuple(link for link in d.links if link.coder in (a, b)),
            )
            for d in documents
            if a in d.coders and b in d.coders
        ]
        if not shared:
            continue
        pairs.append(
            PairRow(
                coder_a=a,
                coder_b=b,
                documents=len(shared),
                alpha_u=alpha_unitizing(shared, all_labels),
                f1_exact=span_f1(shared, all_labels),
                f1_overlap=span_f1(shared, all_labels, overlap=True),
                link_f1=link_f1(shared, claim_labels),
            )
        )
    document_rows = []
    for d in documents:
        parts = [span_f1_counts(x, y, overlap=True) for _, _, x, y in _pair_spans([d], all_labels)]
        spans = sum(t for _, t in parts) // (len(d.coders) - 1)
        document_rows.append(DocumentRow(d.key, d.coders, spans, _f1(parts), link_f1([d], claim_labels)))
    document_rows.sort(key=lambda row: (row.f1_overlap is None, row.f1_overlap or 0, str(row.key)))
    return Report(rows=rows, pairs=pairs, documents=document_rows)
