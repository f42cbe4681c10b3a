/* Integrationsatlas search: the word steps (atlas/words.py) and the query's clauses and ranking
   by words matched (atlas/query.py), exactly as Python does them; search-index.js scores them.
   Loaded in the search worker after lunr.js, lunr.stemmer.support.js and lunr.de.js, whose German
   stemmer it uses. */
/* global lunr */
(function (global) {
  "use strict";

  var WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
  // The word rules come with the search data (atlas/words.py: pipeline_data); configure() reads
  // them before the first query. Nothing of them is written here a second time.
  var rules = null, stopwords = new Set(), SEPARATOR = null, LETTERS = null, COMPOUND = null;

  function configure(data) {
    rules = data;
    stopwords = new Set(data.stopwords);
    SEPARATOR = new RegExp("[" + data.separators + "]+");
    LETTERS = data.forms ? new RegExp("[" + data.forms.letters + "]", "u") : null;
    COMPOUND = new RegExp("^[" + data.compound.letters + "]+$", "u");
  }

  /* The query as far as search (and marking) reads it: maxQuery code points. */
  function limit(text) {
    return Array.from(text).slice(0, rules.maxQuery).join("");
  }

  /* Strip all but letters, digits and marks from both ends; by code point, in linear time. */
  function trim(word) {
    var chars = Array.from(word), start = 0, end = chars.length;
    while (start < end && !WORD_CHAR.test(chars[start])) { start += 1; }
    while (end > start && !WORD_CHAR.test(chars[end - 1])) { end -= 1; }
    return chars.slice(start, end).join("");
  }

  // accents off but umlauts kept (café -> cafe), ae/oe/ue as umlauts (ue not after q): "Muetter" meets "Mütter"
  var ACCENTS = /[\u0300-\u0307\u0309-\u036f]/g;
  function fold(word) {
    word = word.normalize("NFD").replace(ACCENTS, "").normalize("NFC");
    return word.replace(/ae/g, "ä").replace(/oe/g, "ö").replace(/(?<!q)ue/g, "ü");
  }

  // as the stemmer leaves words: no umlauts, ß as ss (for prefixes, which skip the stemmer)
  function asciiFold(word) {
    return fold(word).replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
  }

  function length(word) { return Array.from(word).length; } // code points, as Python counts

  /* A word (trimmed, lower case) in its language's own form: characters mapped, at most one clitic
     off the front, endings off the back. As atlas/words.py: forms, from the same tables. */
  function forms(word, table) {
    word = Array.from(word.normalize("NFC")).map(function (char) {
      return Object.prototype.hasOwnProperty.call(table.map, char) ? table.map[char] : char;
    }).join("");
    for (var i = 0; i < table.prefixes.length; i++) {
      var prefix = table.prefixes[i][0];
      if (word.startsWith(prefix) && length(word) - length(prefix) >= table.prefixes[i][1]) {
        word = word.slice(prefix.length);
        break;
      }
    }
    for (var round = 0; round < table.rounds; round++) {
      var ending = table.suffixes.find(function (pair) {
        return word.endsWith(pair[0]) && length(word) - length(pair[0]) >= table.min;
      });
      if (!ending) { break; }
      word = word.slice(0, word.length - ending[0].length) + ending[1];
    }
    return word;
  }

  /* What a word (trimmed, lower case, no stop word) is indexed and looked up as: its German stem,
     and in the UI language's letters also the language's own form. As atlas/words.py: terms. */
  function terms(word) {
    var found = [germanStem(fold(word))];
    if (LETTERS && LETTERS.test(word)) { found.push(forms(word, rules.forms)); }
    return unique(found.filter(Boolean));
  }

  /* Two neighbouring words written together: German steps, and where both are in the language's
     letters also their own forms ("السيرة الذاتية" meets the thesaurus's "سيرة ذاتية"). As
     atlas/query.py: pair_terms. */
  function pairTerms(word, following) {
    var found = [germanStem(fold(word + following))];
    if (LETTERS && LETTERS.test(word) && LETTERS.test(following)) {
      found.push(forms(word, rules.forms) + forms(following, rules.forms));
    }
    return unique(found);
  }

  function germanStem(word) { return lunr.de.stemmer(new lunr.Token(word)).toString(); }
  function unique(list) { return list.filter(function (item, i) { return list.indexOf(item) === i; }); }

  /* A long German word's possible parts: each tail's stem, each head as a prefix as written, with
     and without a linking s (atlas/query.py: compound_parts). [term, wildcard] pairs. */
  function compoundParts(word) {
    var chars = Array.from(word), part = rules.compound.part, found = [], NONE = lunr.Query.wildcard.NONE,
        TRAILING = lunr.Query.wildcard.TRAILING;
    if (chars.length < rules.compound.min || !COMPOUND.test(word)) { return []; }
    for (var i = part; i <= chars.length - part; i++) {
      var head = asciiFold(chars.slice(0, i).join("")), tail = chars.slice(i).join("");
      found.push([germanStem(tail), NONE], [head, TRAILING]);
      if (head.endsWith("s") && i > part) { found.push([head.slice(0, -1), TRAILING]); }
    }
    return found;
  }

  /* Each word as its terms, as a prefix while typing, with one typo if it is long (against its
     terms and as written), and a long German word also in its parts; each clause knows its word.
     The word still being typed keeps its prefix even when it is a stop word so far ("aus" on the
     way to "Ausbildung"); single letters are left out. As atlas/query.py: clauses. */
  function clauses(text) {
    var found = new Map(), boosts = rules.boosts, position = 0, share = 1;
    function add(term, boost, wildcard, editDistance, span, part) {
      var key = [term, wildcard, editDistance].join("\u0000"); // once, for the first word that gives it
      if (found.has(key)) { return; }
      var clause = { term: term, boost: (span || 1) === 1 ? boost * share : boost, wildcard: wildcard,
                     word: position, span: span || 1, part: !!part };
      // only then: lunr.js makes any clause that *has* an editDistance a fuzzy one, even with 0
      if (editDistance) { clause.editDistance = editDistance; }
      found.set(key, clause);
    }
    var raws = limit(text).toLowerCase().split(SEPARATOR);
    raws.forEach(function (raw, index) {
      position = index;
      var word = trim(raw);
      var typing = index === raws.length - 1 && raw !== "";
      var stop = stopwords.has(word);
      if (length(word) < 2 || (stop && !typing)) { return; }
      var written = asciiFold(word), own = stop ? [] : terms(word);
      share = own.length ? 1 / own.length : 1; // a word's forms share its weight (atlas/query.py: clauses)
      own.forEach(function (term) { add(term, boosts.word, lunr.Query.wildcard.NONE, 0); });
      if (length(written) >= rules.prefixMin) { add(written, boosts.prefix, lunr.Query.wildcard.TRAILING, 0); }
      // typos against the terms, and against the word as written (indexed behind the mark, atlas/words.py: WRITTEN)
      own.map(function (term) { return [term, term]; })
        .concat((own.length ? unique([written].concat(own)) : []).map(function (t) { return [rules.written + t, t]; }))
        .forEach(function (pair) {
          var size = length(pair[1]);
          if (size >= rules.typo[0] && size <= rules.typo[1]) { add(pair[0], boosts.typo, lunr.Query.wildcard.NONE, 1); }
        });
      (stop ? [] : compoundParts(fold(word))).forEach(function (part) {
        add(part[0], part[1] ? boosts.head : boosts.part, part[1], 0, 1, true);
      });
      var following = index + 1 < raws.length ? trim(raws[index + 1]) : "";
      if (!stop && length(following) >= 2 && !stopwords.has(following)) {
        var pair = pairTerms(word, following); // "Sprach Café": "Sprachcafé"; the pair's terms share a word's weight
        pair.forEach(function (term) { add(term, boosts.word / pair.length, lunr.Query.wildcard.NONE, 0, 2); });
      }
    });
    return Array.from(found.values());
  }

  /* The clauses without the compound parts of a word the index holds whole: "Gelnhausen" is a town,
     not Geln + hausen (whose "haus" would find every Frauenhaus). `known(clause)`: whether the index
     holds the clause's term. As atlas/query.py: whole_words. */
  function wholeWords(list, known) {
    var whole = new Set(list.filter(function (c) {
      return c.span === 1 && !c.part && !c.wildcard && !c.editDistance && known(c);
    }).map(function (c) { return c.word; }));
    return list.filter(function (c) { return !(c.part && whole.has(c.word)); });
  }

  /* Ranked results: [{ref, score, terms}] of `run(clauses)` (search-index.js: score), those
     matching more of the query's words first, then by score, ties broken by ref, as in Python. A
     word counts whole where its own clauses match (`matching(clauses)`: the set of refs they
     match, search-index.js: matching), and half for each of its compound parts a result holds
     (atlas/query.py: search, _covered, _holds). */
  function rank(list, run, matching) {
    var results = run(list);
    results.forEach(function (r) { r.words = 0; });
    var words = unique(list.map(function (c) { return c.word; }));
    if (words.length > 1) {
      words.forEach(function (word) {
        var whole = matching(list.filter(function (c) {
          return c.word <= word && word < c.word + c.span && !c.part;
        }));
        var parts = list.filter(function (c) { return c.word === word && c.part; });
        var tails = parts.filter(function (c) { return !c.wildcard; }).map(function (c) { return c.term; });
        // a matched term -> how it holds each part, or null when it holds none (few terms, many
        // results: most results hold no part, and cost no array then)
        var kindsOf = new Map();
        function kinds(term) {
          if (!kindsOf.has(term)) {
            var found = parts.map(function (c) { return holds(term, c, tails); });
            kindsOf.set(term, found.some(function (k) { return k !== NOT_HELD; }) ? found : null);
          }
          return kindsOf.get(term);
        }
        results.forEach(function (result) {
          if (whole.has(result.ref)) { result.words += 1; return; }
          if (!parts.length) { return; }
          var best = null;
          for (var i = 0; i < result.terms.length; i++) {
            var k = kinds(result.terms[i]);
            if (!k) { continue; }
            if (!best) { best = k.slice(); continue; }
            for (var n = 0; n < k.length; n++) { if (k[n] > best[n]) { best[n] = k[n]; } }
          }
          if (!best) { return; } // no part held: nothing to add
          var firm = best.filter(function (k) { return k === HELD; }).length;
          var held = firm + (firm ? best.filter(function (k) { return k === BARE; }).length : 0);
          result.words += Math.min(1, 0.5 * held);
        });
      });
    }
    return results.sort(function (a, b) { return b.words - a.words || b.score - a.score || a.ref - b.ref; });
  }

  /* How an index term holds a compound part of a query word: a tail, or a compound that begins with
     the head and ends as the query word does, HELD; the head as a word of its own only BARE, which
     counts beside a part that is HELD; another compound that merely begins with the head ("Asyl-
     bewerber") not at all. As atlas/query.py: _holds. */
  var NOT_HELD = 0, BARE = 1, HELD = 2;
  function holds(term, part, tails) {
    if (!part.wildcard) { return term === part.term ? HELD : NOT_HELD; }
    if (!term.startsWith(part.term)) { return NOT_HELD; }
    var rest = term.slice(part.term.length);
    if (rest === "") { return BARE; }
    return tails.some(function (tail) { return rest.endsWith(tail); }) ? HELD : NOT_HELD;
  }

  /* A word of a result's text as the index has it, to mark what matched. */
  function stem(word) {
    var folded = fold(trim(word.toLowerCase()));
    return folded ? germanStem(folded) : "";
  }

  /* All terms a word of a result's text is indexed as (its German stem and its own form). */
  function wordTerms(word) {
    var trimmed = trim(word.toLowerCase());
    return trimmed ? terms(trimmed) : [];
  }

  global.atlasSearch = {
    limit: limit, configure: configure, forms: forms, terms: wordTerms, wholeWords: wholeWords,
    trim: trim, fold: fold, asciiFold: asciiFold, stem: stem, clauses: clauses, rank: rank,
    get separator() { return SEPARATOR; },
    get maxQuery() { return rules.maxQuery; }
  };
})(self);
