/* The search boxes that lead to the search page (the header's, the start page's): the first
   time one is used, the browser starts fetching the search data, so the search page it leads
   to has it at hand. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("#header-q, .hero-search input[name=q]");
  if (!boxes.length) { return; }
  function prefetch(event) {
    boxes.forEach(function (box) { box.removeEventListener("focus", prefetch); });
    // the search data by its content-hashed names, which the form carries
    var files = (event.target.form.getAttribute("data-prefetch") || "").split(/\s+/).filter(Boolean);
    files.forEach(function (name) {
      var link = document.createElement("link");
      link.rel = "prefetch";
      link.href = new URL(name, location.href).href;
      document.head.appendChild(link);
    });
  }
  boxes.forEach(function (box) { box.addEventListener("focus", prefetch); });
})();
