// Start the wizard's Python from the memory snapshot the build made (build_scripts/plumbing/engine_snapshot.py):
// Pyodide with the engine already imported and warmed up, so the worker skips booting Python and
// importing `decision`.  Pyodide's `_loadSnapshot` is a private option of the vendored version
// (314.0.7); the snapshot is refused if it comes from another Pyodide build.
//
// Returns the restored Pyodide, or null if the snapshot is missing or does not restore: the caller
// then boots Pyodide normally.  Either way the caller unpacks the engine bundle (its files are not
// part of the snapshot, which holds the interpreter's memory only).
//
// `times` (optional): an object that receives performance.now() stamps of the snapshot's arrival
// (`snapshotFetched`: response headers, `snapshotInflated`: the whole snapshot in memory).
export async function loadFromSnapshot(loadPyodide, options, snapshotURL, times = {}) {
  // Gzip-compressed by the build (about 6 MB instead of 31), inflated while it downloads.
  const snapshot = fetch(snapshotURL).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    times.snapshotFetched = performance.now();
    return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }).then((buffer) => {
    times.snapshotInflated = performance.now();
    return buffer;
  });
  snapshot.catch(() => {}); // handled below, when loadPyodide awaits it (not an unhandled rejection meanwhile)
  try {
    return await compilingEarly(() => loadPyodide({ ...options, _loadSnapshot: snapshot }));
  } catch (error) {
    console.warn("engine snapshot not used, booting Pyodide normally:", String(error && error.message ? error.message : error));
    return null;
  }
}

// Pyodide compiles its wasm only once it holds the snapshot (the snapshot's size sets the
// memory), so with a snapshot the compile waited for the whole download.  During the restoring
// loadPyodide call only, this compiles Pyodide's own fetch of pyodide.asm.wasm (made before it
// waits for the snapshot) as it arrives, and hands the compiled module to Pyodide's
// instantiateStreaming of that very response.  Every other fetch and instantiation passes through.
async function compilingEarly(run) {
  const plainFetch = self.fetch;
  const plainInstantiate = WebAssembly.instantiateStreaming;
  if (typeof WebAssembly.compileStreaming !== "function" || typeof plainInstantiate !== "function") return run();
  const early = new Map(); // the response promise Pyodide got -> its compiled module
  self.fetch = function (input, init) {
    const response = plainFetch.call(self, input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (url.split(/[?#]/)[0].endsWith("/pyodide.asm.wasm")) {
      const compiled = WebAssembly.compileStreaming(response);
      compiled.catch(() => {}); // handled when Pyodide instantiates
      early.set(response, compiled);
    }
    return response;
  };
  WebAssembly.instantiateStreaming = async function (source, imports) {
    const known = early.get(source);
    if (!known) return plainInstantiate.call(WebAssembly, source, imports);
    // A compile that failed fails here as Pyodide's own would have (a wrong type, a policy that
    // refuses wasm, a damaged file), and worker-guard.mjs has reported it already.
    const module = await known;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  try {
    return await run();
  } finally {
    self.fetch = plainFetch;
    WebAssembly.instantiateStreaming = plainInstantiate;
  }
}

// The engine bundle (assets/engine/decision.zip) read in JavaScript: [{path, data}] for its files,
// inflated with DecompressionStream while Pyodide restores, so that after the restore only the
// writes into Pyodide's file system are left (about 1 ms, where pyodide.unpackArchive, Python's
// zipfile in wasm, takes about 60 ms on the critical path).  The bundle is the build's own file,
// but it is bounded all the same.  Returns null if this browser cannot inflate raw deflate
// (before Chromium 103) or the archive is not the plain zip the build writes: the caller then
// unpacks it with pyodide.unpackArchive as before.
const MAX_ENTRIES = 1000;
const MAX_BYTES = 32 * 1024 * 1024;

export async function readBundle(buffer) {
  try {
    new DecompressionStream("deflate-raw"); // eslint-disable-line no-new
  } catch {
    return null;
  }
  const bytes = new Uint8Array(buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.length - 22; // the build writes no archive comment
  if (eocd < 0 || view.getUint32(eocd, true) !== 0x06054b50) return null;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (count > MAX_ENTRIES) return null;
  const decoder = new TextDecoder();
  const entries = [];
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const path = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    total += size;
    if (total > MAX_BYTES || (method !== 0 && method !== 8) || path.startsWith("/") || path.split("/").includes("..")) return null;
    if (path.endsWith("/")) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) return null;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + packed > bytes.length) return null;
    const raw = bytes.subarray(start, start + packed);
    entries.push({ path, method, size, raw });
  }
  const files = await Promise.all(entries.map(async ({ path, method, size, raw }) => {
    const data = method === 0 ? raw : await inflateRaw(raw);
    if (data.length !== size) throw new Error(`decision.zip: ${path}: ${data.length} bytes, expected ${size}`);
    return { path, data };
  }));
  return files;
}

async function inflateRaw(raw) {
  // Straight into the stream (a Blob would go through the browser process's blob store).
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  writer.write(raw).catch(() => {}); // a corrupt entry rejects the read below
  writer.close().catch(() => {});
  return new Uint8Array(await new Response(stream.readable).arrayBuffer());
}

// Write readBundle's files under `dir` in Pyodide's file system (what unpackArchive would leave).
export function writeBundle(pyodide, dir, files) {
  const made = new Set();
  for (const { path, data } of files) {
    const target = `${dir}/${path}`;
    const parent = target.slice(0, target.lastIndexOf("/"));
    if (!made.has(parent)) {
      pyodide.FS.mkdirTree(parent);
      made.add(parent);
    }
    pyodide.FS.writeFile(target, data);
  }
}
