// Environment check (环境自检): first the browser's features (browser-support.mjs: the list and
// the minimum versions are build_scripts/pages/browser_floor.yaml), then, if none is missing, boot the
// vendored Pyodide in a module worker and run one line of Python.  Proves the offline pipeline end
// to end (npm -> build -> served files -> browser).
import { FEATURES, FLOOR_ZH, missingFeatures, missingText } from "./browser-support.mjs";

const box = document.getElementById("env-check");
const list = document.getElementById("env-check-features");
let worker = null;
let timer = null;

function finish(state, text) {
  clearTimeout(timer);
  box.dataset.state = state;
  box.textContent = text;
  if (worker) worker.terminate();
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
  timer = setTimeout(() => finish("error", "加载超过 20 秒仍未完成，请检查部署（见下方说明）。"), 20000);
  worker = new Worker(new URL("./env-check-worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = (event) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (event.data.ok) finish("ready", `运行环境正常：Python ${event.data.version}（用时 ${seconds} 秒）`);
    else finish("error", `运行环境加载失败：${event.data.error}`);
  };
  worker.onerror = (event) => finish("error", `运行环境加载失败：${event.message || "脚本错误"}`);
}

missingFeatures().then(
  (missing) => {
    showFeatures(missing);
    if (missing.length) {
      box.dataset.missing = missing.map((f) => f.id).join(" ");
      finish("unsupported", `${missingText(missing, "处置向导和名册")}本站其他页面仍可阅读。`);
    } else {
      box.textContent = `浏览器功能齐全（${FLOOR_ZH} 或更高版本均可）。正在加载 Python 运行环境……`;
      bootPyodide();
    }
  },
  (error) => finish("error", `浏览器检查失败：${error}`),
);
