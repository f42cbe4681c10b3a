/* Integrationsatlas search worker: loads the search data off the main thread (the entry file at
   once; index shards and document pages as queries and results need them: search-index.js) and
   answers queries with ranked, filtered results, exact facet counts and the words to mark.
   Messages in:  {type: "init", scripts, index}  then  {type: "search", id, text, filters, limit}
   Messages out: {type: "ready"} | {type: "error", message} | {type: "results", id, text, ...} */
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
var filterData = []; // per offer: what the filters match on (atlas/search.py: filter_data)
var clock = null; // nearnow: {zone, holidays} for geoeffnet=jetzt

function init(message) {
  try {
    importScripts.apply(self, message.scripts.map(function (url) { return scriptPolicy.createScriptURL(url); }));
  } catch (error) {
    self.postMessage({ type: "error", message: String(error) });
    return;
  }
  atlasIndex.open(message.index).then(function (opened) {
    atlasSearch.configure(opened.entry.pipeline); // the word rules (atlas/words.py: pipeline_data)
    index = opened;
    filterData = opened.filters;
    clock = opened.entry.clock || null; // nearnow
    self.postMessage({ type: "ready" });
  }).catch(function (error) {
    self.postMessage({ type: "error", message: String(error) });
  });
}

/* Does a document pass the filters (all groups but `skip`)? Within a group any value may match. */
function passes(doc, filters, skip) {
  for (var i = 0; i < FILTERS.length; i++) {
    var group = FILTERS[i], wanted = filters[group] || [];
    if (group === skip || !wanted.length) { continue; }
    if (!wanted.some(function (value) { return doc[group].indexOf(value) >= 0; })) { return false; }
  }
  return skip === "kostenlos" || !filters.kostenlos || doc.kostenlos;
}

/* For each filter value: how many results it gives together with the other groups' choices. */
function counts(matches, filters) {
  var result = { kostenlos: 0 };
  FILTERS.forEach(function (group) { result[group] = Object.create(null); }); // a slug may be "constructor"
  matches.forEach(function (match) {
    var doc = filterData[match.ref];
    FILTERS.forEach(function (group) {
      if (!passes(doc, filters, group)) { return; }
      doc[group].forEach(function (value) { result[group][value] = (result[group][value] || 0) + 1; });
    });
    if (doc.kostenlos && passes(doc, filters, "kostenlos")) { result.kostenlos += 1; }
  });
  return result;
}

/* What a word must be to be marked: one of the typed words (its stem, as a prefix while typing,
   or as the end of a compound), or an index term the query matched (a typo, a synonym), or a
   compound ending in a matched term ("Berufssprachkurs" for "sprachkur"). */
function marker(text, terms) {
  text = atlasSearch.limit(text); // the query cap: a pasted page must not make marking work for minutes
  var words = text.toLowerCase().split(atlasSearch.separator).map(atlasSearch.trim).filter(function (w) { return w.length >= 2; });
  var stems = new Set(terms.concat(words.map(atlasSearch.stem), [].concat.apply([], words.map(atlasSearch.terms))));
  var folded = words.map(atlasSearch.asciiFold);
  return function (part) {
    if (!/[\p{L}\p{N}]/u.test(part)) { return false; }
    var word = atlasSearch.asciiFold(part.toLowerCase()), stem = atlasSearch.stem(part);
    return stems.has(stem) || atlasSearch.terms(part).some(function (t) { return stems.has(t); }) || folded.some(function (typed) {
      return word.indexOf(typed) === 0 || (typed.length >= 4 && word.slice(-typed.length) === typed);
    }) || terms.some(function (term) { return term.length >= 4 && stem.slice(-term.length) === term; });
  };
}

/* Text as [[text, marked], …] for the page to build with textContent. */
function segments(text, isMarked) {
  return text.split(/([\p{L}\p{N}\p{M}]+)/u).filter(Boolean).map(function (part) { return [part, isMarked(part)]; });
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
    var matches = browsing ? filterData.map(function (doc, ref) { return { ref: ref, terms: [] }; })
                           : atlasSearch.rank(clauses, function (some) { // more of the query's words first
                             return atlasIndex.score(index, plan.filter(function (step) { return some.indexOf(step.clause) >= 0; }));
                           });
    // nearnow: hours and validity narrow the matches before the facets count; offers without fixed
    // hours are counted for the page (js/hours.js), and the results sorted by distance (js/nearby.js)
    var narrowed = atlasHours.narrow(matches, function (match) { return filterData[match.ref]; }, when, clock);
    var noHours = narrowed.unknown.filter(function (match) { return passes(filterData[match.ref], message.filters); });
    matches = narrowed.items;
    var filtered = matches.filter(function (match) { return passes(filterData[match.ref], message.filters); });
    var distances = Object.create(null);
    if (message.origin) {
      filtered = atlasNearby.byDistance(filtered, function (match) { return filterData[match.ref].geo; }, message.origin)
        .map(function (entry) { distances[entry.item.ref] = entry.km; return entry.item; });
    }
    var shown = filtered.slice(0, message.limit);
    return atlasIndex.documents(index, shown.map(function (match) { return match.ref; })).then(function (docs) {
      self.postMessage({
        type: "results",
        id: message.id,
        query: text, // what was asked
        text: browsing ? "" : text, // what was searched for (empty when browsing)
        total: filtered.length,
        noHours: noHours.length, // nearnow
        counts: counts(matches, message.filters),
        results: shown.map(function (match, i) {
          var doc = docs[i];
          var isMarked = browsing ? function () { return false; } : marker(text, match.terms);
          return { url: doc.url, title: segments(doc.title, isMarked), summary: segments(doc.summary, isMarked),
                   actor: doc.actor, places: doc.places, lang: doc.lang,
                   km: message.origin ? distances[match.ref] : undefined }; // nearnow: null = no place given
        })
      });
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
