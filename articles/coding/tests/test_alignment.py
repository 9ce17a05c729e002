from articles.coding.alignment import AGREED, BOTH, BOUNDARY, DETAILS, LABEL, PARTIAL, SINGLE, Version, align


def v(id_, coder, start, end, label="x", category="c"):
    return Version(id_, coder, category, label, start, end)


def test_it_groups_overlapping_spans_per_category_and_names_the_kind():
    groups = align(
        [
            v(1, "a", 0, 5), v(2, "b", 0, 5),  # agreed
            v(3, "a", 10, 15), v(4, "b", 10, 15, "y"),  # label
            v(5, "a", 20, 25), v(6, "b", 22, 28),  # boundary
            v(7, "a", 30, 35), v(8, "b", 31, 35, "y"),  # both
            v(9, "a", 40, 45),  # single
            v(10, "b", 0, 5, category="other"),  # another category: its own group
        ],
        ["a", "b"],
    )  # fmt: skip
    kinds = [(g.start, g.category, g.kind) for g in groups]
    assert kinds == [
        (0, "c", AGREED), (0, "other", SINGLE), (10, "c", LABEL), (20, "c", BOUNDARY), (30, "c", BOTH), (40, "c", SINGLE)
    ]  # fmt: skip
    assert groups[0].key == "1-2" and [x.id for x in groups[3].of("b")] == [6]


def test_it_chains_overlaps_and_keeps_touching_spans_apart():
    groups = align([v(1, "a", 0, 5), v(2, "b", 4, 9), v(3, "a", 8, 12), v(4, "b", 12, 14)], ["a", "b"])
    assert [(g.start, g.end, g.kind) for g in groups] == [(0, 12, BOUNDARY), (12, 14, SINGLE)]


def test_it_marks_passages_not_every_coder_touched():
    groups = align([v(1, "a", 0, 5), v(2, "b", 0, 5)], ["a", "b", "c"])
    assert groups[0].kind == PARTIAL


def test_it_tells_the_same_spans_with_different_intensity_or_target_apart():
    def toned(id_, coder, intensity, target=""):
        return Version(id_, coder, "tone", "negative", 0, 5, (intensity, None, target))

    assert align([toned(1, "a", 2), toned(2, "b", 2)], ["a", "b"])[0].kind == AGREED
    assert align([toned(1, "a", 3), toned(2, "b", 2)], ["a", "b"])[0].kind == DETAILS
    assert align([toned(1, "a", 2, "US"), toned(2, "b", 2)], ["a", "b"])[0].kind == DETAILS
    assert align([toned(1, "a", None), toned(2, "b", 2)], ["a", "b"])[0].kind == DETAILS
