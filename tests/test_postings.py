"""atlas.postings: the index's BM25 weights as arrays, against lunr's formula written out per posting."""

from __future__ import annotations

import functools
import json
import math
import random

from atlas import postings, search, tokens


def lunrs(fields: list[list[dict[str, int]]], boosts: list[int]) -> dict[str, list[list[int]]]:
    """{term: per field [offer, weight, …]}: lunr's BM25, one posting at a time."""
    count = len(fields[0])
    found: dict[str, int] = {}
    for column in fields:
        for counts in column:
            for term in counts:
                found[term] = found.get(term, 0) + 1
    weights: dict[str, list[list[int]]] = {term: [[] for _ in boosts] for term in sorted(found)}
    for field, (column, boost) in enumerate(zip(fields, boosts, strict=True)):
        lengths = [sum(counts.values()) for counts in column]
        average = sum(lengths) / count
        for ref, counts in enumerate(column):
            norm = 1.2 * (1 - 0.75 + 0.75 * (lengths[ref] / average)) if average else 1.2
            for term, tf in counts.items():
                idf = math.log(1 + abs((count - found[term] + 0.5) / (found[term] + 0.5)))
                weights[term][field] += [ref, math.floor(idf * (2.2 * tf) / (norm + tf) * boost * 1000 + 0.5)]
    return weights


def random_fields(seed: int, offers: int, vocabulary: int, words: int) -> list[list[dict[str, int]]]:
    chance = random.Random(seed)
    terms = [f"w{n}" for n in range(vocabulary)]
    fields = []
    for size in (3, 0, words):  # a short field, an empty one, a long one
        column = []
        for _ in range(offers):
            counts: dict[str, int] = {}
            for term in chance.choices(terms, k=chance.randrange(size + 1)):
                counts[term] = counts.get(term, 0) + 1
            column.append(counts)
        fields.append(column)
    return fields


def test_the_weights_are_lunrs_formula_posting_by_posting() -> None:
    fields = random_fields(1, 300, 500, 40)
    inverted = postings.invert(fields, [10, 3, 1])
    expected = lunrs(fields, [10, 3, 1])
    assert inverted.terms == list(expected)
    assert [[inverted.pairs(n, f).tolist() for f in range(3)] for n in range(len(inverted.terms))] == \
        list(expected.values())
    assert inverted.found == [sum(len(pairs) // 2 for pairs in per) for per in expected.values()]


def test_more_terms_than_16_bits_count_each_terms_offers_stay_in_order() -> None:
    """Over 65,536 terms, each with its offers in order."""
    fields = random_fields(2, 500, 1_000_000, 600)
    inverted = postings.invert(fields, [10, 3, 1])
    expected = lunrs(fields, [10, 3, 1])
    assert len(inverted.terms) > 1 << 16
    assert [inverted.pairs(n, 2).tolist() for n in range(len(inverted.terms))] == [per[2] for per in expected.values()]


def travelling(inverted: postings.Inverted, number: int) -> list[list[int] | int]:
    """A term as a shard carries it: per field its offers as gaps to the one before, weights; 0 for none."""
    per_field: list[list[int] | int] = []
    for field in range(len(inverted.columns)):
        flat = inverted.pairs(number, field).tolist()
        flat[2::2] = [offer - before for before, offer in zip(flat[0::2], flat[2::2], strict=False)]
        per_field.append(flat or 0)
    return per_field


def test_a_shard_is_the_json_of_each_terms_gaps_and_weights_and_0_for_an_empty_field() -> None:
    fields = [[{"kurs": 1}, {"kurs": 2, "treff": 1}, {}, {"kurs": 1}]] + [[{}] * 4 for _ in search.FIELDS[1:]]
    inverted = postings.invert(fields, [boost for _, boost in search.FIELDS])
    kurs = [inverted.pairs(0, 0).tolist()[n] for n in (1, 3, 5)]
    assert json.loads(inverted.shard(0, 2))[0] == [[0, kurs[0], 1, kurs[1], 2, kurs[2]]] + [0] * 8
    (first, shard), = search.shards(inverted)
    assert first == 0 and shard == inverted.shard(0, 2)


def test_shards_are_written_as_json_dumps_writes_them() -> None:
    """The shard's digits are made for all its numbers at once: the very bytes of json.dumps, cut
    anywhere, numbers of every length (weights up to 10 digits)."""
    fields = random_fields(3, 200, 300, 30)
    fields.append([{"w1": 10 ** 6} if ref % 7 == 0 else {} for ref in range(200)])  # long fields: large weights
    inverted = postings.invert(fields, [10, 3, 1, 100_000])
    for first, end in ((0, len(inverted.terms)), (0, 1), (5, 17), (len(inverted.terms) - 1, len(inverted.terms))):
        expected = [travelling(inverted, number) for number in range(first, end)]
        assert inverted.shard(first, end) == json.dumps(expected, separators=(",", ":")).encode()
    w1 = inverted.terms.index("w1")
    assert max(json.loads(inverted.shard(w1, w1 + 1))[0][3][1::2]) >= 10 ** 6


def test_no_offers_no_terms() -> None:
    inverted = postings.invert([[] for _ in search.FIELDS], [boost for _, boost in search.FIELDS])
    assert inverted.terms == [] and search.shards(inverted) == []
    assert search.weighted([[{}, {}] for _ in search.FIELDS]) == {}


def test_an_offers_term_numbers_give_the_index_its_terms_and_counts_give() -> None:
    """The build's way (each text's words numbered once, atlas.tokens, their terms made once per distinct word,
    IndexWords.numbered_terms, gathered for every occurrence, postings.invert_flat) and IndexWords.field (the
    terms counted, postings.invert) make the same index: compounds, synonyms, stop words, a word twice."""
    titles = ["Sprachkurs für Frauen", "Kurs Kurs und Sprachcafé", "", "Frauen-Treff (Hanau)"]
    bodies = ["Ein Kurs", "die die die", "Lehrgang Sprachkurs", "Treff, Treff!"]
    boosts = [10, 1]

    def words() -> search.IndexWords:
        return search.IndexWords({"sprach", "kurs", "frauen", "treff"}, {"kur": ("lehrgang",)})

    counted, numbered, split = words(), words(), tokens.Tokens()
    by_counts = postings.invert([[counted.field(t) for t in titles], [counted.field(t) for t in bodies]], boosts)
    fields = [[split.split(titles, numbered.language)], [split.split(bodies, numbered.language)]]
    held = tokens.used(fields)
    made = tokens.Terms.of(numbered.numbered_terms(split.words(held)), held, len(split.numbers))
    by_numbers = postings.invert_flat([functools.partial(made.occurrences, parts) for parts in fields],
                                      numbered.numbered, boosts)
    assert by_numbers.terms == by_counts.terms and "lehrgang" in by_numbers.terms
    assert by_numbers.found == by_counts.found
    assert by_numbers.shard(0, len(by_numbers.terms)) == by_counts.shard(0, len(by_counts.terms))
