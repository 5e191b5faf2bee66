// Roster page: UI glue only.  Every rule, header, value and message comes from the engine
// (decision/roster/, run in roster-worker.mjs); this file reads the chosen file, shows
// progress and renders what the worker returns.  Nothing is uploaded or stored.
import { missingFeatures, missingText } from "./browser-support.mjs";
import { failed, progressed, reason, started } from "./load-problem.mjs";
import { VirtualRows } from "./roster-table.mjs";

const root = document.getElementById("roster");
started(root);
const found = new Map();
const $ = (name) => {
  if (!found.has(name)) found.set(name, root.querySelector(`[data-roster-${name}]`));
  return found.get(name);
};
const input = $("file");
const asOfInput = $("as-of");
const statusBox = $("status");
const statusText = $("status-text");
const progressBar = $("progress");
const alertBox = $("alert");
const results = $("results");
const MAX_BYTES = Number(root.dataset.maxBytes);

let engineReady = false;
let fatal = false; // the engine will not load: said once (load-problem.mjs), kept for every later file
let queued = null;
let current = null; // { data, filename }
let running = null; // the latest job sent to the worker: older results are dropped
let jobs = 0;

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
asOfInput.value = asOfInput.value || today();

const esc = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function setStatus(state, text, value, max) {
  root.dataset.state = state;
  statusText.textContent = text;
  if (value === undefined) {
    progressBar.hidden = true;
  } else {
    progressBar.hidden = false;
    progressBar.max = max;
    progressBar.value = value;
  }
}

function showAlert(text) {
  alertBox.textContent = text;
  alertBox.hidden = !text;
}

const worker = startWorker();

// A browser without module workers may throw here; the check below then says what it lacks.
function startWorker() {
  try {
    return new Worker(new URL("./roster-worker.mjs", import.meta.url), {
      type: "module",
      name: JSON.stringify({
        bundle: new URL(root.dataset.bundle, document.baseURI).href,
        snapshot: new URL(root.dataset.snapshot, document.baseURI).href,
      }),
    });
  } catch (error) {
    return { postMessage() {}, terminate() {}, error };
  }
}

// The engine will not come: the status says so for good, the watchdog's box says why and what to do.
function engineFailed(text, detail) {
  if (fatal) return;
  fatal = true;
  engineReady = false;
  queued = null;
  worker.terminate();
  setStatus("error", "判断引擎未能加载，无法处理名册文件。");
  failed(root, text, detail);
}

missingFeatures().then((missing) => {
  if (missing.length) engineFailed(missingText(missing, "名册批量处理"));
  else if (worker.error) engineFailed(`名册批量处理无法使用：${reason("worker")}`, String(worker.error));
});
const loadStarted = performance.now();
setStatus("loading", "正在加载判断引擎……可以先选择文件。", 0, 1);
progressBar.removeAttribute("value"); // indeterminate while the engine loads

worker.onerror = (event) => {
  engineFailed(`名册批量处理无法使用：${reason("worker")}`, event.message || "worker script error");
};

worker.onmessage = (event) => {
  const msg = event.data;
  if ((msg.type === "progress" || msg.type === "result") && (!running || msg.id !== running.id)) return;
  if (fatal) return;
  if (msg.type === "loading") {
    progressed(root);
  } else if (msg.type === "ready") {
    engineReady = true;
    root.dataset.engineMs = String(Math.round(performance.now() - loadStarted));
    root.dataset.digest = msg.digest;
    root.dataset.engineBoot = msg.boot; // snapshot | plain: for the tests and the benchmark
    setStatus("ready", `判断引擎已就绪（规则版本 ${msg.digest}）。请选择名册文件。`);
    if (queued) {
      const job = queued;
      queued = null;
      start(job);
    }
  } else if (msg.type === "progress") {
    setStatus("running", `正在处理：${msg.done} / ${msg.total} 行`, msg.done, msg.total);
  } else if (msg.type === "page") {
    const resolve = pageRequests.get(msg.request);
    pageRequests.delete(msg.request);
    if (resolve) resolve(JSON.parse(msg.json));
  } else if (msg.type === "csv") {
    download(msg.text);
  } else if (msg.type === "result") {
    root.dataset.runMs = String(Math.round(msg.ms));
    if (msg.wasmBytes) root.dataset.wasmBytes = String(msg.wasmBytes);
    finish(JSON.parse(msg.json), msg.ms);
  } else if (msg.type === "fatal") {
    engineFailed(`名册批量处理无法使用：${reason(msg.kind)}`, msg.message);
  } else if (msg.type === "error") {
    // An error outside the engine's own handling (decision.roster.worker catches the rest): the
    // user gets a plain message, the developer the detail on the console (not as an error).
    console.warn("roster worker:", msg.message);
    results.hidden = true;
    setStatus("done", "文件无法处理。");
    showAlert("文件未能处理：判断引擎在读取此文件时出现内部错误，结果未生成。请把文件另存为 CSV 后重试；如仍不行，请告知站点管理员。");
  }
};

