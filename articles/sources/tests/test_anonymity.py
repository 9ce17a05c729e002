import pytest

from articles.sources.anonymity import ANONYMOUS, NAMED, UNATTRIBUTED, suggest_anonymity

CASES = [
    ("a senior Pakistani military official", "", ANONYMOUS),
    ("the official", "", ANONYMOUS),
    ("Senior Pakistani Military Official", "", ANONYMOUS),
    ("Senior military officials on both sides", "", ANONYMOUS),
    ("Pakistani government officials", "", ANONYMOUS),
    ("sources", " said the talks had stalled", ANONYMOUS),
    ("a spokesman who asked not to be named", "", ANONYMOUS),
    ("a diplomat", ", speaking on condition of anonymity,", ANONYMOUS),
    ("the army's spokesman", "", ANONYMOUS),
    ("it is believed", "", UNATTRIBUTED),
    ("reportedly", "", UNATTRIBUTED),
    # Non-matches: names, institutions and outlets.
    ("Adm. Michael Mullen", "", NAMED),
    ("Mullen", "", NAMED),
    ("Chief of Army Staff Gen. Ashfaq Parvez Kayani", "", NAMED),
    ("The Pakistani military", "", NAMED),
    ("ABC News", "", NAMED),
    ("Pakistani government spokesman Abdul Basit", "", NAMED),
    ("a Pakistani newspaper", "", NAMED),
]


@pytest.mark.parametrize(("quote", "following", "expected"), CASES)
def test_it_suggests_anonymity(quote, following, expected):
    assert suggest_anonymity(quote, following) == expected
