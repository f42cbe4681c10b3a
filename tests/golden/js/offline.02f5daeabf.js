/* Offline use. The service worker (sw.js) is registered only once the resident uses the site
   (a tap, a click, a key, a search): merely opening a page stores nothing on the device (see
   the privacy page). Without service workers (blocked, old browser) the site works as before.
   Offline, the page says so and when its data was built. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-atlas-offline]");
  function showState() { if (notice) { notice.hidden = navigator.onLine !== false; } }
  showState();
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);

  if (!notice || !("serviceWorker" in navigator) || navigator.serviceWorker.controller) { return; }
  var target = new URL(notice.getAttribute("data-sw"), location.href).href;  // the site's root: its scope
  // Under Trusted Types a service worker takes only a trusted URL: this one file of this site
  var policy = window.trustedTypes ? window.trustedTypes.createPolicy("atlas-offline", {
    createScriptURL: function (url) {
      if (url !== target) { throw new TypeError("not the site's service worker: " + url); }
      return url;
    }
  }) : { createScriptURL: function (url) { return url; } };
  var uses = ["pointerdown", "keydown", "submit"];
  function register() {
    uses.forEach(function (name) { document.removeEventListener(name, register, true); });
    try {
      navigator.serviceWorker.register(policy.createScriptURL(target)).catch(function () { /* blocked: online only */ });
    } catch (error) { /* the same */ }
  }
  uses.forEach(function (name) { document.addEventListener(name, register, true); });
})();
