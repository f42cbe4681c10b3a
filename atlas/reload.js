// atlas serve: reload the page after each rebuild (development only; never in the built site).
(function () {
  "use strict";
  var source = new EventSource("/__atlas__/events");
  source.onmessage = function (event) {
    if (event.data === "reload") { window.location.reload(); }
  };
})();
