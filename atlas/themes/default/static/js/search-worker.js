/* Integrationsatlas search worker: loads the index and the documents off the main thread and
   answers queries with ranked, filtered results, facet counts and the words to mark.
   Messages in:  {type: "init", index, documents}  then  {type: "search", id, text, filters, limit}
   Messages out: {type: "ready"} | {type: "error", message} | {type: "results", id, ...} */
/* global lunr, atlasSearch */
"use strict";

// Under `require-trusted-types-for 'script'` importScripts takes only trusted URLs: same origin only.
var scriptPolicy = self.trustedTypes ? self.trustedTypes.createPolicy("atlas-search-worker", {
  createScriptURL: function (url) {
    var resolved = new URL(url, self.location.href);
    if (resolved.origin !== self.location.origin) { throw new TypeError("script from another origin: " + url); }
    return resolved.href;
  }
}) : { createScriptURL: function (url) { return url; } };

importScripts.apply(self, ["vendor/lunr.min.js", "vendor/lunr.stemmer.support.min.js", "vendor/lunr.de.min.js",
  "search-pipeline.js"].map(function (url) { return scriptPolicy.createScriptURL(url); }));

var FILTERS = ["region", "thema", "zielgruppe", "sprache"];
var index = null;
var docs = [];

function fetchJson(url) {
  return fetch(url).then(function (response) {
    if (!response.ok) { throw new Error(url + ": " + response.status); }
    return response.json();
  });
}

function init(message) {
  Promise.all([fetchJson(message.index), fetchJson(message.documents)]).then(function (loaded) {
    atlasSearch.setStopwords(loaded[1].stopwords);
    index = lunr.Index.load(atlasSearch.expand(loaded[0]));
    docs = loaded[1].docs;
    self.postMessage({ type: "ready", count: docs.length });
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

/* For each filter value: how many results choosing it would give, with the other groups as they are. */
function counts(matches, filters) {
  var result = { kostenlos: 0 };
  FILTERS.forEach(function (group) { result[group] = {}; });
  matches.forEach(function (match) {
    var doc = docs[match.ref];
    FILTERS.forEach(function (group) {
      if (!passes(doc, filters, group)) { return; }
      doc[group].forEach(function (value) { result[group][value] = (result[group][value] || 0) + 1; });
    });
    if (doc.kostenlos && passes(doc, filters, "kostenlos")) { result.kostenlos += 1; }
  });
  return result;
}

/* Text as [[text, marked], …]: words whose stem matched, or that contain a matched term, are marked. */
function segments(text, terms) {
  if (!terms.length) { return [[text, false]]; }
  return text.split(/([\p{L}\p{N}\p{M}]+)/u).filter(Boolean).map(function (part) {
    var folded = atlasSearch.asciiFold(part.toLowerCase());
    var stem = atlasSearch.stem(part);
    var marked = /[\p{L}\p{N}]/u.test(part) && terms.some(function (term) {
      return term === stem || (term.length >= 3 && folded.indexOf(term) >= 0);
    });
    return [part, marked];
  });
}

function search(message) {
  var text = (message.text || "").trim();
  var matches = text ? atlasSearch.search(index, text)
    : docs.map(function (doc, ref) { return { ref: ref, score: 0, terms: [] }; }); // no text: browse A–Z
  var filtered = matches.filter(function (match) { return passes(docs[match.ref], message.filters); });
  self.postMessage({
    type: "results",
    id: message.id,
    total: filtered.length,
    counts: counts(matches, message.filters),
    results: filtered.slice(0, message.limit).map(function (match) {
      var doc = docs[match.ref];
      return { url: doc.url, title: segments(doc.title, match.terms), summary: segments(doc.summary, match.terms),
               actor: doc.actor, places: doc.places };
    })
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "init") { init(message); }
  else if (message.type === "search" && index) { search(message); }
};
