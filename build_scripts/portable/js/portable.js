// Portable build only (build_scripts/portable): the site opened as files (file://), with no server.
//
// Chromium gives a page opened from a file an opaque origin.  fetch() of files, module scripts
// and module workers from files, `new Worker("file:…")`, module workers from Blob URLs and
// importScripts() of files inside a worker all fail there.  A classic <script src> still loads,
// and a classic worker made from a Blob URL the page created still runs.  So this script, first in
// <head> of every page of the portable build, replaces `Worker` for the site's own workers:
//
// - the worker's code is a classic bundle (build_scripts/portable/bundle.mjs) delivered as text by
//   a data script, assets/portable/data/<name>.js, which calls __portableData(name, text);
// - the worker is started from a Blob of that text, its original URL in `self.__portableBase`;
// - a Pyodide worker is first sent the payload it would have fetched (the wasm, the standard
//   library, the lock file, the engine bundle: data scripts too), which
//   build_scripts/portable/js/pyodide-portable.mjs answers fetch() with inside the worker.
//
// The page scripts themselves are classic bundles of the same modules the served site runs.
(function () {
  "use strict";
  var DATA = new URL("data/", document.currentScript.src).href;
  var NativeWorker = window.Worker;
  var PYODIDE = ["pyodide-wasm", "python-stdlib", "pyodide-lock", "decision-zip"];
  // A worker's file name in the served site -> its bundle's data name and the payload it is sent.
  var WORKERS = {
    "wizard-worker.mjs": { source: "worker-wizard", payload: PYODIDE.concat(["decision-snapshot"]) },
    "roster-worker.mjs": { source: "worker-roster", payload: PYODIDE.concat(["decision-snapshot"]) },
    "env-check-worker.mjs": { source: "worker-env-check", payload: PYODIDE },
    "search-zh.js": { source: "worker-search", payload: [] },
  };

  // Each data script is loaded once per page, when a worker first needs it.
  var received = Object.create(null);
  var pending = Object.create(null);
  window.__portableData = function (name, text) {
    received[name] = text;
    (pending[name] || []).forEach(function (callbacks) { callbacks[0](text); });
    delete pending[name];
  };
  function data(name) {
    if (name in received) return Promise.resolve(received[name]);
    return new Promise(function (resolve, reject) {
      if (!pending[name]) {
        pending[name] = [];
        var script = document.createElement("script");
        script.src = DATA + name + ".js";
        script.onerror = function () {
          (pending[name] || []).forEach(function (callbacks) { callbacks[1](new Error("cannot load " + script.src)); });
          delete pending[name];
        };
        document.head.append(script);
      }
      pending[name].push([resolve, reject]);
    });
  }

  // Behaves as the Worker the page asked for: messages posted before the real worker exists wait.
  class PortableWorker extends EventTarget {
    constructor(url, options, entry) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._queue = [];
      this._worker = null;
      this._ended = false;
      var base = new URL(url, location.href).href;
      var names = [entry.source].concat(entry.payload);
      Promise.all(names.map(data)).then(
        (texts) => {
          if (this._ended) return;
          var prelude = "self.__portableBase = " + JSON.stringify(base) + ";\n";
          var blob = new Blob([prelude, texts[0]], { type: "text/javascript" });
          performance.mark("portable:data-loaded:" + entry.source); // benchmarks/portable_load.py
          var worker = new NativeWorker(URL.createObjectURL(blob), options && options.name ? { name: options.name } : {});
          worker.onmessage = (event) => this._emit(new MessageEvent("message", { data: event.data }));
          worker.onerror = (event) => {
            event.preventDefault();
            this._emit(new ErrorEvent("error", { message: event.message, filename: base, lineno: event.lineno }));
          };
          if (entry.payload.length) {
            var payload = {};
            entry.payload.forEach(function (name, i) { payload[name] = texts[i + 1]; });
            worker.postMessage({ __portablePayload: payload });
          }
          this._queue.splice(0).forEach(function (args) { worker.postMessage.apply(worker, args); });
          this._worker = worker;
        },
        (error) => this._emit(new ErrorEvent("error", { message: String(error && error.message) })),
      );
    }
    _emit(event) {
      var handler = this["on" + event.type];
      this.dispatchEvent(event);
      if (typeof handler === "function") handler.call(this, event);
    }
    postMessage(message, transfer) {
      if (this._worker) this._worker.postMessage(message, transfer);
      else this._queue.push([message, transfer]);
    }
    terminate() {
      this._ended = true;
      if (this._worker) this._worker.terminate();
    }
  }

  window.Worker = function Worker(url, options) {
    var name = new URL(url, location.href).pathname.split("/").pop();
    var entry = WORKERS[name];
    return entry ? new PortableWorker(url, options, entry) : new NativeWorker(url, options);
  };
  // For docs/assets/js/browser-support.mjs: here workers run as classic scripts from Blobs, so
  // the browser needs no module workers.
  window.Worker.classicOnly = true;

  // A link to a folder opens a file listing, not its index.html: the build adds index.html to
  // every folder link it writes; this covers a link built at run time that it could not see.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest && event.target.closest("a[href]");
      if (link && link.protocol === "file:" && link.pathname.endsWith("/")) link.pathname += "index.html";
    },
    true,
  );
})();
