// Imported first by each engine worker (wizard, roster, 环境自检): every failure the worker can see
// while Pyodide loads becomes one message to the page, instead of a warning on the console and a
// wait without end.  Pyodide 314 catches a failed WebAssembly.instantiateStreaming itself (a wasm
// file missing, sent with the wrong type, refused by the page's Content-Security-Policy, or not
// compilable), logs "wasm instantiation failed!" and never settles loadPyodide(); a missing file it
// fetches is seen here too.  Classified for the page, which says it in Chinese (load-problem.mjs):
//   download   a file the engine needs answered with an HTTP error, or could not be fetched
//   wasm-type  the wasm file arrived with a type other than application/wasm
//   csp        WebAssembly refused by the Content-Security-Policy (or a browser that does not
//              know 'wasm-unsafe-eval', which then refuses it)
//   wasm       the wasm file did not compile (damaged, or a feature this browser lacks)
//   other      anything else that ended the load (an uncaught error or rejection)

// The files Pyodide and the engine cannot do without (a missing memory snapshot is not a failure:
// the wizard's worker then boots normally).
const NEEDED = /(?:^|\/)(?:pyodide\.asm\.wasm|python_stdlib\.zip|pyodide-lock\.json|decision\.zip)(?:[?#]|$)/;

let report = null;
let early = null; // a failure seen before the worker registered its reporter

export function classify(error) {
  const text = String((error && error.message) || error);
  if (/Content Security Policy|unsafe-eval|wasm-eval|Refused to compile/i.test(text)) return "csp";
  if (/MIME/i.test(text)) return "wasm-type";
  if (error && error.name === "TypeError" && /status|fetch|network|load/i.test(text)) return "download";
  if (error && error.name === "CompileError") return "wasm";
  return "other";
}

export function fail(kind, error) {
  const detail = String((error && error.message) || error);
  if (report) {
    const send = report;
    report = () => {}; // once
    send(kind, detail);
  } else if (!early) {
    early = [kind, detail];
  }
}

// `send(kind, detail)` posts the worker's own failure message; called at most once.
export function onFailure(send) {
  report = send;
  if (early) fail(...early);
}

function wrap(name) {
  const original = WebAssembly[name];
  if (typeof original !== "function") return;
  WebAssembly[name] = function (...args) {
    const result = original.apply(this, args);
    result.catch((error) => fail(classify(error), error));
    return result;
  };
}

if (typeof WebAssembly === "object" && WebAssembly) {
  for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) wrap(name);
}

const originalFetch = self.fetch;
self.fetch = function (input, init) {
  const url = String(input && input.url ? input.url : input);
  const result = originalFetch.call(this, input, init);
  if (NEEDED.test(url)) {
    result.then(
      (response) => {
        if (!response.ok) fail("download", `${url.split(/[?#]/)[0]}: HTTP ${response.status}`);
      },
      (error) => fail("download", `${url.split(/[?#]/)[0]}: ${error}`),
    );
  }
  return result;
};

self.addEventListener("unhandledrejection", (event) => fail(classify(event.reason), event.reason));
self.addEventListener("error", (event) => fail("other", event.message || "script error"));
