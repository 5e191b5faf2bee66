// Start the wizard's Python from the memory snapshot the build made (build_scripts/plumbing/engine_snapshot.py):
// Pyodide with the engine already imported and warmed up, so the worker skips booting Python and
// importing `decision`.  Pyodide's `_loadSnapshot` is a private option of the vendored version
// (314.0.7); the snapshot is refused if it comes from another Pyodide build.
//
// Returns the restored Pyodide, or null if the snapshot is missing or does not restore: the caller
// then boots Pyodide normally.  Either way the caller unpacks the engine bundle (its files are not
// part of the snapshot, which holds the interpreter's memory only).
export async function loadFromSnapshot(loadPyodide, options, snapshotURL) {
  // Gzip-compressed by the build (about 6 MB instead of 31), inflated while it downloads.
  const snapshot = fetch(snapshotURL).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  });
  snapshot.catch(() => {}); // handled below, when loadPyodide awaits it (not an unhandled rejection meanwhile)
  try {
    return await loadPyodide({ ...options, _loadSnapshot: snapshot });
  } catch (error) {
    console.warn("engine snapshot not used, booting Pyodide normally:", String(error && error.message ? error.message : error));
    return null;
  }
}
