// The connection to the engine: the Web Worker (wizard-worker.mjs) that runs the `decision`
// package under Pyodide.  Loading progress goes to the status line; requests are answered
// through promises (`ask`).

import { clearAlert, showLoadProblem } from "./render.mjs";
import { data, el, localToday, root, state } from "./state.mjs";

const LOAD_TIMEOUT_MS = 20000;

let worker = null;
let loadTimer = null;
let seq = 0; // worker request ids
const pending = new Map();

function setState(value) {
  root.dataset.state = value;
}

// The worker was started first thing in <head> (overrides/wizard.html); start it here if that
// script did not run.  Messages it sent before this script ran wait in `early`.
export function startEngine() {
  const boot = window.__wizardBoot || {
    worker: new Worker(new URL(`../wizard-worker.mjs?v=${data.bundle.sha256}`, import.meta.url), { type: "module" }),
    early: [],
  };
  worker = boot.worker;
  // Seconds since the page started, beside the progress bar (not announced: the status is).
  const elapsed = document.createElement("span");
  elapsed.setAttribute("aria-hidden", "true");
  elapsed.className = "wizard-elapsed";
  el.status.append(elapsed);
  const elapsedTimer = setInterval(() => {
    if (state.engine === "ready" || state.failed) {
      clearInterval(elapsedTimer);
      elapsed.remove();
    } else {
      elapsed.textContent = `${Math.round(performance.now() / 1000)} 秒`;
    }
  }, 1000);
  loadTimer = setTimeout(() => {
    if (state.engine !== "loading") return;
    state.engine = "error"; // still loading: requests stay queued in the worker and are answered if it gets there
    setState("error");
    showLoadProblem("判断引擎加载已超过 20 秒仍未完成（网络较慢或浏览器版本过旧）。您可以继续等待，也可以先查阅");
  }, LOAD_TIMEOUT_MS);
  worker.onmessage = onWorkerMessage;
  worker.onerror = onWorkerError;
  for (const [kind, event] of boot.early.splice(0)) (kind === "message" ? onWorkerMessage : onWorkerError)(event);
}

function onWorkerMessage(event) {
  const message = event.data;
  if (message.type === "progress") {
    performance.mark(`wizard:stage-${message.stage}`); // for benchmarks/wizard_load.py
    el.progress.value = message.stage;
    el.progress.max = message.of;
    el.statusText.textContent =
      message.stage < 2
        ? "正在加载 Python 运行环境（首次打开需下载约 14 MB）……您可以先回答第一个问题。"
        : "正在加载判断规则……";
  } else if (message.type === "ready") {
    clearTimeout(loadTimer);
    const wasLate = state.engine === "error";
    state.engine = "ready";
    setState("ready");
    el.progress.hidden = true;
    el.statusText.textContent = `判断引擎已就绪（规则版本 ${data.digest}）。`;
    if (wasLate) clearAlert();
    performance.mark("wizard:ready");
  } else if (message.type === "failed") {
    engineFailed(message.error);
  } else {
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (!request) return;
    if (message.type === "error") {
      console.error("wizard engine:", message.error);
      request.reject(new Error(message.error));
    } else {
      request.resolve(JSON.parse(message.json));
    }
  }
}

function onWorkerError(event) {
  engineFailed(event.message || "worker script error");
}

function engineFailed(error) {
  clearTimeout(loadTimer);
  state.engine = "error";
  state.failed = true;
  setState("error");
  console.warn("wizard: the engine failed to load:", error);
  el.progress.hidden = true;
  el.statusText.textContent = "判断引擎未能加载。";
  showLoadProblem(`判断引擎加载失败（${error}）。请使用较新版本的 Chrome、Edge 或 Firefox 通过网址访问本站，或查阅`);
  for (const request of pending.values()) request.reject(new Error(error));
  pending.clear();
  root.removeAttribute("data-pending");
}

export function ask(request) {
  const id = ++seq;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: (value) => {
        performance.measure("wizard:engine", { start: started, end: performance.now() });
        resolve(value);
      },
      reject,
    });
    worker.postMessage({ id, request: { ...request, today: localToday() } });
  });
}
