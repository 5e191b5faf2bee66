// Portable build only: what `../vendor/pyodide/pyodide.mjs` is in a worker bundled by
// build_scripts/portable/bundle.mjs.  The worker runs from a Blob URL on a page opened from a file
// (see portable.js), where nothing can be fetched: the page posts the files first, as text, and
// this module answers the worker's fetch() of them (by file name) from memory.  Pyodide's module
// factory is bundled in (`createPyodideModule`) instead of loaded by a dynamic import.
import { loadPyodide as loadFromOptions } from "pyodide/pyodide.mjs";
import createPyodideModule from "pyodide/pyodide.asm.mjs";

const payload = new Promise((resolve) => {
  addEventListener("message", function first(event) {
    if (!event.data || !event.data.__portablePayload) return;
    event.stopImmediatePropagation(); // the worker's own onmessage never sees it
    removeEventListener("message", first);
    resolve(event.data.__portablePayload);
  });
});

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// File name -> {bytes, type}.  The wasm is gzipped in its data script (a third of the size); the
// standard library and the engine bundle are zip files already.
const files = payload.then(async (data) => ({
  "pyodide.asm.wasm": { bytes: await gunzip(fromBase64(data["pyodide-wasm"])), type: "application/wasm" },
  "python_stdlib.zip": { bytes: fromBase64(data["python-stdlib"]), type: "application/zip" },
  "decision.zip": { bytes: fromBase64(data["decision-zip"]), type: "application/zip" },
  // The wizard's and the roster's workers; still gzipped: docs/assets/js/engine-snapshot.mjs inflates it.
  "decision.snapshot": data["decision-snapshot"]
    ? { bytes: fromBase64(data["decision-snapshot"]), type: "application/octet-stream" }
    : null,
}));
files.catch(() => {}); // reported by loadPyodide or the fetch that awaits it

// Installed at once: the wizard's worker fetches the engine bundle before it calls loadPyodide.
const NAMES = new Set(["pyodide.asm.wasm", "python_stdlib.zip", "decision.zip", "decision.snapshot"]);
const networkFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input).split(/[?#]/)[0];
  const name = url.slice(url.lastIndexOf("/") + 1);
  if (!NAMES.has(name)) return networkFetch(input, init);
  const file = (await files)[name];
  if (!file) return new Response("not in this worker's payload", { status: 404 });
  return new Response(file.bytes, { headers: { "Content-Type": file.type } });
};

export async function loadPyodide(options) {
  await files;
  const data = await payload;
  return loadFromOptions({ ...options, createPyodideModule, lockFileContents: data["pyodide-lock"] });
}
