var BUILD = {"default": "de", "folders": ["en"], "languages": {"de": ["./", "suche/", "manifest.json", "suche/docs-0.91e594e6e9.json", "suche/filters.91e594e6e9.json", "suche/index-0.91e594e6e9.json", "suche/index.ae2906430e.json", "suche/liste.json", "suche/woerter.0a614fb514.json"], "en": ["en/", "en/suche/", "en/manifest.json", "en/suche/docs-0.a3ee783bf7.json", "en/suche/filters.a3ee783bf7.json", "en/suche/index-0.a3ee783bf7.json", "en/suche/index.9aa40000c1.json", "en/suche/liste.json", "en/suche/woerter.2beeb6c22f.json"]}, "shared": ["css/atlas.7d7b30cd9b.css", "css/brand.08137431ca.css", "img/logo.svg", "js/hours.3628e7fc47.js", "js/nearby.def53bc11f.js", "js/nearnow-page.268de896fe.js", "js/offline.02f5daeabf.js", "js/search-box.1cc2213359.js", "js/search-index.01acf7aca1.js", "js/search-pipeline.e59f3bed46.js", "js/search-worker.100c51800e.js", "js/search.ed9e3029f8.js", "js/tools.bf9dc4db9c.js", "js/vendor/lunr.de.min.9682b22880.js", "js/vendor/lunr.min.0c50d9002b.js", "js/vendor/lunr.stemmer.support.min.5ff7b6bd53.js"], "version": "486d6ff8c81c5e56"};
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
var LISTED = new Set(Object.keys(BUILD.languages).reduce(function (all, lang) {
  return all.concat(BUILD.languages[lang]);
}, BUILD.shared).map(address));

function languageOf(href) {
  var first = href.slice(SCOPE.length).split("/")[0];
  return BUILD.folders.indexOf(first) >= 0 ? first : BUILD["default"];
}

// a language's start page, search page and search data, unless they are stored already: one file
// at a time, so that the reader's own requests never queue behind hundreds of these (a browser opens
// six connections to a host; at 10,000 offers a language has some 1,800 search files); none while
// the reader asks the browser to save data. One run per language at a time.
var keeping = {};
function keepLanguage(cache, lang) {
  if (keeping[lang] || (self.navigator.connection && self.navigator.connection.saveData)) {
    return keeping[lang] || Promise.resolve();
  }
  var run = (BUILD.languages[lang] || []).map(address).reduce(function (done, href) {
    return done.then(function () { return cache.match(href); }).then(function (found) {
      return found || cache.add(href).catch(ignore);
    });
  }, Promise.resolve());
  keeping[lang] = run.then(function () { delete keeping[lang]; });
  return keeping[lang];
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
    return cache.match(request, { ignoreVary: true }).then(function (stored) {  // stored without the browser's Accept-Encoding
      return stored || fetch(request).then(function (response) {
        // a file of the lists fetched before its turn is stored now: a search made online works offline at once
        if (response.ok && response.type === "basic" && LISTED.has(plain(request.url))) {
          event.waitUntil(cache.put(request, response.clone()).catch(ignore));
        }
        return response;
      });
    });
  }));
});
