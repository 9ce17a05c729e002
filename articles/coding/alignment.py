"""Lining up the coders' spans of one article for adjudication (plain Python).

Within a category, spans that overlap (directly or through a chain of overlaps) form a
group. A group is
- agreed:    every coder made exactly the same spans (start, end, label);
- label:     every coder marked the same stretches, with different labels;
- boundary:  every coder used the same labels, over different stretches;
- both:      labels and stretches differ;
- details:   the same spans and labels, with different details (tone intensity or target);
- single:    only one coder marked anything here;
- partial:   some coders but not all (three or more coders) marked something here.
"""

from dataclasses import dataclass

AGREED, LABEL, BOUNDARY, BOTH, SINGLE, PARTIAL = "agreed", "label", "boundary", "both", "single", "partial"
DETAILS = "details"
KIND_NAMES = {
    AGREED: "Agreed",
    LABEL: "Label disagreement",
    BOUNDARY: "Boundary disagreement",
    BOTH: "Label and boundary disagreement",
    SINGLE: "One coder only",
    PARTIAL: "Not all coders",
    DETAILS: "Intensity or target disagreement",
}


@dataclass(frozen=True, slots=True)
class Version:
    id: int
    coder: object
    category: object
    label: object
    start: int
    end: int
    details: tuple = ()  # what gold copies beyond span and label: tone intensity, target


@dataclass(frozen=True)
class Group:
    category: object
    start: int
    end: int
    versions: tuple
    kind: str

    @property
    def key(self):
        return "-".join(str(v.id) for v in sorted(self.versions, key=lambda v: v.id))

    def of(self, coder):
        return [v for v in self.versions if v.coder == coder]

    @property
    def is_disagreement(self):
        return self.kind != AGREED


def _kind(versions, coders):
    present = {v.coder for v in versions}
    if len(present) == 1:
        return SINGLE
    if present != set(coders):
        return PARTIAL
    exact = {c: sorted((v.start, v.end, str(v.label)) for v in versions if v.coder == c) for c in coders}
    if all(spans == exact[coders[0]] for spans in exact.values()):
        detailed = {
            c: sorted((v.start, v.end, str(v.label), repr(v.details)) for v in versions if v.coder == c)
            for c in coders
        }
        return AGREED if all(d == detailed[coders[0]] for d in detailed.values()) else DETAILS
    stretches = {c: sorted((s, e) for s, e, _ in spans) for c, spans in exact.items()}
    labels = {c: sorted({label for _, _, label in spans}) for c, spans in exact.items()}
    same_stretches = all(s == stretches[coders[0]] for s in stretches.values())
    same_labels = all(s == labels[coders[0]] for s in labels.values())
    if same_stretches:
        return LABEL
    if same_labels:
        return BOUNDARY
    return BOTH


def align(versions, coders):
    """Groups of `versions` (Version), in text order; `coders` are the article's coders."""
    coders = tuple(coders)
    groups = []
    by_category = {}
    for version in versions:
        by_category.setdefault(version.category, []).append(version)
    for category, items in by_category.items():
        items.sort(key=lambda v: (v.start, v.end, v.id))
        current, end = [], -1
        for version in items:
            if current and version.start >= end:
                groups.append(_group(category, current, coders))
                current = []
            current.append(version)
            end = max(end, version.end) if len(current) > 1 else version.end
        if current:
            groups.append(_group(category, current, coders))
    groups.sort(key=lambda g: (g.start, g.end, str(g.category)))
    return groups


def _group(category, versions, coders):
    return Group(
        category=category,
        start=min(v.start for v in versions),
        end=max(v.end for v in versions),
        versions=tuple(versions),
        kind=_kind(versions, coders),
    )