function start(job) {
  if (fatal) {
    setStatus("error", "判断引擎未能加载，无法处理名册文件。");
    return;
  }
  if (!engineReady) {
    queued = job;
    setStatus("loading", "已读取文件，等待判断引擎加载完成……");
    return;
  }
  setStatus("running", "正在处理……", 0, 1);
  running = { ...job, id: ++jobs, started: performance.now() };
  // A copy goes to the worker: the original stays here for a re-run with another date.
  const buffer = job.data.slice(0);
  worker.postMessage({ id: running.id, buffer, filename: job.filename, asOf: asOfInput.value }, [buffer]);
}

input.addEventListener("change", async () => {
  showAlert("");
  results.hidden = true;
  running = null; // a result still on its way is for the previous file
  const file = input.files && input.files[0];
  if (!file) return;
  if (file.size > MAX_BYTES) {
    // Not read at all; the message is the engine's (decision.roster.TOO_BIG_ZH), put in the page by the build.
    current = null;
    setStatus("done", "文件无法处理。");
    showAlert(root.dataset.tooBig.replace("{size}", (file.size / 1024 / 1024).toFixed(1)));
    return;
  }
  let data;
  try {
    data = await readFile(file);
  } catch (error) {
    console.warn("roster: cannot read the file:", error);
    setStatus("done", "文件无法处理。");
    showAlert("无法读取所选文件（可能已被移动、删除或没有读取权限）。请重新选择文件。");
    return;
  }
  current = { data, filename: file.name };
  start(current);
});

asOfInput.addEventListener("change", () => {
  if (current && asOfInput.value) start(current);
});

// FileReader (not fetch): the file is read locally, never sent anywhere.
function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

let result = null;

function finish(data, ms) {
  if (!data.ok) {
    if (data.message) console.info("roster:", data.message); // English, for developers
    result = null;
    results.hidden = true;
    setStatus("done", "文件无法处理。");
    showAlert(data.message_zh);
    return;
  }
  result = data;
  render();
  const total = performance.now() - running.started;
  root.dataset.totalMs = String(Math.round(total));
  const seconds = (total / 1000).toFixed(1);
  setStatus("done", `已处理 ${data.total} 行（用时 ${seconds} 秒，评估日期 ${data.as_of}）。`, data.total, data.total);
}

function render() {
  const data = result;
  results.hidden = false;
  $("file-info").textContent =
    `文件：${data.filename}（${data.format === "xlsx" ? "Excel 工作簿" : "CSV，编码 " + data.encoding}），` +
    `共 ${data.total} 行；评估日期 ${data.as_of}；规则版本 ${data.rules_digest}。`;
  renderCounts(data);
  renderProblems(data);
  renderTable(data);
  renderReview(data);
}

function renderCounts(data) {
  const entries = Object.entries(data.counts).sort((a, b) => b[1] - a[1]);
  $("counts").innerHTML = entries
    .map(
      ([code, n]) =>
        `<li><button type="button" class="roster-count" data-code="${esc(code)}">${esc(data.count_labels[code] || code)}<strong>${n}</strong></button></li>`,
    )
    .join("");
  const missing = Object.entries(data.missing);
  $("missing").hidden = missing.length === 0;
  $("missing").textContent = `缺少事实的行需补充：${missing.map(([fact, n]) => `「${fact}」${n} 行`).join("，")}。`;
  $("soon-count").textContent = String(data.soon_count);
  const select = $("filter");
  const keep = select.value;
  select.innerHTML =
    `<option value="">全部（${data.total}）</option>` +
    entries.map(([code, n]) => `<option value="${esc(code)}">${esc(data.count_labels[code] || code)}（${n}）</option>`).join("") +
    (data.review ? `<option value="review-differs">回头看不一致（${data.review.differs}）</option>` : "");
  select.value = [...select.options].some((o) => o.value === keep) ? keep : "";
}

function renderProblems(data) {
  const box = $("problems");
  const items = [
    ...data.errors.map((e) => `<li>第 ${e.row} 行${e.letter ? `，${esc(e.letter)} 列「${esc(e.header)}」` : ""}：${esc(e.reason_zh)}</li>`),
    ...data.warnings.map((w) => `<li>${esc(w.message_zh)}</li>`),
  ];
  const unlisted = data.errors_total - data.errors.length;
  if (unlisted > 0) items.push(`<li>另有 ${unlisted} 处数据有误未在此列出，见下表各行的“数据问题”和导出的结果文件。</li>`);
  box.hidden = items.length === 0;
  $("problem-list").innerHTML = items.join("");
  $("problem-count").textContent = `${data.errors_total} 处数据有误，${data.warnings.length} 条列名提示`;
}

// The tables' rows stay in the worker; each table asks for the rows in view (roster-table.mjs).
const pageRequests = new Map();
let pageRequestId = 0;
function fetchPage(table, offset, count) {
  const request = ++pageRequestId;
  const filter = table === "main" ? $("filter").value : "";
  const soon = table === "main" && $("soon").checked;
  return new Promise((resolve) => {
    pageRequests.set(request, resolve);
    worker.postMessage({ type: "page", request, table, filter, soon, offset, count });
  });
}

