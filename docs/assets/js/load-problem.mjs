// What the wizard, the roster and 环境自检 tell the page's watchdog (assets/js/watchdog.js, a classic
// script that runs even where these modules cannot): that the page script runs, that loading moves
// on, and why the engine failed, in Chinese.  The watchdog shows the failure with the ways on (the
// disposition pages, the flowchart, another browser, the portable package, the administrator) in a
// box that no page script clears.  The English detail goes to the console, for developers.

// Why the engine could not load, by the kind its worker reports (worker-guard.mjs) or "worker"
// when the worker itself could not start.
const REASONS = {
  download: "判断引擎所需的文件未能下载（服务器上缺少文件，或网络中断）。",
  "wasm-type": "服务器发送判断引擎的 WebAssembly 程序文件时，文件类型设置不对（应为 application/wasm）。",
  csp: "浏览器不允许本页运行 WebAssembly 程序：浏览器版本过旧，或服务器的安全策略设置缺少对 WebAssembly 的许可。",
  wasm: "浏览器未能编译判断引擎的 WebAssembly 程序（程序文件损坏，或浏览器缺少所需功能）。",
  worker: "判断引擎的后台程序未能启动（服务器上缺少文件、文件类型设置不对，或浏览器版本过旧）。",
  other: "判断引擎启动时出错。",
};

export function reason(kind) {
  return REASONS[kind] || REASONS.other;
}

// The page script runs: the watchdog stops waiting for it.
export function started(root) {
  root.dataset.script = "running";
  for (const status of document.querySelectorAll("[data-watchdog-status]")) status.hidden = false;
}

// Loading moved on (a stage, a message from the worker): the watchdog's stall clock restarts.
export function progressed(root) {
  root.dataset.progress = String((Number(root.dataset.progress) || 0) + 1);
}

// The engine will not come: say why, once, where nothing clears it.  `detail` (English) is logged.
export function failed(root, text, detail) {
  if (detail) console.warn("engine failed to load:", detail);
  root.dataset.state = root.dataset.state === "unsupported" ? "unsupported" : "error";
  if (window.__watchdog) {
    window.__watchdog.fail(text);
    return;
  }
  // No watchdog (its file missing): the text alone, in the same box.
  const box = document.querySelector("[data-load-problem]");
  if (box) {
    box.textContent = text;
    box.hidden = false;
  }
}
