/* The search boxes that lead to the search page (the header's, the start page's): the first
   time one is used, the browser starts fetching the search data, so the search page it leads
   to has it at hand. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("#header-q, .hero-search input[name=q]");
  if (!boxes.length) { return; }
  function prefetch(event) {
    boxes.forEach(function (box) { box.removeEventListener("focus", prefetch); });
    var searchPage = new URL(event.target.form.getAttribute("action"), location.href);
    ["index.json", "documents.json"].forEach(function (name) {
      var link = document.createElement("link");
      link.rel = "prefetch";
      link.href = new URL(name, searchPage).href;
      document.head.appendChild(link);
    });
  }
  boxes.forEach(function (box) { box.addEventListener("focus", prefetch); });
})();
