/* The search box on every page: the first time it is used, the browser starts fetching the
   search data, so the search page it leads to has it at hand. */
(function () {
  "use strict";
  var box = document.getElementById("header-q");
  if (!box) { return; }
  function prefetch() {
    box.removeEventListener("focus", prefetch);
    var searchPage = new URL(box.form.getAttribute("action"), location.href);
    ["index.json", "documents.json"].forEach(function (name) {
      var link = document.createElement("link");
      link.rel = "prefetch";
      link.href = new URL(name, searchPage).href;
      document.head.appendChild(link);
    });
  }
  box.addEventListener("focus", prefetch);
})();
