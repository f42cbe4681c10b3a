/* Integrationsatlas search worker: loads the search data off the main thread (the entry file at
   once; index shards and document pages as queries and results need them: search-index.js) and
   answers queries with ranked, filtered results, exact facet counts and the words to mark.
   Messages in:  {type: "init", scripts, index}  then  {type: "search", id, text, filters, limit, first}
   Messages out: {type: "ready"} | {type: "error", message} | {type: "results", id, text, partial, ...}:
   a search may be answered twice, first with the results a screen shows (partial: true), then with all. */
/* global atlasSearch, atlasIndex */
"use strict";

// Under `require-trusted-types-for 'script'` importScripts takes only trusted URLs: scripts of
// this site beside this worker (js/ and js/vendor/). Their names carry content hashes, so the
// page that knows them sends them with "init".
var HERE = new URL("./", self.location.href).href;
var scriptPolicy = self.trustedTypes ? self.trustedTypes.createPolicy("atlas-search-worker", {
  createScriptURL: function (url) {
    var resolved = new URL(url, self.location.href).href;
    if (resolved.indexOf(HERE) !== 0 || !/\.js$/.test(resolved)) { throw new TypeError("not a search script: " + url); }
    return resolved;
  }
}) : { createScriptURL: function (url) { return url; } };

var FILTERS = ["region", "thema", "zielgruppe", "sprache"];
var index = null;
var filterData = []; // per offer: what near me and open now read, once loaded (atlas/search.py: LATER)
var clock = null; // nearnow: {zone, holidays} for geoeffnet=jetzt

function init(message) {
  // the entry file is on its way while the scripts load (importScripts waits for each in turn)
  var entry = fetch(message.index);
  entry.catch(function () {}); // a failure is reported where the entry is read (atlasIndex.open)
  try {
    importScripts.apply(self, message.scripts.map(function (url) { return scriptPolicy.createScriptURL(url); }));
  } catch (error) {
    self.postMessage({ type: "error", message: String(error) });
    return;
  }
  atlasIndex.open(message.index, entry).then(function (opened) {
    atlasSearch.configure(opened.entry.pipeline); // the word rules (atlas/words.py: pipeline_data)
    index = opened;
    filterData = opened.filters; // filled by atlasIndex.later
    clock = opened.entry.clock || null; // nearnow
    self.postMessage({ type: "ready" });
  }).catch(function (error) {
    self.postMessage({ type: "error", message: String(error) });
  });
}

/* A filter column of the entry (an atlas without offers has none). */
function columnOf(key) {
  return index.entry.filters[key] || { values: [], lists: [], raw: [] };
}

/* Which filter groups each offer fails, as bits (FILTERS in order, then kostenlos): read from the
   entry's columns (atlas/search.py: columns), so that filtering and the facet counts are one pass
   over the matches. Within a group any chosen value may match. */
function failures(filters) {
  var bitFree = 1 << FILTERS.length, free = columnOf("kostenlos").raw;
  var groups = FILTERS.map(function (group) {
    var wanted = filters[group] || [], column = columnOf(group);
    return { lists: column.lists, wanted: wanted.length ? new Set(wanted.map(function (value) {
      return column.values.indexOf(value);
    })) : null };
  });
  if (!filters.kostenlos && groups.every(function (group) { return !group.wanted; })) {
    return function () { return 0; }; // nothing chosen: every offer passes
  }
  return function (ref) {
    var mask = 0;
    for (var g = 0; g < groups.length; g++) {
      var wanted = groups[g].wanted, held = groups[g].lists[ref], hit = !wanted;
      for (var i = 0; !hit && i < held.length; i++) { hit = wanted.has(held[i]); }
      if (!hit) { mask |= 1 << g; }
    }
    return filters.kostenlos && !free[ref] ? mask | bitFree : mask;
  };
}

/* For each filter value: how many results it gives together with the other groups' choices (an
   offer counts for a group's values when it fails no other group). */
function counts(matches, fails) {
  var free = columnOf("kostenlos").raw, result = { kostenlos: 0 };
  var tallies = FILTERS.map(function (group) { return new Int32Array(columnOf(group).values.length); });
  var lists = FILTERS.map(function (group) { return columnOf(group).lists; });
  for (var m = 0; m < matches.length; m++) {
    var ref = matches[m].ref, mask = fails(ref);
    for (var g = 0; g < lists.length; g++) {
      if ((mask & ~(1 << g)) !== 0) { continue; }
      var held = lists[g][ref], tally = tallies[g];
      for (var i = 0; i < held.length; i++) { tally[held[i]] += 1; }
    }
    if (mask === 0 && free[ref]) { result.kostenlos += 1; }
  }
  FILTERS.forEach(function (group, g) {
    result[group] = Object.create(null); // a slug may be "constructor"
    columnOf(group).values.forEach(function (value, n) { if (tallies[g][n]) { result[group][value] = tallies[g][n]; } });
  });
  return result;
}

/* What a word must be to be marked: one of the typed words (its stem, as a prefix while typing,
   or as the end of a compound), or an index term the query matched (a typo, a synonym), or a
   compound ending in a matched term ("Berufssprachkurs" for "sprachkur"). */
