// Environment check: boots the vendored Pyodide in a module worker and runs one line of
// Python.  Proves the offline pipeline end to end (npm -> build -> served files -> browser).
const box = document.getElementById("env-check");
const worker = new Worker(new URL("./env-check-worker.mjs", import.meta.url), { type: "module" });
const started = performance.now();
const timer = setTimeout(() => finish("error", "加载超过 20 秒仍未完成，请检查部署（见下方说明）。"), 20000);

function finish(state, text) {
  clearTimeout(timer);
  box.dataset.state = state;
  box.textContent = text;
  worker.terminate();
}

worker.onmessage = (event) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (event.data.ok) finish("ready", `运行环境正常：Python ${event.data.version}（用时 ${seconds} 秒）`);
  else finish("error", `运行环境加载失败：${event.data.error}`);
};
worker.onerror = (event) => finish("error", `运行环境加载失败：${event.message || "脚本错误"}`);
