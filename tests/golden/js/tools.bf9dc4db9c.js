/* Print and share. "Teilen" hands the page's address to the device's share sheet (Web Share)
   where there is one, else copies it, and says so in a live region. "Liste drucken" on the
   search page prints the results shown, with Träger, address, hours and phone from
   suche/liste.json (stored for offline use with the search data). DOM by createElement and
   textContent only, as under Trusted Types it must be. */
(function () {
  "use strict";
  var tools = document.querySelector("[data-atlas-tools]");
  if (!tools) { return; }
  var texts = JSON.parse(tools.getAttribute("data-texts"));
  var status = tools.querySelector("[data-atlas-tools-status]");
  tools.hidden = false;  // without JavaScript the buttons could do nothing: they stay hidden

  function say(text) {  // emptied first, so that the same message twice is announced twice
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function byHand() { say(texts.byHand + " " + location.href); }

  function copy() {
    if (!navigator.clipboard || !navigator.clipboard.writeText) { byHand(); return; }
    navigator.clipboard.writeText(location.href).then(function () { say(texts.copied); }, byHand);
  }

  tools.querySelector("[data-atlas-share]").addEventListener("click", function () {
    var data = { title: document.title, url: location.href };
    if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) { copy(); return; }
    navigator.share(data).then(function () { say(texts.shared); }, function (error) {
      if (!error || error.name !== "AbortError") { copy(); }  // cancelled by the resident: nothing to say
    });
  });

  var printButton = tools.querySelector("[data-atlas-print]");
  var listUrl = tools.getAttribute("data-list");
  var details = null;
  var root = document.documentElement;
  window.addEventListener("afterprint", function () { root.classList.remove("printing-list"); });

  function element(name, text, className) {
    var node = document.createElement(name);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function slugOf(href) {
    var parts = new URL(href, location.href).pathname.split("/").filter(Boolean);
    return parts[parts.length - 1];
  }

  function fillList(data) {
    var box = document.querySelector("[data-atlas-print-list]");
    var list = element("ol");
    document.querySelectorAll("[data-atlas-results] [data-atlas-result]").forEach(function (link) {
      var entry = data[slugOf(link.href)] || {};
      var item = element("li");
      var heading = element("h2");
      heading.appendChild(element("bdi", link.textContent));
      item.appendChild(heading);
      var facts = element("dl");
      ["actor", "address", "hours", "phone"].forEach(function (key) {
        if (!entry[key]) { return; }
        facts.appendChild(element("dt", texts[key]));
        var value = element("dd");
        value.appendChild(element("bdi", entry[key]));
        facts.appendChild(value);
      });
      item.appendChild(facts);
      list.appendChild(item);
    });
    box.textContent = "";
    box.appendChild(element("p", texts.printed + " " + location.href, "print-meta"));
    box.appendChild(list);
    root.classList.add("printing-list");
  }

  function loadDetails() {
    return fetch(new URL(listUrl, location.href).href).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  printButton.addEventListener("click", function () {
    if (!listUrl) { window.print(); return; }
    // tried twice: on a weak connection a second try often gets through, and without the
    // details the list printed is only what the page shows
    details = details || loadDetails().catch(loadDetails);
    details.then(fillList, function () { details = null; })  // without the details: the list as shown
      .then(function () { window.print(); });
  });
})();
