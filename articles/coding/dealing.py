"""Deal a batch's articles out to its analysts: balanced and reproducible.

Plain Python, no Django. Each article goes to `per_article` different analysts. An
analyst with fewer articles so far always comes first, so shares never differ by more
than one; among equally loaded analysts, the one who has coded least with those
already chosen for the article comes next, so every pair of analysts overlaps about
equally often. Ties are broken by a random order drawn from `seed` once per article:
the same seed, articles and analysts always give the same deal.
"""

import random
from itertools import combinations


class DealingError(ValueError):
    pass


def deal(article_ids, analyst_ids, per_article, seed):
    """[(article_id, analyst_id), ...]: `per_article` analysts for every article."""
    analysts = sorted(set(analyst_ids))
    articles = sorted(set(article_ids))
    if not 1 <= per_article <= len(analysts):
        raise DealingError(f"each article needs {per_article} analyst(s) but the batch has {len(analysts)}")
    rng = random.Random(seed)
    order = articles[:]
    rng.shuffle(order)
    load = dict.fromkeys(analysts, 0)
    together = dict.fromkeys(combinations(analysts, 2), 0)
    dealt = []
    for article in order:
        tie_break = {analyst: rng.random() for analyst in analysts}
        chosen = []
        for _ in range(per_article):
            candidates = [a for a in analysts if a not in chosen]
            best = min(
                candidates,
                key=lambda a: (
                    load[a],
                    sum(together[tuple(sorted((a, b)))] for b in chosen),
                    tie_break[a],
                ),
            )
            chosen.append(best)
        for a, b in combinations(sorted(chosen), 2):
            together[(a, b)] += 1
        for analyst in chosen:
            load[analyst] += 1
            dealt.append((article, analyst))
    dealt.sort()
    return dealt
