var BUILD = {"default": "de", "folders": ["en"], "languages": {"de": ["./", "suche/", "manifest.json", "suche/docs-0.8f7ac6e7ae.json", "suche/index-0.bba21d6df4.json", "suche/index.bf70512088.json", "suche/liste.json", "suche/woerter.0a614fb514.json"], "en": ["en/", "en/suche/", "en/manifest.json", "en/suche/docs-0.2af5ab13b7.json", "en/suche/index-0.8193b1306c.json", "en/suche/index.478172274c.json", "en/suche/liste.json", "en/suche/woerter.2beeb6c22f.json"]}, "shared": ["css/atlas.7d7b30cd9b.css", "css/brand.08137431ca.css", "img/logo.svg", "js/hours.3628e7fc47.js", "js/nearby.def53bc11f.js", "js/nearnow-page.268de896fe.js", "js/offline.02f5daeabf.js", "js/search-box.1cc2213359.js", "js/search-index.51cda32009.js", "js/search-pipeline.b1d9594231.js", "js/search-worker.8a96c35fc5.js", "js/search.a90f6c359c.js", "js/tools.4e78eb8289.js", "js/vendor/lunr.de.min.9682b22880.js", "js/vendor/lunr.min.0c50d9002b.js", "js/vendor/lunr.stemmer.support.min.5ff7b6bd53.js"], "version": "4e0a4450207f1400"};
/* Integrationsatlas offline (atlas/offline.py writes BUILD above this line).
   One cache per build, named by the build's content hash: a new build installs a new worker,
   which stores the new files and then deletes the old cache whole, so pages of two builds are
   never mixed. Pages: network first, the stored copy without a connection. Everything else:
   the stored copy first (styles, scripts and search data have content-hashed names). */
"use strict";
var SCOPE = self.registration.scope;
var PREFIX = "atlas " + SCOPE + " ";  // several atlases on one host keep apart
var CACHE = PREFIX + BUILD.version;

function address(path) { return new URL(path, SCOPE).href; }
function plain(href) { return href.split("#")[0].split("?")[0]; }
function ignore() { return undefined; }

function languageOf(href) {
  var first = href.slice(SCOPE.length).split("/")[0];
  return BUILD.folders.indexOf(first) >= 0 ? first : BUILD["default"];
}

// a language's start page, search page and search data, unless they are stored already
function keepLanguage(cache, lang) {
  var wanted = (BUILD.languages[lang] || []).map(address);
  return Promise.all(wanted.map(function (href) { return cache.match(href); })).then(function (found) {
    var missing = wanted.filter(function (href, i) { return !found[i]; });
    return missing.length ? cache.addAll(missing) : undefined;
  });
}

// a page the resident opened (fetched again: it was loaded before this worker existed)
function keepPage(cache, href) {
  if (href.indexOf(SCOPE) !== 0) { return Promise.resolve(); }
  return Promise.all([cache.add(plain(href)).catch(ignore), keepLanguage(cache, languageOf(href))]);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(BUILD.shared.map(address));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; })
      .map(function (name) { return caches["delete"](name); }));
  }).then(function () {
    return self.clients.claim();
  }).then(function () {
    return Promise.all([caches.open(CACHE), self.clients.matchAll({ type: "window", includeUncontrolled: true })]);
  }).then(function (both) {
    return Promise.all(both[1].map(function (client) { return keepPage(both[0], client.url); }));
  }));
});

// store a page fetched online, unless a newer build is on the server: its worker takes over
function remember(href, response) {
  return self.registration.update().catch(ignore).then(function () {
    if (self.registration.installing || self.registration.waiting) { return undefined; }
    return caches.open(CACHE).then(function (cache) {
      return Promise.all([cache.put(href, response), keepLanguage(cache, languageOf(href)).catch(ignore)]);
    });
  });
}

function page(event) {
  var href = plain(event.request.url);
  return fetch(event.request).then(function (response) {
    if (response.ok && response.type === "basic") { event.waitUntil(remember(href, response.clone())); }
    return response;
  }, function (error) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(href, { ignoreVary: true });
    }).then(function (stored) {
      if (stored) { return stored; }
      throw error;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true });  // stored without the browser's Accept-Encoding
  }).then(function (stored) { return stored || fetch(request); }));
});
