// atlas serve: reload the page after each rebuild (development only; never in the built site).
(function () {
  "use strict";
  // The build this page shows: a rebuild that ends between the page's request and this
  // connection is announced at once instead of missed.
  var shown = document.currentScript ? document.currentScript.getAttribute("data-generation") : "";
  var source = new EventSource("/__atlas__/events?since=" + encodeURIComponent(shown || ""));
  source.onmessage = function (event) {
    if (event.data === "reload") { window.location.reload(); }
  };
})();
