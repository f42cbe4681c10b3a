"""atlas.tokens: the index's texts as numbers of their raw words, the German text split once per process."""

from collections import Counter

from atlas import words
from atlas.tokens import Split, Tokens

# two fields of three offers' German texts, with Turkish apostrophes, which only the Turkish index splits at
TEXTS = [["Beratung in Hanau'da und Gelnhausen’de", "", "Kurs ' Kurs"], ["Kita-Café (Lamboy)", "a`b", "x"]]


def raw_words(tokens: Tokens, split: Split) -> list[Counter[str]]:
    """Per text its raw words."""
    table, found, at = list(tokens.numbers), [], 0
    for size in split.sizes.tolist():
        found.append(Counter(table[n] for n in split.words[at:at + size].tolist()))
        at += size
    return found


def test_the_german_text_is_split_once_and_further_where_a_language_has_separators_of_its_own() -> None:
    tokens, asked = Tokens(), []

    def fields() -> list[list[str]]:
        asked.append(True)
        return TEXTS

    german = tokens.kept(words.rules("de"), fields)
    assert tokens.kept(words.rules("ar"), fields) is german  # split alike: kept
    turkish = tokens.kept(words.rules("tr"), fields)
    assert len(asked) == 1  # Turkish splits the German split further
    for texts, plain, apart in zip(TEXTS, german, turkish, strict=True):
        assert raw_words(tokens, plain) == [Counter(words.split(text.lower())) for text in texts]
        assert raw_words(tokens, apart) == [Counter(words.rules("tr").words(text.lower())) for text in texts]
    assert raw_words(tokens, turkish[0])[0]["hanau"] == 1 and raw_words(tokens, turkish[0])[2]["kurs"] == 2
