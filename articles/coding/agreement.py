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
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Span:
    coder: object
    label: object
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    key: object
    length: int
    coders: tuple
    spans: tuple = ()
    tokens: tuple = ()  # (start, end) of each token; tokenize() makes them from the text


def tokenize(text):
    return tuple((m.start(), m.end()) for m in TOKEN_RE.finditer(text))


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


def _label_totals(documents, label):
    totals = _LabelTotals()
    for document in documents:
        by_coder = {coder: [] for coder in document.coders}
        for span in document.spans:
            if span.label == label and span.coder in by_coder:
                by_coder[span.coder].append((span.start, span.end))
        segments = []
        for coder in document.coders:
            coder_segments = _segments(_units(by_coder[coder]), document.length)
            segments.append(coder_segments)
            for start, end, is_unit in coder_segments:
                (totals.lengths if is_unit else totals.gaps).append(end - start)
        for a, b in combinations(segments, 2):
            totals.observed += _pair_disagreement(a, b)
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


def unitizing_disagreements(documents, label):
    """(D_o, D_e) of αu for one label over `documents`."""
    coders = _coder_count(documents)
    length = sum(document.length for document in documents)
    if not coders or not length:
        return 0.0, 0.0
    return _disagreements(_label_totals(documents, label), coders, length)


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
    documents = list(documents)
    return _alpha_from([unitizing_disagreements(documents, label) for label in labels])


# --- α nominal over tokens --------------------------------------------------------------


def token_values(document, labels):
    """{coder: array of the value of each token}: 0 for none, i + 1 for labels[i]."""
    starts = np.fromiter((s for s, _ in document.tokens), dtype=np.int64, count=len(document.tokens))
    ends = np.fromiter((e for _, e in document.tokens), dtype=np.int64, count=len(document.tokens))
    index = {label: i + 1 for i, label in enumerate(labels)}
    values = {coder: np.zeros(len(document.tokens), dtype=np.int64) for coder in document.coders}
    # The first label in codebook order wins a token: write the others first.
    spans = sorted(
        (span for span in document.spans if span.label in index and span.coder in values),
        key=lambda span: -index[span.label],
    )
    for span in spans:
        first = np.searchsorted(ends, span.start, side="right")
        last = np.searchsorted(starts, span.end, side="left")
        values[span.coder][first:last] = index[span.label]
    return values


def nominal_value_counts(documents, labels):
    """Units × values: how many coders gave each token each value (krippendorff's value_counts)."""
    blocks = []
    for document in documents:
        if len(document.coders) < 2 or not document.tokens:
            continue
        counts = np.zeros((len(document.tokens), len(labels) + 1), dtype=np.int64)
        rows = np.arange(len(document.tokens))
        for values in token_values(document, labels).values():
            counts[rows, values] += 1
        blocks.append(counts)
    if not blocks:
        return np.zeros((0, len(labels) + 1), dtype=np.int64)
    return np.concatenate(blocks)


def alpha_nominal(documents, labels):
    counts = nominal_value_counts(documents, labels)
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return None
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


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
    candidates = []
    for i, a in enumerate(spans_a):
        for j, b in enumerate(spans_b):
            if a.label != b.label or a.end <= b.start or b.end <= a.start:
                continue
            jaccard = (min(a.end, b.end) - max(a.start, b.start)) / (
                max(a.end, b.end) - min(a.start, b.start)
            )
            if jaccard >= OVERLAP_JACCARD:
                candidates.append((-jaccard, i, j))
    used_a, used_b, found = set(), set(), 0
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            found += 1
    return found


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


@dataclass(frozen=True)
class PairRow:
    coder_a: object
    coder_b: object
    documents: int
    alpha_u: float | None
    f1_exact: float | None
    f1_overlap: float | None


@dataclass(frozen=True)
class DocumentRow:
    key: object
    coders: tuple
    spans: int
    f1_overlap: float | None


@dataclass(frozen=True)
class Report:
    rows: list
    pairs: list
    documents: list  # lowest agreement first, documents without spans last


def _row(documents, category, label_name, labels):
    labels = list(labels)
    wanted = set(labels)
    return Row(
        category=category,
        label=label_name,
        n=sum(1 for d in documents for s in d.spans if s.label in wanted and s.coder in d.coders),
        alpha_u=alpha_unitizing(documents, labels),
        alpha_nominal=alpha_nominal(documents, labels),
        f1_exact=span_f1(documents, labels),
        f1_overlap=span_f1(documents, labels, overlap=True),
    )


def agreement_report(documents, codebook):
    """Everything the agreement page shows.

    `codebook` is [(category name, [(label key, label name), ...]), ...]; documents with
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
    rows = []
    for category, labels in codebook:
        rows.append(_row(documents, category, "", [key for key, _ in labels]))
        rows.extend(_row(documents, category, name, [key]) for key, name in labels)
    coders = sorted({coder for d in documents for coder in d.coders}, key=str)
    pairs = []
    for a, b in combinations(coders, 2):
        shared = [
            Document(d.key, d.length, (a, b), tuple(s for s in d.spans if s.coder in (a, b)), d.tokens)
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
            )
        )
    document_rows = []
    for d in documents:
        parts = [span_f1_counts(x, y, overlap=True) for _, _, x, y in _pair_spans([d], all_labels)]
        document_rows.append(
            DocumentRow(d.key, d.coders, sum(t for _, t in parts) // (len(d.coders) - 1), _f1(parts))
        )
    document_rows.sort(key=lambda row: (row.f1_overlap is None, row.f1_overlap or 0, str(row.key)))
    return Report(rows=rows, pairs=pairs, documents=document_rows)
