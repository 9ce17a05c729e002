from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.coding.dealing import DealingError, deal


def by_article(dealt):
    articles = {}
    for article, analyst in dealt:
        articles.setdefault(article, []).append(analyst)
    return articles


@given(
    articles=st.sets(st.integers(1, 10_000), max_size=60),
    analysts=st.sets(st.integers(1, 500), min_size=1, max_size=8),
    per_article=st.integers(1, 5),
    seed=st.integers(0, 2**32),
)
def test_it_gives_each_article_distinct_analysts_and_fair_shares(articles, analysts, per_article, seed):
    if per_article > len(analysts):
        with pytest.raises(DealingError):
            deal(articles, analysts, per_article, seed)
        return
    dealt = deal(articles, analysts, per_article, seed)
    groups = by_article(dealt)
    assert set(groups) == articles
    assert all(len(set(coders)) == len(coders) == per_article for coders in groups.values())
    loads = Counter(analyst for _, analyst in dealt)
    shares = [loads.get(analyst, 0) for analyst in analysts]
    assert max(shares) - min(shares) <= 1


@given(seed=st.integers(0, 2**32))
def test_it_is_reproducible_from_the_seed_and_order_free(seed):
    articles, analysts = list(range(1, 40)), [3, 9, 4, 12]
    assert deal(articles, analysts, 2, seed) == deal(reversed(articles), sorted(analysts), 2, seed)


def test_it_deals_differently_with_another_seed():
    assert deal(range(40), range(4), 2, 1) != deal(range(40), range(4), 2, 2)


@pytest.mark.parametrize(
    ("analysts", "per_article", "articles", "per_pair"), [(4, 2, 12, 2), (5, 2, 50, 5), (6, 3, 40, 8)]
)
def test_it_balances_every_pair_of_analysts(analysts, per_article, articles, per_pair):
    groups = by_article(deal(range(articles), range(analysts), per_article, seed=7))
    pairs = Counter(pair for coders in groups.values() for pair in combinations(sorted(coders), 2))
    assert set(pairs) == set(combinations(range(analysts), 2))
    assert set(pairs.values()) == {per_pair}
