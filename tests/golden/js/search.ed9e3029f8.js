/* Integrationsatlas search page: the form and the URL hold the state, the worker does the work.
   Results are built with createElement/textContent only, never innerHTML. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-atlas-search]");
  if (!form) { return; }
  var GROUPS = ["region", "thema", "zielgruppe", "sprache"];
  var PAGE = 30;
  // the worker, its scripts and the search data by the content-hashed names the page gives
  function address(name) { return new URL(form.getAttribute(name), location.href).href; }
  var WORKER = address("data-worker");
  var SCRIPTS = form.getAttribute("data-scripts").split(/\s+/).filter(Boolean).map(function (url) {
    return new URL(url, location.href).href;
  });
  var home = new URL(form.getAttribute("data-home"), location.href); // this language's pages and search data
  var texts = JSON.parse(form.getAttribute("data-texts")); // what the page says, in its language
  var plurals = new Intl.PluralRules(texts.lang);
  var input = form.querySelector("input[name=q]");
  var list = document.querySelector("[data-atlas-results]");
  var status = document.getElementById("suche-status");
  var more = document.getElementById("suche-mehr");
  var state = { ready: false, failed: false, busy: false, pending: null, lastId: 0, limit: PAGE,
                typing: false, focusFrom: null, typingTimer: 0, announceTimer: 0, shownFirst: null };

  // Under Trusted Types a Worker takes only a trusted URL: this one file of this site.
  var policy = window.trustedTypes ? window.trustedTypes.createPolicy("atlas-search", {
    createScriptURL: function (url) {
      if (url !== WORKER) { throw new TypeError("not the search worker: " + url); }
      return url;
    }
  }) : { createScriptURL: function (url) { return url; } };

  var worker = new Worker(policy.createScriptURL(WORKER));
  worker.onmessage = function (event) {
    var message = event.data;
    if (message.type === "ready") { state.ready = true; run(); }
    else if (message.type === "error") { fail(); }
    else if (message.type === "results") { received(message); }
  };
  worker.onerror = fail;
  worker.onmessageerror = fail;
  worker.postMessage({ type: "init", scripts: SCRIPTS, index: address("data-index") });

  if (window.atlasNearnow) { atlasNearnow.setup(form, texts); } // nearnow: near me, open now
  form.hidden = false;
  form.querySelectorAll("[data-needs-js]").forEach(function (element) { element.hidden = false; });
  document.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });

  // -- state: form <-> query string ------------------------------------------------------------
  function readForm() {
    var current = { text: input.value, filters: { kostenlos: false } };
    GROUPS.forEach(function (group) {
      current.filters[group] = Array.from(form.querySelectorAll("input[name=" + group + "]:checked"))
        .map(function (box) { return box.value; });
    });
    var free = form.querySelector("input[name=kostenlos]");
    current.filters.kostenlos = Boolean(free && free.checked);
    current.nearnow = window.atlasNearnow ? atlasNearnow.read() : null; // nearnow
    return current;
  }

  function toQuery(current) {
    var params = new URLSearchParams();
    if (current.text.trim()) { params.append("q", current.text.trim()); }
    GROUPS.forEach(function (group) { current.filters[group].forEach(function (v) { params.append(group, v); }); });
    if (current.filters.kostenlos) { params.append("kostenlos", "1"); }
    if (window.atlasNearnow) { atlasNearnow.toParams(params, current.nearnow); } // nearnow
    var query = params.toString();
    return query ? "?" + query : location.pathname;
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    GROUPS.forEach(function (group) {
      var wanted = params.getAll(group);
      var boxes = form.querySelectorAll("input[name=" + group + "]");
      boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      // groups start closed, so the keyboard reaches the results quickly; a group in use is open
      if (boxes.length) { boxes[0].closest("details").open = wanted.length > 0; }
    });
    var free = form.querySelector("input[name=kostenlos]");
    if (free) { free.checked = params.get("kostenlos") === "1"; }
    if (window.atlasNearnow) { atlasNearnow.fromParams(params); } // nearnow
    state.limit = (history.state && history.state.limit) || PAGE;
    showSelected();
  }

  /* A history step for a new search; while typing one search, the step is updated in place. */
  function remember(push) {
    var query = toQuery(readForm());
    if (query === location.search || (query === location.pathname && !location.search)) { return; }
    if (push) { history.pushState({ limit: state.limit }, "", query); }
    else { history.replaceState({ limit: state.limit }, "", query); }
  }

  // -- searching ---------------------------------------------------------------------------------
  function run() {
    if (state.failed) { return; }
    if (!state.ready) { announce(texts.loading, true); return; }
    var current = readForm();
    state.lastId += 1;
    var request = { type: "search", id: state.lastId, text: current.text, filters: current.filters, limit: state.limit };
    // after "more" the focus moves on to the first new result: wait for all of them (a new search
    // is answered with a screen's worth first, search-worker.js)
    if (state.focusFrom !== null) { request.first = state.limit; }
    if (window.atlasNearnow) { Object.assign(request, atlasNearnow.request(current.nearnow)); } // nearnow
    if (state.busy) { state.pending = request; return; } // only the newest waits; older ones are dropped
    state.busy = true;
    worker.postMessage(request);
  }

  function received(message) {
    if (message.partial) { // the first results; the worker is still at this search
      if (message.id === state.lastId && !state.pending) { show(message); }
      return;
    }
    state.busy = false;
    if (state.pending) {
      var next = state.pending;
      state.pending = null;
      state.busy = true;
      worker.postMessage(next);
      return; // an answer to an older question: the newer one's answer follows
    }
    if (message.id === state.lastId) { show(message); }
  }

  function fail() {
    state.failed = true;
    announce(texts.failed, true);
    document.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = false; });
  }

  /* The live region speaks once typing pauses, not at every key (list updates at once). */
  function announce(text, now) {
    clearTimeout(state.announceTimer);
    if (now) { status.textContent = text; return; }
    state.announceTimer = setTimeout(function () { status.textContent = text; }, 700);
  }

  /* The answer to a search; after its first results (partial) the rest are added below them. */
  function show(message) {
    var rest = state.shownFirst === message.id; // the first results of this search are shown
    state.shownFirst = message.partial ? message.id : null;
    if (rest) {
      list.append.apply(list, message.results.slice(list.children.length).map(result));
    } else {
      var words = message.text ? fill(texts.quoted, { words: message.text }) : "";
      var template = message.total ? plural(words ? texts.foundFor : texts.found, message.total)
                                   : (words ? texts.noneFor : texts.none);
      state.spoken = fill(template, { num: message.total, words: words });
      announce(state.spoken, !state.typing);
      list.replaceChildren.apply(list, message.results.map(result));
    }
    // data-showing: the query whose results the list shows, while the rest load too (aria-busy);
    // data-query: the query the list answers in full (the status may speak later)
    list.setAttribute("data-showing", message.query);
    if (message.partial) { list.setAttribute("aria-busy", "true"); }
    else { list.removeAttribute("aria-busy"); list.setAttribute("data-query", message.query); }
    more.hidden = Boolean(message.partial) || message.results.length >= message.total;
    updateCounts(message.counts);
    deadEnd(message);
    if (window.atlasNearnow) { atlasNearnow.show(message, readForm().nearnow); } // nearnow
    if (state.focusFrom !== null && !message.partial) { // after "more": on to the first new result, for keyboard users
      var next = list.children[state.focusFrom];
      state.focusFrom = null;
      if (next) { next.querySelector("a").focus(); }
    }
  }

  // -- no dead ends: what an empty search offers ------------------------------------------------
  // The word list loads only when a search finds nothing: the first search fetches no more.
  var empty = document.querySelector("[data-atlas-empty]");
  var nearWords = null; // a promise of {words, topics, audiences}

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
  }

  /* Optimal string alignment distance (a swap of two letters counts once), or limit + 1 early. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var rows = [[]], i, j;
    for (j = 0; j <= b.length; j++) { rows[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      rows[i] = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { d = Math.min(d, rows[i - 2][j - 2] + 1); }
        rows[i][j] = d;
        best = Math.min(best, d);
      }
      if (best > limit) { return limit + 1; }
    }
    return rows[a.length][b.length];
  }

  /* The atlas's words nearest to the typed ones: one or two typos away, or the parts of a joined
     word ("Frauenschwimmkurs": Schwimmkurs), most frequent first; as whole queries to run. */
  function nearest(text, words) {
    var typed = text.split(/[\s\-]+/).filter(function (w) { return w.length >= 3; });
    var found = [];
    typed.forEach(function (word) {
      var plain = fold(word), limit = plain.length >= 8 ? 2 : 1, candidates = [];
      words.forEach(function (candidate, rank) {
        var other = fold(candidate);
        if (other === plain) { return; }
        var d = distance(plain, other, limit);
        if (d <= limit) { candidates.push([d, rank, candidate]); }
        else if (plain.length >= 8 && other.length >= 5 && plain.indexOf(other) >= 0) { candidates.push([limit + 1, rank, candidate]); }
      });
      candidates.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
      candidates.slice(0, 4).forEach(function (c) { found.push(text.replace(word, c[2])); });
    });
    return found.filter(function (q, i) { return found.indexOf(q) === i; }).slice(0, 5);
  }

  /* Topics and audiences whose words the typed ones start, end or hold ("Kindergartenplatz": Kinder). */
  function matchingTerms(text, terms) {
    var typed = text.split(/[\s\-]+/).map(fold).filter(function (w) { return w.length >= 4; });
    function hits(words) {
      return words.filter(function (word) {
        word = fold(word);
        return typed.some(function (t) {
          return (word.length >= 4 && t.indexOf(word) >= 0) || (t.length >= 4 && word.indexOf(t) === 0) || distance(t, word, 1) <= 1;
        });
      }).length;
    }
    return terms.map(function (term) { // a word of the label itself counts most
      return [10 * hits(term[1].split(/\s+/)) + hits(term[2]), term];
    }).filter(function (pair) { return pair[0] > 0; })
      .sort(function (x, y) { return y[0] - x[0]; }).slice(0, 4).map(function (pair) { return pair[1]; });
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    var bdi = document.createElement("bdi"); // words of the atlas keep their direction in Arabic text
    bdi.textContent = label;
    a.appendChild(bdi);
    return a;
  }

  function searchLink(query) {
    var a = link("?" + new URLSearchParams({ q: query }).toString(), query);
    a.addEventListener("click", function (event) { // the same search as typing it would be
      event.preventDefault();
      input.value = query;
      state.typing = false;
      state.limit = PAGE;
      remember(true);
      run();
      input.focus();
    });
    return a;
  }

  function deadEnd(message) {
    if (!empty) { return; }
    empty.hidden = !(message.total === 0 && message.text);
    if (empty.hidden) { return; }
    var missing = empty.querySelector("[data-atlas-suggest-missing]");
    if (missing) {
      if (!missing.hasAttribute("data-template")) { missing.setAttribute("data-template", missing.getAttribute("href")); }
      var once = encodeURIComponent(message.text);
      missing.href = missing.getAttribute("data-template").split(texts.marks[1]).join(encodeURIComponent(once))
        .split(texts.marks[0]).join(once);
    }
    if (!nearWords) {
      nearWords = fetch(address("data-words")).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
    }
    nearWords.then(function (data) {
      if (message.id !== state.lastId) { return; } // a newer search has been answered meanwhile
      var near = empty.querySelector("[data-near]"), queries = nearest(message.text, data.words);
      near.replaceChildren();
      near.hidden = !queries.length;
      if (queries.length) {
        var parts = fill(texts.didYouMean, { words: "\u0000" }).split("\u0000");
        near.append(parts[0]);
        queries.forEach(function (query, i) {
          if (i) { near.append(i === queries.length - 1 ? " " + texts.or + " " : ", "); }
          near.appendChild(searchLink(query));
        });
        near.append(parts[1] || "");
        announce(state.spoken + " " + near.textContent, !state.typing);
      }
      var box = empty.querySelector("[data-near-terms]"), terms = matchingTerms(
        [message.text].concat(queries).join(" "), data.topics.concat(data.audiences)); // the typed words and the nearer ones
      box.querySelector("ul").replaceChildren.apply(box.querySelector("ul"), terms.map(function (term) {
        var li = document.createElement("li");
        li.appendChild(link(new URL(term[0], home).href, term[1]));
        return li;
      }));
      box.hidden = !terms.length;
    }).catch(function () { /* without the words the page still offers browsing and the report link */ });
  }

  /* "%(num)d Angebote für %(words)s gefunden." with the values in (gettext's Python format). */
  function fill(template, values) {
    return template.replace(/%\((\w+)\)[ds]/g, function (all, name) { return String(values[name]); });
  }

  function plural(forms, n) { return forms[plurals.select(n)] || forms.other; }

  function marked(segments) {
    var fragment = document.createDocumentFragment();
    segments.forEach(function (segment) {
      if (segment[1]) {
        var mark = document.createElement("mark");
        mark.textContent = segment[0];
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(segment[0]));
      }
    });
    return fragment;
  }

  function result(item) {
    var li = document.createElement("li");
    li.className = "offer-card";
    var heading = document.createElement("h2");
    heading.className = "offer-card-title";
    var link = document.createElement("a");
    link.href = new URL(item.url, home).href;
    link.setAttribute("data-atlas-result", "");
    link.appendChild(marked(item.title));
    if (item.lang) { link.lang = item.lang; link.dir = "ltr"; } // no translation: the German text
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "offer-card-meta";
    var actor = document.createElement("bdi"); // German names keep their direction in Arabic text
    actor.textContent = item.actor;
    var places = document.createElement("bdi");
    places.textContent = item.places.join(", ");
    meta.append(actor, " · ", places);
    var summary = document.createElement("p");
    summary.className = "offer-card-summary";
    summary.appendChild(marked(item.summary));
    if (item.lang) { summary.lang = item.lang; summary.dir = "ltr"; }
    li.append(heading, meta, summary);
    if (window.atlasNearnow) { atlasNearnow.decorate(li, item); } // nearnow: the distance
    return li;
  }

  function updateCounts(counts) {
    form.querySelectorAll("[data-count]").forEach(function (span) {
      var key = span.getAttribute("data-count").split(":");
      var n = key[0] === "kostenlos" ? counts.kostenlos : (counts[key[0]][key[1]] || 0);
      span.textContent = "(" + n + ")";
    });
  }

  /* A closed filter group says how many of its values are chosen. */
  function showSelected() {
    form.querySelectorAll("[data-selected]").forEach(function (span) {
      var n = form.querySelectorAll("input[name=" + span.getAttribute("data-selected") + "]:checked").length;
      span.textContent = n ? " (" + fill(plural(texts.selected, n), { num: n }) + ")" : "";
    });
  }

  // -- events ------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(state.typingTimer);
    state.typing = false;
    state.limit = PAGE;
    remember(true);
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(function () {
      state.limit = PAGE;
      remember(!state.typing); // the first keystroke of a search is a step back to return to
      state.typing = true;
      run();
    }, 50); // a pause between keys: each query costs the worker a few ms, and only the newest waits
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) { return; }
    clearTimeout(state.typingTimer);
    state.typing = false;
    state.limit = PAGE;
    showSelected();
    remember(true);
    run();
  });
  more.addEventListener("click", function () {
    state.focusFrom = list.children.length;
    state.limit += PAGE;
    history.replaceState({ limit: state.limit }, "", location.href); // reload and Back keep what was shown
    run();
  });
  window.addEventListener("popstate", function () { state.typing = false; fromUrl(); run(); });

  fromUrl();
  run();
})();
