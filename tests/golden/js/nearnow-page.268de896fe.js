/* Integrationsatlas search page, near me and open now: the controls' state <-> the query string
   (sortierung=naehe, ort=<region>, geoeffnet=jetzt, tag=… repeatable, ohnezeiten=1), the
   question search.js sends the worker, and what the page says about distances and hours.
   The browser's position is asked for only on a click of "In meiner Nähe", kept in this
   variable for the page's life, and neither sent anywhere nor written into the address. */
/* exported atlasNearnow */
var atlasNearnow = (function () {
  "use strict";
  var position = null;
  var form = null, texts = {}, near = null, note = null;

  function control(name) { return form.querySelector("[name=" + name + "]"); }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)[ds]/g, function (all, name) { return String(values[name]); });
  }

  /* Wire the controls; `changed` is what a change of the form does (search.js: remember, run). */
  function setup(theForm, theTexts) {
    form = theForm;
    texts = theTexts;
    near = document.getElementById("suche-naehe-status");
    note = document.getElementById("suche-zeiten");
    if (!control("sortierung")) { form = null; return; }
    form.querySelector("[data-atlas-near]").addEventListener("click", locate);
    control("ort").addEventListener("change", function () { // a place chosen: measure from it
      if (control("ort").value) { control("sortierung").value = "naehe"; }
    });
    note.querySelector("button").addEventListener("click", function () {
      control("ohnezeiten").checked = true;
      control("ohnezeiten").dispatchEvent(new Event("change", { bubbles: true }));
      control("ohnezeiten").focus();
    });
  }

  function locate() {
    if (!navigator.geolocation) { near.textContent = texts.unavailable; return; }
    near.textContent = texts.locating;
    navigator.geolocation.getCurrentPosition(function (found) {
      position = { lat: found.coords.latitude, lon: found.coords.longitude };
      control("ort").value = "";
      control("sortierung").value = "naehe";
      control("sortierung").dispatchEvent(new Event("change", { bubbles: true }));
    }, function (error) {
      near.textContent = error.code === 1 ? texts.denied : texts.unavailable;
    }, { maximumAge: 300000, timeout: 15000 });
  }

  function read() {
    if (!form) { return null; }
    return { sortierung: control("sortierung").value, ort: control("ort").value,
             jetzt: control("geoeffnet").checked, ohne: control("ohnezeiten").checked,
             tage: Array.from(form.querySelectorAll("input[name=tag]:checked")).map(function (box) { return box.value; }) };
  }

  function toParams(params, current) {
    if (!current) { return; }
    if (current.sortierung) { params.append("sortierung", current.sortierung); }
    if (current.ort) { params.append("ort", current.ort); }
    if (current.jetzt) { params.append("geoeffnet", "jetzt"); }
    current.tage.forEach(function (day) { params.append("tag", day); });
    if (current.ohne) { params.append("ohnezeiten", "1"); }
  }

  function fromParams(params) {
    if (!form) { return; }
    control("sortierung").value = params.get("sortierung") === "naehe" ? "naehe" : "";
    var place = form.querySelector("#suche-ort option[value='" + CSS.escape(params.get("ort") || "") + "']");
    control("ort").value = place ? place.value : "";
    control("geoeffnet").checked = params.get("geoeffnet") === "jetzt";
    control("ohnezeiten").checked = params.get("ohnezeiten") === "1";
    var days = params.getAll("tag");
    form.querySelectorAll("input[name=tag]").forEach(function (box) { box.checked = days.indexOf(box.value) >= 0; });
    var group = form.querySelector("details.when");
    if (group) { group.open = group.open || days.length > 0; }
  }

  /* The point distances are measured from: the chosen place, else the position, else none. */
  function origin(current) {
    if (!current || current.sortierung !== "naehe") { return null; }
    var place = current.ort && form.querySelector("#suche-ort option[value='" + CSS.escape(current.ort) + "']");
    if (place) { return { lat: Number(place.getAttribute("data-lat")), lon: Number(place.getAttribute("data-lon")) }; }
    return position;
  }

  /* What search.js adds to its question for the worker. */
  function request(current) {
    if (!current) { return {}; }
    return { when: { jetzt: current.jetzt, tage: current.tage, ohne: current.ohne, now: Date.now() },
             origin: origin(current) };
  }

  /* After the results are shown: how they are sorted, and the offers without fixed hours. */
  function show(message, current) {
    if (!form) { return; }
    var place = current.ort && form.querySelector("#suche-ort option[value='" + CSS.escape(current.ort) + "']");
    if (current.sortierung !== "naehe") { near.textContent = ""; }
    else if (place) { // the place's name is German text in a sentence of the page's language
      var name = document.createElement("bdi");
      name.textContent = place.getAttribute("data-name");
      var parts = texts.from.split("%(place)s");
      near.replaceChildren(parts[0], name, parts.slice(1).join(""));
    }
    else { near.textContent = position ? texts.located : texts.needPlace; }
    var timed = current.jetzt || current.tage.length > 0;
    note.hidden = !timed || !message.noHours;
    note.querySelector("span").textContent = fill(current.ohne ? texts.noHoursShown : texts.noHours,
                                                  { num: message.noHours });
    note.querySelector("button").hidden = current.ohne;
  }

  /* A result's distance, or why it has none. */
  function decorate(li, item) {
    if (item.km === undefined) { return; }
    var line = document.createElement("p");
    line.className = "offer-card-distance";
    if (item.km === null) { line.textContent = texts.noGeo; }
    else {
      var number = new Intl.NumberFormat(texts.lang, { style: "unit", unit: "kilometer",
                                                       maximumFractionDigits: item.km < 10 ? 1 : 0 });
      line.textContent = fill(texts.distance, { distance: number.format(item.km) });
    }
    li.appendChild(line);
  }

  return { setup: setup, read: read, toParams: toParams, fromParams: fromParams, request: request,
           show: show, decorate: decorate, origin: origin };
})();
