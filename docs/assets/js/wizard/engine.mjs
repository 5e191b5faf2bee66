// The connection to the engine: the Web Worker (wizard-worker.mjs) that runs the `decision`
// package under Pyodide.  Loading progress goes to the status line; requests are answered
// through promises (`ask`).

import { missingFeatures, missingText } from "../browser-support.mjs";
import { failed, progressed, reason, started } from "../load-problem.mjs";
import { h } from "./dom.mjs";
import { showAlert, showPending } from "./render.mjs";
import { actions, data, el, fragmentPairs, localToday, root, state } from "./state.mjs";

// A load that stalls is the page's watchdog's to report (assets/js/watchdog.js: no progress for a
// while -> a message with the ways on; it goes again once loading moves).
let worker = null;
let seq = 0; // worker request ids
const pending = new Map();

function setState(value) {
  root.dataset.state = value;
}

// The worker was started first thing in <head> (overrides/wizard.html); start it here if that
// script did not run.  Messages it sent before this script ran wait in `early`.  `worker` stays
// null if this browser could not start it (checkBrowser says why).
function startWorker() {
  try {
    return { worker: new Worker(new URL(`../wizard-worker.mjs?v=${data.bundle.sha256}&s=${data.bundle.snapshot}`, import.meta.url), { type: "module" }), early: [] };
  } catch (error) {
    return { worker: null, early: [], error };
  }
}

export function startEngine() {
  started(root);
  const boot = window.__wizardBoot || startWorker();
  worker = boot.worker;
  checkBrowser(boot);
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
  if (!worker) return;
  worker.onmessage = onWorkerMessage;
  worker.onerror = onWorkerError;
  for (const [kind, event] of boot.early.splice(0)) (kind === "message" ? onWorkerMessage : onWorkerError)(event);
}

// A browser older than the engine needs is told so at once, by name of what it lacks, and sent to
// the pages that work without the engine (build_scripts/pages/browser_floor.yaml).
function checkBrowser(boot) {
  missingFeatures().then((missing) => {
    if (!missing.length) {
      if (!worker) engineFailed(String(boot.error), { kind: "worker" }); // could not start, for a reason the checks do not know
      return;
    }
    if (worker) worker.terminate();
    engineFailed(missingText(missing, "处置向导"), { unsupported: true });
  });
}

// The engine's first download as this server sends it: compressed if it compressed this page
// (the build measured both sizes: build_scripts/pages/wizard.py download_megabytes).
function downloadMegabytes() {
  const page = performance.getEntriesByType("navigation")[0];
  const compressed = page && page.encodedBodySize > 0 && page.encodedBodySize < page.decodedBodySize;
  return compressed ? data.download.gzip : data.download.raw;
}

function onWorkerMessage(event) {
  const message = event.data;
  if (message.type === "progress") {
    performance.mark(`wizard:stage-${message.stage}`); // for benchmarks/wizard_load.py
    progressed(root);
    el.progress.value = message.stage;
    el.progress.max = message.of;
    el.statusText.textContent =
      message.stage < 2
        ? `正在加载 Python 运行环境（首次打开需下载约 ${downloadMegabytes()} MB）……您可以先回答第一个问题。`
        : "正在加载判断规则……";
  } else if (message.type === "ready") {
    if (state.failed) return;
    state.engine = "ready";
    setState("ready");
    el.progress.hidden = true;
    el.statusText.textContent = "判断引擎已就绪。";
    root.dataset.engineBoot = message.boot || ""; // snapshot | plain: for the tests and benchmarks/wizard_load.py
    // The worker's own stage times, on the page's clock (benchmarks/wizard_load.py prints them).
    const times = message.times || {};
    const shift = (times.origin || performance.timeOrigin) - performance.timeOrigin;
    const worker = Object.fromEntries(Object.entries(times).filter(([k]) => k !== "origin").map(([k, v]) => [k, v + shift]));
    performance.mark("wizard:ready", { detail: { worker, unpack: message.unpack || "" } });
    if (actions.engineReady) actions.engineReady();
  } else if (message.type === "failed") {
    engineFailed(message.error, { kind: message.kind });
  } else {
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (request && message.type === "error") request.reject(new Error(message.error));
    if (message.type === "error" && message.fatal) engineDied(message.error);
    if (!request) return;
    if (message.type === "error") {
      console.error("wizard engine:", message.error);
    } else {
      request.resolve(JSON.parse(message.json));
    }
  }
}

function onWorkerError(event) {
  engineFailed(event.message || "worker script error", { kind: "worker" });
}

function engineFailed(error, { unsupported = false, kind = "other" } = {}) {
  if (state.failed && !unsupported) return; // reported already; only the browser check may say more
  state.engine = "error";
  state.failed = true;
  setState("error");
  el.progress.hidden = true;
  el.statusText.textContent = "判断引擎未能加载。";
  if (unsupported) root.dataset.unsupported = "true";
  if (unsupported) failed(root, error);
  else failed(root, `处置向导无法使用：${reason(kind)}`, error);
  for (const request of pending.values()) request.reject(new Error(error));
  pending.clear();
  root.removeAttribute("data-pending");
  const { pairs } = fragmentPairs();
  if (!state.current && pairs.length) showPending(pairs); // "waiting for the engine" becomes "it will not come"
}

// The engine stopped for good after it had loaded (Pyodide's fatal error): say so, once, and
// offer a reload; the answers are in the URL fragment, so the reloaded page resumes the case.
function engineDied(error) {
  if (state.failed) return;
  state.engine = "error";
  state.failed = true;
  state.died = true;
  setState("error");
  console.warn("wizard: the engine stopped:", error);
  el.statusText.textContent = "判断引擎已停止工作。";
  showAlert(
    h("p", {}, "判断引擎出现严重错误，已停止工作，当前页面无法继续判断。您的回答保留在网址中，请",
      h("button", { type: "button", class: "wizard-linkbutton", "data-wizard-reload": "", onclick: () => location.reload() }, "重新加载本页"),
      "后继续。"),
  );
  for (const request of pending.values()) request.reject(new Error(error));
  pending.clear();
  root.removeAttribute("data-pending");
}

export function ask(request) {
  if (state.died) return Promise.reject(new Error("the engine has stopped"));
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
    if (worker) worker.postMessage({ id, request: { ...request, today: localToday() } });
  });
}
