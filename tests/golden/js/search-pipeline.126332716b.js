/* Integrationsatlas search: the word steps (atlas/words.py), the query (atlas/query.py) and the
   index's expansion (atlas/search.py: expand), exactly as Python does them. The index was built
   in Python; lunr.js finds these functions by their labels when it loads it.
   Loaded in the search worker after lunr.js, lunr.stemmer.support.js and lunr.de.js. */
/* global lunr */
(function (global) {
  "use strict";

  var WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
  // white space and hyphens, spelled out as in atlas/words.py (the two languages' \s differ)
  var SEPARATOR = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff-]+/;
  var SCALE = 1000000; // scores compared to six decimals, so ties sort alike in Python and here
  var MAX_QUERY = 200; // characters: a pasted page must not make the search work for minutes
  // one typo for stems of 5 to 30 letters: shorter ones meet too many words ("eltern" stems to "elt",
  // one edit from "alt"), longer ones cost lunr's typo search length squared
  var TYPO_MIN = 5, TYPO_MAX = 30;
  var stopwords = new Set();

  /* The query as far as search (and marking) reads it: MAX_QUERY code points. */
  function limit(text) {
    return Array.from(text).slice(0, MAX_QUERY).join("");
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

  function trimmer(token) {
    var word = trim(token.toString());
    return word ? token.update(function () { return word; }) : undefined;
  }
  function stopWordFilter(token) { return stopwords.has(token.toString()) ? undefined : token; }
  function folder(token) { return token.update(function (s) { return fold(s); }); }

  lunr.Pipeline.registerFunction(trimmer, "atlas-trimmer");
  lunr.Pipeline.registerFunction(stopWordFilter, "atlas-stop-words-de");
  lunr.Pipeline.registerFunction(folder, "atlas-fold-de");
  // "stemmer-de" is lunr-languages' own, registered by lunr.de.js

  /* Each word as itself (stemmed), as a prefix while typing, and with one typo if it is long.
     The word still being typed keeps its prefix even when it is a stop word so far ("aus" on
     the way to "Ausbildung"); single letters are left out. As atlas/query.py: clauses. */
  function clauses(text) {
    var found = [];
    var raws = limit(text).toLowerCase().split(SEPARATOR);
    raws.forEach(function (raw, position) {
      var word = trim(raw);
      var typing = position === raws.length - 1 && raw !== "";
      var stop = stopwords.has(word);
      if (length(word) < 2 || (stop && !typing)) { return; }
      var prefix = asciiFold(word);
      if (!stop) { found.push({ term: word, boost: 10, usePipeline: true, wildcard: lunr.Query.wildcard.NONE }); }
      if (length(prefix) >= 2) {
        found.push({ term: prefix, boost: 2, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      }
      var stemLength = stop ? 0 : length(stem(word));
      if (stemLength >= TYPO_MIN && stemLength <= TYPO_MAX) {
        // only here: lunr.js makes any clause that *has* an editDistance a fuzzy one, even with 0
        found.push({ term: word, boost: 1, usePipeline: true, wildcard: lunr.Query.wildcard.NONE, editDistance: 1 });
      }
    });
    return found;
  }

  /* Ranked results: [{ref, score, terms}], ties broken by ref as in Python; null when the text
     holds no word to search for (the page then browses). */
  function search(index, text) {
    var list = clauses(text);
    if (!list.length) { return null; }
    var results = index.query(function (query) {
      list.forEach(function (c) { query.term(c.term, Object.assign({}, c)); });
    });
    return results.map(function (r) {
      return { ref: parseInt(r.ref, 10), score: Math.floor(r.score * SCALE + 0.5), terms: Object.keys(r.matchData.metadata) };
    }).sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
  }

  /* The compact index to lunr's JSON, recomputing each field's BM25 weights as lunr.py's builder
     did (k1 1.2, b 0.75), rounded as Math.round does; atlas/search.py: expand does the same. */
  var K1 = 1.2, B = 0.75;
  function expand(data) {
    var fields = data.fields, boosts = data.boosts, count = data.documentCount, lengths = data.lengths;
    var average = lengths.map(function (list) { return list.reduce(function (a, b) { return a + b; }, 0) / count; });
    var vectors = new Map(), inverted = [];
    var EMPTY = Object.freeze({}); // lunr only reads a posting's keys: one shared object for ~1 M of them
    data.terms.forEach(function (entry, termIndex) {
      var posting = { _index: termIndex }, found = [];
      entry[1].forEach(function (flat, f) {
        var refs = {}, ref = 0, j = 0, tf;
        while (flat && j < flat.length) {  // a gap alone: frequency 1; else -(gap + 1), frequency
          if (flat[j] >= 0) { ref += flat[j]; tf = 1; j += 1; } else { ref += -flat[j] - 1; tf = flat[j + 1]; j += 2; }
          refs[ref] = EMPTY;
          found.push([f, ref, tf]);
        }
        posting[fields[f]] = refs;
      });
      var idf = Math.log(1 + Math.abs((count - found.length + 0.5) / (found.length + 0.5)));
      found.forEach(function (item) {
        var f = item[0], ref = item[1], tf = item[2];
        var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (lengths[f][ref] / average[f])) + tf);
        score *= boosts[f];
        var key = f * count + ref;
        if (!vectors.has(key)) { vectors.set(key, []); }
        vectors.get(key).push(termIndex, Math.floor(score * 1000 + 0.5) / 1000);
      });
      inverted.push([entry[0], posting]);
    });
    inverted.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var fieldVectors = [];
    vectors.forEach(function (vector, key) {
      fieldVectors.push([fields[Math.floor(key / count)] + "/" + (key % count), vector]);
    });
    return { version: data.version, fields: fields, fieldVectors: fieldVectors, invertedIndex: inverted,
             pipeline: data.pipeline };
  }

  /* A word of a result's text as the index has it, to mark what matched. */
  function stem(word) {
    var folded = fold(trim(word.toLowerCase()));
    return folded ? lunr.de.stemmer(new lunr.Token(folded)).toString() : "";
  }

  global.atlasSearch = {
    limit: limit, maxQuery: MAX_QUERY,
    trim: trim, fold: fold, asciiFold: asciiFold, stem: stem, clauses: clauses, search: search, expand: expand,
    separator: SEPARATOR,
    setStopwords: function (words) { stopwords = new Set(words); }
  };
})(self);
