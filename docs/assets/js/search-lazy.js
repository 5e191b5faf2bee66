// Search index on first use: Material's bundle requests search/search_index.json (about 700 kB,
// then indexed in its worker) as soon as any page loads.  This script, loaded before the bundle,
// holds that one request back until the reader turns to search (focus on the search box, or
// Material's keys f, s, /) or the page has been idle a while after loading; on the wizard and the
// roster it also waits for their engine to be ready, so the two do not compete for the CPU.
// Classic script in ES5: it must not break on old browsers.  The portable build loads the index
// with a <script> tag instead (no fetch from file://), which this leaves alone.
(function () {
  "use strict";
  var XHR = window.XMLHttpRequest;
  if (!XHR) return;
  var INDEX = /\/search\/search_index\.json(\?|#|$)/;
  var IDLE_AFTER_LOAD_MS = 3000;
  var wanted = false;
  var waiting = [];

  function want() {
    if (wanted) return;
    wanted = true;
    for (var i = 0; i < waiting.length; i++) waiting[i]();
    waiting = [];
  }

  // Material requests the index with XMLHttpRequest (for its progress events): the request is
  // opened as usual and sent once the index is wanted.
  var open = XHR.prototype.open;
  var send = XHR.prototype.send;
  XHR.prototype.open = function (method, url) {
    this.__searchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XHR.prototype.send = function () {
    if (!this.__searchIndex || wanted) return send.apply(this, arguments);
    var xhr = this;
    var args = arguments;
    waiting.push(function () {
      send.apply(xhr, args);
    });
  };

  // Use: the search box gets focus (click, tap, or Material's keyboard shortcuts focus it).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("md-search__input")) want();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "f" || event.key === "s" || event.key === "/") {
      var tag = event.target && event.target.tagName;
      if (tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT") want();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search") want();
  });

  // Idle: a while after the page has loaded, and after the engine of the wizard or the roster is
  // ready (their root carries data-state; "loading" until then).
  function engineBusy() {
    var root = document.querySelector("[data-wizard], #roster");
    return root !== null && root.getAttribute("data-state") === "loading";
  }
  function whenIdle() {
    if (wanted) return;
    if (engineBusy()) {
      setTimeout(whenIdle, 1000);
      return;
    }
    if (window.requestIdleCallback) window.requestIdleCallback(want, { timeout: 5000 });
    else want();
  }
  window.addEventListener("load", function () {
    setTimeout(whenIdle, IDLE_AFTER_LOAD_MS);
  });
})();