function marker(text) {
  text = atlasSearch.limit(text); // the query cap: a pasted page must not make marking work for minutes
  var words = text.toLowerCase().split(atlasSearch.separator).map(atlasSearch.trim).filter(function (w) { return w.length >= 2; });
  var typed = words.map(atlasSearch.stem).concat([].concat.apply([], words.map(atlasSearch.terms)));
  var folded = words.map(atlasSearch.asciiFold);
  return function (terms) { // a result's matched terms
    var stems = new Set(terms.concat(typed));
    return function (part) {
      if (!/[\p{L}\p{N}]/u.test(part)) { return false; }
      var read = readWord(part), stem = read.stem;
      return stems.has(stem) || read.terms.some(function (t) { return stems.has(t); }) || folded.some(function (typed) {
        return read.word.indexOf(typed) === 0 || (typed.length >= 4 && read.word.slice(-typed.length) === typed);
      }) || terms.some(function (term) { return term.length >= 4 && stem.slice(-term.length) === term; });
    };
  };
}

/* A word of the results' texts as marking reads it, kept: the same words recur in every search. */
var wordsRead = new Map();
function readWord(part) {
  var read = wordsRead.get(part);
  if (!read) {
    if (wordsRead.size >= 50000) { wordsRead.clear(); } // a bound for a long session
    read = { word: atlasSearch.asciiFold(part.toLowerCase()), stem: atlasSearch.stem(part), terms: atlasSearch.terms(part) };
    wordsRead.set(part, read);
  }
  return read;
}

/* Text as [[text, marked], …] for the page to build with textContent. */
function segments(text, isMarked) {
  return text.split(/([\p{L}\p{N}\p{M}]+)/u).filter(Boolean).map(function (part) { return [part, isMarked(part)]; });
}

/* The steps of a plan for some of its clauses. */
function stepsOf(plan, some) {
  return plan.filter(function (step) { return some.indexOf(step.clause) >= 0; });
}

function search(message) {
  var text = (message.text || "").trim();
  var clauses = text ? atlasSearch.clauses(text) : [];
  var browsing = !clauses.length; // no text, or no word to search for: all offers, A–Z
  var when = message.when || { jetzt: false, tage: [] };
  var planned = Promise.all([browsing ? null : atlasIndex.prepare(index, clauses),
                             // nearnow: hours and places load with the first search that asks for them
                             when.jetzt || when.tage.length || message.origin ? atlasIndex.later(index) : null]);
  return planned.then(function (done) {
    var plan = done[0];
    if (plan) { // a word the index holds whole is not looked up in its parts
      clauses = atlasSearch.wholeWords(clauses, function (clause) { return stepsOf(plan, [clause])[0].expanded[0].length > 0; });
    }
    var matches = browsing ? filterData.map(function (doc, ref) { return { ref: ref, terms: [] }; })
                           : atlasSearch.rank(clauses, function (some) { // more of the query's words first
                             return atlasIndex.score(index, stepsOf(plan, some));
                           }, function (some) { return atlasIndex.matching(index, stepsOf(plan, some)); });
    // nearnow: hours and validity narrow the matches before the facets count; offers without fixed
    // hours are counted for the page (js/hours.js), and the results sorted by distance (js/nearby.js)
    var narrowed = atlasHours.narrow(matches, function (match) { return filterData[match.ref]; }, when, clock);
    var fails = failures(message.filters);
    var noHours = narrowed.unknown.filter(function (match) { return !fails(match.ref); });
    matches = narrowed.items;
    var filtered = matches.filter(function (match) { return !fails(match.ref); });
    var distances = Object.create(null);
    if (message.origin) {
      filtered = atlasNearby.byDistance(filtered, function (match) { return filterData[match.ref].geo; }, message.origin)
        .map(function (entry) { distances[entry.item.ref] = entry.km; return entry.item; });
    }
    var shown = filtered.slice(0, message.limit), marks = browsing ? null : marker(text);
    var refs = shown.map(function (match) { return match.ref; }), facets;
    function answer(docs, partial) {
      return {
        type: "results",
        id: message.id,
        partial: partial, // the first results only: the rest follow in a second answer to this id
        query: text, // what was asked
        text: browsing ? "" : text, // what was searched for (empty when browsing)
        total: filtered.length,
        noHours: noHours.length, // nearnow
        counts: facets,
        results: docs.map(function (doc, i) {
          var match = shown[i];
          var isMarked = browsing ? function () { return false; } : marks(match.terms);
          return { url: doc.url, title: segments(doc.title, isMarked), summary: segments(doc.summary, isMarked),
                   actor: doc.actor, places: doc.places, lang: doc.lang,
                   km: message.origin ? distances[match.ref] : undefined }; // nearnow: null = no place given
        })
      };
    }
    // A screen's worth of results first (the page asks for more with `first`), when the rest's pages are
    // still to be fetched: a query's first time waits for a few document pages, not for 30.
    var first = Math.min(message.first || index.entry.first || refs.length, refs.length);
    var head = first < refs.length && !atlasIndex.loaded(index, refs) ? atlasIndex.documents(index, refs.slice(0, first))
      .then(function (docs) { self.postMessage(answer(docs, true)); }) : null;
    var all = atlasIndex.documents(index, refs);
    facets = counts(matches, fails); // while the document pages are on their way
    return Promise.all([all, head]).then(function (done) {
      self.postMessage(answer(done[0], false));
    });
  });
}

self.onmessage = function (event) {
  var message = event.data;
  try {
    if (message.type === "init") { init(message); }
    else if (message.type === "search" && index) {
      search(message).catch(function (error) { self.postMessage({ type: "error", id: message.id, message: String(error) }); });
    }
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, message: String(error) });
  }
};
