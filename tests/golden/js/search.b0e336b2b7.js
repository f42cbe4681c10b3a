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
                typing: false, focusFrom: null, typingTimer: 0, announceTimer: 0 };

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
    return current;
  }

  function toQuery(current) {
    var params = new URLSearchParams();
    if (current.text.trim()) { params.append("q", current.text.trim()); }
    GROUPS.forEach(function (group) { current.filters[group].forEach(function (v) { params.append(group, v); }); });
    if (current.filters.kostenlos) { params.append("kostenlos", "1"); }
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
    if (state.busy) { state.pending = request; return; } // only the newest waits; older ones are dropped
    state.busy = true;
    worker.postMessage(request);
  }

  function received(message) {
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

  function show(message) {
    var words = message.text ? fill(texts.quoted, { words: message.text }) : "";
    var template = message.total ? plural(words ? texts.foundFor : texts.found, message.total)
                                 : (words ? texts.noneFor : texts.none);
    announce(fill(template, { num: message.total, words: words }), !state.typing);
    list.replaceChildren.apply(list, message.results.map(result));
    list.setAttribute("data-query", message.query); // what the list answers (the status may speak later)
    more.hidden = message.results.length >= message.total;
    updateCounts(message.counts);
    if (state.focusFrom !== null) { // after "more": on to the first new result, for keyboard users
      var next = list.children[state.focusFrom];
      state.focusFrom = null;
      if (next) { next.querySelector("a").focus(); }
    }
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
    }, 120);
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
