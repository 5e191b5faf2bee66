// Environment check (环境自检): first the browser's features (browser-support.mjs: the list and
// the minimum versions are build_scripts/pages/browser_floor.yaml), then, if none is missing, boot the
// vendored Pyodide in a module worker and run one line of Python.  Proves the offline pipeline end
// to end (npm -> build -> served files -> browser).
//
// A slow load is not a broken one: the page keeps waiting, shows how long it has waited, and the
// page's watchdog (assets/js/watchdog.js) says so after a while without progress.  Only a failure
// the worker or the browser reports ends the check.
import { FEATURES, FLOOR_ZH, missingFeatures, missingText } from "./browser-support.mjs";
import { failed, progressed, reason, started } from "./load-problem.mjs";

const box = document.getElementById("env-check");
const list = document.getElementById("env-check-features");
let worker = null;
let clock = null;

started(box);

function finish(state, text) {
  clearInterval(clock);
  box.dataset.state = state;
  box.textContent = text;
  if (worker) worker.terminate();
}

function fail(text, detail) {
  finish("error", "运行环境未能加载。");
  failed(box, text, detail);
}

function showFeatures(missing) {
  const lacking = new Set(missing.map((f) => f.id));
  list.replaceChildren(
    ...FEATURES.map((feature) => {
      const item = document.createElement("li");
      item.dataset.feature = feature.id;
      item.dataset.supported = String(!lacking.has(feature.id));
      item.textContent = `${lacking.has(feature.id) ? "✗ 缺少" : "✓ 支持"}：${feature.zh}`;
      return item;
    }),
  );
  list.hidden = false;
}

function bootPyodide() {
  const started = performance.now();
  const waiting = () => {
    const seconds = Math.round((performance.now() - started) / 1000);
    box.textContent = `浏览器功能齐全（${FLOOR_ZH} 或更高版本均可）。正在加载 Python 运行环境（已用 ${seconds} 秒；首次加载需下载约 14 MB）……`;
  };
  waiting();
  clock = setInterval(waiting, 1000);
  try {
    worker = new Worker(new URL("./env-check-worker.mjs", import.meta.url), { type: "module" });
  } catch (error) {
    fail(`环境自检未通过：${reason("worker")}`, String(error));
    return;
  }
  worker.onmessage = (event) => {
    if (event.data.progress) {
      progressed(box);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (event.data.ok) finish("ready", `运行环境正常：Python ${event.data.version}（用时 ${seconds} 秒）`);
    else fail(`环境自检未通过：${reason(event.data.kind)}`, event.data.error);
  };
  worker.onerror = (event) => fail(`环境自检未通过：${reason("worker")}`, event.message || "worker script error");
}

missingFeatures().then(
  (missing) => {
    showFeatures(missing);
    if (missing.length) {
      box.dataset.missing = missing.map((f) => f.id).join(" ");
      finish("unsupported", "浏览器缺少处置向导和名册所需的功能。");
      box.dataset.state = "unsupported";
      failed(box, `${missingText(missing, "处置向导和名册")}本站其他页面仍可阅读。`);
    } else {
      progressed(box);
      bootPyodide();
    }
  },
  (error) => fail("浏览器检查未能完成。", String(error)),
);
