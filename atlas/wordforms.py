"""Word forms of the UI languages other than German, as tables: the single source of the rules.

Python applies them at index and query time (atlas.words.forms), and the browser applies the very
same tables, shipped in the search data (atlas.words.pipeline_data), with a twenty-line interpreter
(search-pipeline.js: forms). A light stemmer of this kind (Arabic after Larkey's light10, the
others longest-suffix stripping) merges the forms residents type ("للنساء" / "نساء", "курсів" /
"курси", "kursları" / "kurslar", "families" / "family") while two tables cannot drift apart. A
full stemmer (Snowball) would need a second implementation in the browser or its vocabulary
shipped word by word; these tables are a few hundred bytes.

A language's table:
    letters   the characters that mark a word as the language's (a regular-expression class);
              other words (German ones in the same text) take only the German steps
    map       characters replaced after lower-casing ("" deletes): spelling variants, diacritics
    prefixes  [clitic, letters that must remain], tried longest first, at most one stripped
    suffixes  [ending, replacement], longest first, one per round while `min` letters remain
    rounds    how many endings may be stripped one after the other (Turkish stacks them)
    stop      the language's function words, as typed (checked before the map)
    apart     characters that separate words in this language besides white space and hyphens
              (atlas.words.SEPARATORS); the browser splits by the same list
"""

from __future__ import annotations

from typing import Any

_ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640"  # + tatweel
_APOSTROPHES = "'\u2019\u02bc\u2018`"


def _deleting(chars: str) -> dict[str, str]:
    return dict.fromkeys(chars, "")


def _suffixes(text: str) -> list[list[str]]:
    """'a b=c' -> [['a', ''], ['b', 'c']], longest first (then as written, for a fixed order)."""
    pairs = [(item.split("=") + [""])[:2] for item in dict.fromkeys(text.split())]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


ARABIC: dict[str, Any] = {
    "letters": "\u0600-\u06ff\u0750-\u077f",
    # alef with hamza or madda -> alef, alef maqsura -> ya, ta marbuta -> ha (the spellings residents mix),
    # Persian kaf and ya as Arabic ones (a Persian keyboard in the Arabic interface)
    "map": {**_deleting(_ARABIC_MARKS), "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
            "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"},
    # the article and the particles before it (light10); و alone only before a word of 3 letters or more
    "prefixes": sorted([[p, 2] for p in ["وال", "بال", "كال", "فال", "ولل", "لل", "ال"]] + [["ول", 3], ["و", 3]],
                       key=lambda pair: -len(pair[0])),
    "suffixes": _suffixes("ها ان ات ون ين يه ه ي"),
    "min": 2,
    "rounds": 1,
    "stop": "في من على إلى الى عن مع أو او ثم هذا هذه التي الذي هو هي كل أن ان لا ما قد",
}

PERSIAN: dict[str, Any] = {
    "letters": "\u0600-\u06ff\u0750-\u077f",
    # Arabic ya and kaf as Persian ones, ta marbuta as ha; the zero-width non-joiner (خانواده‌ها) joins
    "map": {**_deleting(_ARABIC_MARKS + "\u200c\u200d"), "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا",
            "إ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی"},
    "prefixes": [],
    "suffixes": _suffixes("هایی های ها ترین تر ان ات یی ی"),
    "min": 2,
    "rounds": 1,
    "stop": "و در به از که با را این آن برای یا تا هم بر است",
}

CYRILLIC: dict[str, Any] = {
    "letters": "\u0400-\u04ff",
    "map": {**_deleting(_APOSTROPHES + "\u0301"), "ё": "е"},  # ё as е; здоров’я = здоров'я; stress marks off
    "prefixes": [],
    # Russian and Ukrainian noun, adjective and verb endings: one table, so that either language's
    # reader may type either
    "suffixes": _suffixes("""
        иями ями ами иях ях ах ием ией ией ям ам ов ев ей ою ею ові еві ів їв ом ем ой ий ый ій ая яя ое ее
        ые ие ую юю их ых им ым ого его ому ему ої ість ості ость ости остью ия ии ие ье ью ья ию
        ать ять ить еть уть ешь ете ите ут ют ат ят ет ит ал ала али ило ли ла ло сь ся ти ть
        а я о е ы и і ї у ю ь й
    """),
    "min": 3,
    "rounds": 2,
    "stop": "и в во на с со по для или а о об от к у из за не что как это і й та з із до або чи що як це",
}

TURKISH: dict[str, Any] = {
    "letters": "a-zçğıöşüâîû",
    # dotless and dotted i as one (İ lower-cases to i and a combining dot), and the letters that
    # Turkish adds to ASCII as their ASCII base: "danismanlik" is how many type "danışmanlık"
    "map": {"ı": "i", "\u0307": "", "ç": "c", "ğ": "g", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i",
            "û": "u", **_deleting(_APOSTROPHES)},
    "prefixes": [],
    # case, possessive and plural endings after vowel harmony is folded away (lar/ler, da/de/ta/te).
    # The possessive's s (kapı-sı) and the n after it (kapısı-n-da, kurs-u-n-a) only follow a vowel:
    # they are written with the vowel before them, which stays ("kursu" is kurs-u, not kur-su).
    # The k of -lık/-lik/-luk/-lük softens to ğ before a vowel ending (danışmanlık, danışmanlığı):
    # once that ending is off, the next round hardens it again, so both meet as "danismanlik"
    "suffixes": _suffixes("""
        lari leri larin lerin lara lere larda lerde lardan lerden lar ler
        imiz iniz umuz unuz asi=a esi=e isi=i osu=o usu=u
        inda=i inde=i unda=u unde=u indan=i inden=i undan=u unden=u ina=i ine=i una=u une=u
        nin nun dan den tan ten yla yle yi yu ya ye da de ta te in un i u a e
        lig=lik lug=luk
    """),
    "min": 3,
    "rounds": 3,
    "stop": "ve ile bir bu da de için icin veya ya ki mi",
    # a name's case ending follows an apostrophe (Gelnhausen'de, Hanau'da): the name is a word of its
    # own, as the resident means it, and not a rare word "gelnhausen'de" that outweighs every other
    "apart": _APOSTROPHES,
}

ENGLISH: dict[str, Any] = {
    "letters": "a-z",
    "map": _deleting(_APOSTROPHES),  # women’s -> womens -> women
    "prefixes": [],
    "suffixes": _suffixes("ies=y sses=ss ss=ss us=us is=is s ing ed"),
    "min": 3,
    "rounds": 1,
    "stop": "a an and are as at be by for from in is it of on or the to with you your we our",
}

TABLES: dict[str, dict[str, Any]] = {"ar": ARABIC, "fa": PERSIAN, "ru": CYRILLIC, "uk": CYRILLIC, "tr": TURKISH,
                                     "en": ENGLISH}