function deadlineCell(d) {
  if (!d) return "";
  const when = d.days < 0 ? `已逾期 ${-d.days} 天` : d.days === 0 ? "今天" : `${d.days} 天后`;
  return `${esc(d.what)}<br><span class="roster-date">${esc(d.date)}（${when}）</span>`;
}

function citeLinks(cites) {
  const url = root.dataset.noticeUrl;
  return cites.map((pid) => `<a href="${esc(url)}#${esc(pid)}">${esc(result.paragraph_labels[pid] || pid)}</a>`).join("、");
}

function rowHtml(row) {
  const status = esc(result.count_labels[row.disposition || row.status]);
  const missing =
    (row.next_question_label ? `需补充「${esc(row.next_question_label)}」` : "") +
    row.notes.map((note) => `<span class="roster-note">${esc(note)}</span>`).join("");
  const errors = row.errors.map((e) => `${e.letter ? esc(e.letter) + " 列：" : ""}${esc(e.reason_zh)}`).join("<br>");
  const review = row.review ? `<span class="roster-review roster-review--${esc(row.review.state)}">${esc(row.review.text)}</span>` : "";
  return (
    `<tr data-status="${esc(row.status)}"${row.review ? ` data-review="${esc(row.review.state)}"` : ""}>` +
    `<td>${row.row}</td><td>${esc(row.label)}</td><td>${status}</td><td>${deadlineCell(row.next_deadline)}</td>` +
    `<td>${missing}${errors ? `<span class="roster-error">${errors}</span>` : ""}</td>` +
    `<td>${review}</td><td>${citeLinks(row.citations)}</td></tr>`
  );
}

const mainRows = new VirtualRows({
  tbody: $("tbody"),
  top: $("tbody-top"),
  bottom: $("tbody-bottom"),
  fetchPage: (offset, count) => fetchPage("main", offset, count),
  rowHtml,
  onMatched: (matched) => {
    $("shown").textContent =
      matched === result.total ? `显示全部 ${result.total} 行` : `符合条件 ${matched} 行（共 ${result.total} 行）`;
  },
});

function renderTable() {
  mainRows.reset();
}

function renderReview(data) {
  const box = $("review");
  if (!data.review) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const r = data.review;
  $("review-summary").textContent =
    `文件 ${data.filename}，评估日期 ${data.as_of}，规则版本 ${data.rules_digest}。填写了原处置结果的 ${r.checked} 行中：` +
    `与通知一致 ${r.same} 行，不一致 ${r.differs} 行，无法比对 ${r.undetermined + r.unreadable} 行。`;
  $("review-pairs-wrap").hidden = r.pairs.length === 0;
  $("review-pairs").innerHTML = r.pairs
    .map((p) => `<tr><td>${esc(p.past)}</td><td>${esc(p.now)}</td><td>${p.rows}</td></tr>`)
    .join("");
  $("review-empty").hidden = data.flagged_count > 0;
  reviewRows.reset();
}

function reviewRowHtml(row) {
  return (
    `<tr data-review="${esc(row.review.state)}"><td>${row.row}</td><td>${esc(row.label)}</td><td>${esc(row.review.past_label)}</td>` +
    `<td>${esc(result.count_labels[row.disposition || row.status])}</td>` +
    `<td>${esc(row.review.text)}</td><td>${citeLinks(row.citations)}</td></tr>`
  );
}

const reviewRows = new VirtualRows({
  tbody: $("review-tbody"),
  top: $("review-tbody-top"),
  bottom: $("review-tbody-bottom"),
  fetchPage: (offset, count) => fetchPage("review", offset, count),
  rowHtml: reviewRowHtml,
});

root.addEventListener("click", (event) => {
  const count = event.target.closest(".roster-count");
  if (count) {
    $("filter").value = count.dataset.code;
    renderTable();
  }
});
$("filter").addEventListener("change", () => result && renderTable());
$("soon").addEventListener("change", () => result && renderTable());

$("export").addEventListener("click", () => {
  if (result) worker.postMessage({ type: "export" });
});

function download(csvText) {
  // The text starts with U+FEFF: Blob writes it as the UTF-8 BOM that Excel needs.
  const blob = new Blob([csvText], { type: "text/csv;charset=utf-8" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${result.filename.replace(/\.[^.]*$/, "") || "名册"}-处置结果.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// The 回头看 list prints whole: every flagged row is drawn first (an explicit request), and the
// virtualised window comes back after printing.
$("print-review").addEventListener("click", async () => {
  if (!(await reviewRows.renderAll())) return;
  document.body.classList.add("roster-printing-review");
  window.print();
});
window.addEventListener("afterprint", () => {
  if (!document.body.classList.contains("roster-printing-review")) return;
  document.body.classList.remove("roster-printing-review");
  reviewRows.reset();
});
