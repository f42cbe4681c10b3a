/* Integrationsatlas search page: the form and the URL hold the state, the worker does the work.
   Results are built with createElement/textContent only, never innerHTML. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-atlas-search]");
  if (!form) { return; }
  var GROUPS = ["region", "thema", "zielgruppe", "sprache"];
  var PAGE = 30;
  var root = new URL(form.getAttribute("data-root"), location.href);
  var input = form.querySelector("input[name=q]");
  var list = document.querySelector("[data-atlas-results]");
  var status = document.getElementById("suche-status");
  var more = document.getElementById("suche-mehr");
  var limit = PAGE, lastId = 0, ready = false, typingTimer = 0;

  var policy = window.trustedTypes ? window.trustedTypes.createPolicy("atlas-search", {
    createScriptURL: function (url) {
      var resolved = new URL(url, location.href);
      if (resolved.origin !== location.origin) { throw new TypeError("script from another origin: " + url); }
      return resolved.href;
    }
  }) : { createScriptURL: function (url) { return url; } };

  var worker = new Worker(policy.createScriptURL(new URL("js/search-worker.js", root).href));
  worker.onmessage = function (event) {
    var message = event.data;
    if (message.type === "ready") { ready = true; run(); }
    else if (message.type === "error") { say("Die Suche konnte nicht geladen werden. Bitte laden Sie die Seite neu."); }
    else if (message.type === "results" && message.id === lastId) { show(message); }
  };
  worker.postMessage({ type: "init", index: new URL("suche/index.json", root).href,
                       documents: new URL("suche/documents.json", root).href });

  form.querySelectorAll("[data-needs-js]").forEach(function (element) { element.hidden = false; });
  document.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });

  // -- state: form <-> query string ------------------------------------------------------------
  function readForm() {
    var state = { text: input.value, filters: { kostenlos: false } };
    GROUPS.forEach(function (group) {
      state.filters[group] = Array.from(form.querySelectorAll("input[name=" + group + "]:checked"))
        .map(function (box) { return box.value; });
    });
    var free = form.querySelector("input[name=kostenlos]");
    state.filters.kostenlos = Boolean(free && free.checked);
    return state;
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    if (state.text.trim()) { params.append("q", state.text.trim()); }
    GROUPS.forEach(function (group) { state.filters[group].forEach(function (v) { params.append(group, v); }); });
    if (state.filters.kostenlos) { params.append("kostenlos", "1"); }
    var query = params.toString();
    return query ? "?" + query : location.pathname;
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    GROUPS.forEach(function (group) {
      var wanted = params.getAll(group);
      form.querySelectorAll("input[name=" + group + "]").forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      // groups start closed, so the keyboard reaches the results quickly; a group in use is open
      var details = form.querySelector("input[name=" + group + "]");
      if (details && wanted.length) { details.closest("details").open = true; }
    });
    var free = form.querySelector("input[name=kostenlos]");
    if (free) { free.checked = params.get("kostenlos") === "1"; }
  }

  // -- searching ---------------------------------------------------------------------------------
  function run() {
    if (!ready) { say("Die Suche wird geladen …"); return; }
    var state = readForm();
    lastId += 1;
    worker.postMessage({ type: "search", id: lastId, text: state.text, filters: state.filters, limit: limit });
  }

  function say(text) { status.textContent = text; }

  function show(message) {
    var state = readForm();
    var words = state.text.trim() ? "„" + state.text.trim() + "“" : "";
    var count = message.total === 1 ? "1 Angebot" : message.total + " Angebote";
    say(message.total ? count + (words ? " für " + words : "") + " gefunden."
                      : "Keine Angebote" + (words ? " für " + words : "") + " gefunden. Versuchen Sie ein anderes Wort oder weniger Filter.");
    list.replaceChildren.apply(list, message.results.map(result));
    more.hidden = message.results.length >= message.total;
    updateCounts(message.counts);
  }

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
    link.href = new URL(item.url, root).href;
    link.setAttribute("data-atlas-result", "");
    link.appendChild(marked(item.title));
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "offer-card-meta";
    meta.textContent = item.actor + " · " + item.places.join(", ");
    var summary = document.createElement("p");
    summary.className = "offer-card-summary";
    summary.appendChild(marked(item.summary));
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

  // -- events ------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    limit = PAGE;
    history.pushState(null, "", toQuery(readForm()));
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      limit = PAGE;
      history.replaceState(null, "", toQuery(readForm()));
      run();
    }, 120);
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) { return; }
    limit = PAGE;
    history.pushState(null, "", toQuery(readForm()));
    run();
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    limit += PAGE;
    run();
    // keep keyboard users in place: focus the first new result once it is there
    var observer = new MutationObserver(function () {
      var next = list.children[first];
      if (next) { observer.disconnect(); next.querySelector("a").focus(); }
    });
    observer.observe(list, { childList: true });
  });
  window.addEventListener("popstate", function () { fromUrl(); limit = PAGE; run(); });

  fromUrl();
  run();
})();
