// The loading watchdog of the wizard, the roster and 环境自检: a classic script in old syntax (ES5,
// no modules, no build step), loaded right after the page's engine area and before its page
// script, so that it runs in browsers that cannot parse the page script (Chromium below 94 and the
// IE core of dual-core browsers), and when that script is missing or refused (HTTP 404, a wrong
// MIME type, the served build opened from files).  It turns
//
// - an error loading or parsing the page's own scripts (assets/js/…), or no sign of them after
//   START seconds,
// - no loading progress for STALL seconds while the page still says it is loading,
//
// into one plain Chinese message with the ways on (the disposition pages and their printable
// checklists, the flowchart, another browser, the portable package, 环境自检, the administrator).
// Page scripts report their own failures through `window.__watchdog.fail(text)`
// (assets/js/load-problem.mjs), so every page says it the same way and no script wipes it.
//
// The page marks what it does on the element with `data-watchdog` (its name: wizard, roster,
// check): `data-script` once its script runs, `data-progress` changed at each loading step,
// `data-state` (loading, then ready or error/unsupported).  Links come from that element's
// data-*-url attributes, so the portable build's link rewriting covers them.  Tests shorten the
// stall time with `window.__watchdogSeconds` set before the page loads (never through the URL).
(function () {
  "use strict";
  var root = document.querySelector("[data-watchdog]");
  var box = document.querySelector("[data-load-problem]");
  if (!root || !box) return;
  var WHAT = { wizard: "处置向导", roster: "名册批量处理", check: "环境自检" }[root.getAttribute("data-watchdog")] || "本页";
  var test = Number(window.__watchdogSeconds) || 0;
  var START = Number(root.getAttribute("data-watchdog-start")) || 15; // script errors are seen at once

  var STALL = test || Number(root.getAttribute("data-watchdog-stall")) || 25;
  var FLOOR = root.getAttribute("data-floor") || "较新版本";
  var LOADING = { loading: true, running: false };
  var shown = ""; // "" | "slow" | "failed"
  var guessed = false; // the failure shown is "no sign of the page script yet": taken back if it starts
  var began = now();
  var lastProgress = null;
  var lastChange = began;

  function now() {
    return new Date().getTime();
  }

  function url(name) {
    return root.getAttribute("data-" + name + "-url");
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.appendChild(document.createTextNode(text));
    return a;
  }

  function paragraph(parts) {
    var p = document.createElement("p");
    for (var i = 0; i < parts.length; i++) {
      p.appendChild(typeof parts[i] === "string" ? document.createTextNode(parts[i]) : parts[i]);
    }
    return p;
  }

  // What works without the engine, and where to turn.
  function waysOn() {
    var parts = ["不使用判断引擎也可以办理："];
    if (url("dispositions")) parts.push(link(url("dispositions"), "各处置方式的说明页"), "（每种处置一页，含可打印的办理清单）");
    if (url("flowchart")) parts.push("和", link(url("flowchart"), "处置流程图"));
    parts.push("都可以直接阅读和打印。也可以换用 " + FLOOR + " 或更高版本的浏览器");
    if (url("portable")) parts.push("，使用", link(url("portable"), "免安装版"));
    if (url("check") && root.getAttribute("data-watchdog") !== "check") parts.push("，到", link(url("check"), "环境自检"), "页检查浏览器");
    parts.push("，或请站点管理员协助。");
    return paragraph(parts);
  }

  function statusText() {
    var status = document.querySelector("[data-watchdog-status]");
    if (!status) return "";
    return (status.querySelector("[data-watchdog-status-text]") || status).textContent;
  }
  var firstStatus = statusText();

  function setStatus(text) {
    var status = document.querySelector("[data-watchdog-status]");
    if (!status) return;
    var target = status.querySelector("[data-watchdog-status-text]") || status;
    target.textContent = text;
  }

  // Hidden while a message stands; those it hid come back when loading moves again.
  var hid = [];
  function progressBars(hidden) {
    if (!hidden) {
      for (var j = 0; j < hid.length; j++) hid[j].hidden = false;
      hid = [];
      return;
    }
    var bars = document.querySelectorAll("[data-watchdog-status] progress");
    for (var i = 0; i < bars.length; i++) {
      if (!bars[i].hidden) {
        bars[i].hidden = true;
        hid.push(bars[i]);
      }
    }
  }

  function show(kind, text) {
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(paragraph([text]));
    box.appendChild(waysOn());
    box.hidden = false;
    box.setAttribute("data-kind", kind);
    shown = kind === "slow" ? "slow" : "failed";
    root.setAttribute("data-watchdog-state", shown);
    progressBars(true);
  }

  // A failure: said once, and never taken back (a later, more specific one replaces it).
  function fail(text, kind) {
    guessed = false;
    show(kind || "failed", text);
    setStatus(WHAT + "无法使用。");
    if (LOADING[root.getAttribute("data-state")] !== undefined) root.setAttribute("data-state", "error");
  }

  function scriptFailed(late) {
    if (shown === "failed" || root.getAttribute("data-script")) return;
    var text;
    if (document.documentMode || typeof Promise === "undefined") {
      text = "浏览器正在使用兼容模式（IE 内核），无法运行" + WHAT + "。请切换到极速模式（地址栏右侧的图标），或换用其他浏览器。";
    } else if (location.protocol === "file:" && !window.__portableData) {
      text = "这是服务器版的文件，直接双击打开时" + WHAT + "无法运行。没有服务器时请使用免安装版（先解压，再双击其中的 index.html），或通过网址访问本站。";
    } else {
      text =
        WHAT + "的程序未能在此浏览器中运行：浏览器版本可能过旧（需要 " + FLOOR +
        " 或更高版本），也可能是服务器上的文件缺失或类型设置不对。";
    }
    fail(text, "script");
    guessed = !!late;
  }

  function ownScript(src) {
    // The page's own scripts (modules, or the portable build's bundles of them); not this file nor
    // the theme's search helper, whose failure leaves the engine alone.
    return (
      typeof src === "string" &&
      src.indexOf("/assets/js/") >= 0 &&
      src.indexOf("watchdog.js") < 0 &&
      src.indexOf("search-lazy.js") < 0
    );
  }

  // A page script that fails to load (404, wrong type, refused) fires `error` on its element; one
  // that fails to parse fires an ErrorEvent on the window before it ever runs.
  window.addEventListener(
    "error",
    function (event) {
      var target = event.target;
      if (target && target.tagName === "SCRIPT" && ownScript(target.src)) scriptFailed();
      else if (event.filename && ownScript(event.filename) && !root.getAttribute("data-script")) scriptFailed();
    },
    true
  );

  function tick() {
    var state = root.getAttribute("data-state");
    var progress = root.getAttribute("data-progress") + "|" + state;
    var t = now();
    if (guessed && root.getAttribute("data-script")) {
      // The page script was only late (a very busy computer): it runs, and reports for itself.
      guessed = false;
      shown = "slow"; // cleared just below, as a slow notice is once loading moves
      setStatus(firstStatus);
      if (root.getAttribute("data-state") === "error") root.setAttribute("data-state", "loading");
      lastProgress = null;
    }
    if (progress !== lastProgress) {
      lastProgress = progress;
      lastChange = t;
      if (shown === "slow") {
        // Moving again: the notice goes, the page's own status comes back.
        box.hidden = true;
        shown = "";
        root.removeAttribute("data-watchdog-state");
        progressBars(false);
      }
    }
    if (shown === "failed") return;
    if (!root.getAttribute("data-script")) {
      if (t - began >= START * 1000) scriptFailed(true);
      return;
    }
    if (state === "error" || state === "unsupported") {
      progressBars(true); // the page said why; no spinner stays beside it
    } else if (LOADING[state] && shown !== "slow" && t - lastChange >= STALL * 1000) {
      var seconds = Math.round((t - lastChange) / 1000);
      show(
        "slow",
        WHAT + "已有 " + seconds + " 秒没有加载进展（网络较慢、电脑较忙，或浏览器不支持）。本页仍在继续加载，加载完成后会自动继续；您也可以先看下面的办法。"
      );
      setStatus("加载较慢，仍在等待……");
    }
  }

  // Visible only where JavaScript runs: without it the page shows its <noscript> notice alone.
  var statuses = document.querySelectorAll("[data-watchdog-status]");
  for (var i = 0; i < statuses.length; i++) statuses[i].hidden = false;

  window.__watchdog = {
    fail: function (text) {
      fail(text, "page");
    },
  };
  setInterval(tick, 500);
})();
