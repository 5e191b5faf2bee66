// Does this browser have what the wizard's engine (Pyodide 314) needs?  Shared by the wizard,
// the roster and 环境自检.  The features, their Chinese names and first versions are data
// (build_scripts/pages/browser_floor.yaml -> browser-floor.mjs); this file holds one check per feature.
//
// Written in old syntax on purpose (no ?. or ??): a browser too old for the engine must still
// run this file to be told so.
import { FEATURES, FLOOR_ZH } from "./browser-floor.mjs";

export { FEATURES, FLOOR_ZH };

// Tiny WebAssembly modules, each using one feature; WebAssembly.validate() neither compiles nor
// runs them (only the policy check, wasm-csp, compiles one: the empty module).  Built by hand: header, type/function/…/code sections.
function wasm(...sections) {
  return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0].concat(sections));
}
const VOID_FUNCTION = [1, 4, 1, 96, 0, 0, 3, 2, 1, 0]; // type () -> (), one function of it
const MODULES = {
  // tag section + try / throw / catch_all (the legacy encoding Pyodide's module uses)
  exceptions: wasm(...VOID_FUNCTION, 13, 3, 1, 0, 0, 10, 10, 1, 8, 0, 6, 64, 8, 0, 25, 11, 11),
  // ref.null extern; drop
  referenceTypes: wasm(...VOID_FUNCTION, 10, 7, 1, 5, 0, 208, 111, 26, 11),
  // a memory, memory.fill
  bulkMemory: wasm(...VOID_FUNCTION, 5, 3, 1, 0, 1, 10, 13, 1, 11, 0, 65, 0, 65, 0, 65, 0, 252, 11, 0, 11),
  // import a mutable i32 global
  mutableGlobals: wasm(2, 8, 1, 1, 109, 1, 103, 3, 127, 1),
  // i32.const 0; i32.extend8_s; drop
  signExtension: wasm(...VOID_FUNCTION, 10, 8, 1, 6, 0, 65, 0, 192, 26, 11),
  // f32.const 0; i32.trunc_sat_f32_s; drop
  saturatingFloatToInt: wasm(...VOID_FUNCTION, 10, 12, 1, 10, 0, 67, 0, 0, 0, 0, 252, 0, 26, 11),
  // export f(i64) -> i64 { local.get 0 }
  bigint: wasm(1, 6, 1, 96, 1, 126, 1, 126, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 6, 1, 4, 0, 32, 0, 11),
};

function hasWasm() {
  return typeof WebAssembly === "object" && WebAssembly !== null && typeof WebAssembly.validate === "function";
}

function validates(bytes) {
  try {
    return hasWasm() && WebAssembly.validate(bytes);
  } catch (error) {
    return false;
  }
}

// Module workers: the Worker constructor reads `type` from its options only if it knows it; an
// older browser either ignores it (then the getter is never called) or throws a TypeError for
// "module".  The URL is malformed, so no worker starts and nothing is fetched: a browser that got
// that far throws a SyntaxError about the URL instead.
function moduleWorkers() {
  if (typeof Worker !== "function") return false;
  if (Worker.classicOnly === true) return true; // the portable build's workers (build_scripts/portable/js/portable.js)
  let asked = false;
  const options = {
    get type() {
      asked = true;
      return "module";
    },
  };
  try {
    new Worker("http://[", options).terminate();
  } catch (error) {
    return asked && !(error instanceof TypeError);
  }
  return asked;
}

const CHECKS = {
  webassembly: () => hasWasm() && typeof WebAssembly.instantiate === "function",
  "wasm-mutable-globals": () => validates(MODULES.mutableGlobals),
  "wasm-sign-extension": () => validates(MODULES.signExtension),
  "wasm-nontrapping-float-to-int": () => validates(MODULES.saturatingFloatToInt),
  // i64 in an exported function's signature.  Whether JS then passes a BigInt could only be seen by
  // compiling (which a page without 'wasm-unsafe-eval' refuses, and this runs before any compile):
  // every engine with reference types, checked below, converts BigInts.
  "wasm-bigint": () => typeof BigInt === "function" && validates(MODULES.bigint),
  "wasm-bulk-memory": () => validates(MODULES.bulkMemory),
  "wasm-reference-types": () => validates(MODULES.referenceTypes),
  "wasm-exceptions": () => validates(MODULES.exceptions) && typeof WebAssembly.Exception === "function",
  // The page's Content-Security-Policy allows WebAssembly through 'wasm-unsafe-eval' only, which
  // Chromium before 97 does not know (it refuses the compile): compile the smallest module, an
  // empty one, exactly as the engine's worker (which inherits or shares the policy) will.
  "wasm-csp": () =>
    hasWasm() && typeof WebAssembly.compile === "function"
      ? WebAssembly.compile(wasm()).then(
          () => true,
          () => false,
        )
      : false,
  "module-workers": moduleWorkers,
  // Syntax cannot be tested without eval (the CSP forbids it): import a module written in it.
  "class-static-blocks": () =>
    import("./es2022-probe.mjs").then(
      (probe) => probe.Probe.ok === true,
      () => false,
    ),
};

// The features this browser lacks: [{id, zh, chrome, firefox, safari}], in the data's order.
export async function missingFeatures() {
  const results = await Promise.all(
    FEATURES.map((feature) => {
      const check = CHECKS[feature.id];
      if (!check) throw new Error(`browser-support: no check for feature ${feature.id}`);
      return Promise.resolve()
        .then(check)
        .then(
          (ok) => ok === true,
          () => false,
        );
    }),
  );
  return FEATURES.filter((feature, n) => !results[n]);
}

// One Chinese sentence naming what is missing and the versions that have everything.
export function missingText(missing, what) {
  return `当前浏览器缺少${what}所需的功能：${missing.map((f) => f.zh).join("、")}。请使用 ${FLOOR_ZH} 或更高版本的浏览器。`;
}
