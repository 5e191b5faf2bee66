// Imported by browser-support.mjs to learn whether this browser parses the syntax Pyodide 314's
// pyodide.asm.mjs is written in (class static initialization blocks, private fields, logical
// assignment).  A browser that cannot parse it fails the import, and is told so.
export class Probe {
  static #seen = true;
  static ok;
  static {
    Probe.ok ||= Probe.#seen;
  }
}
