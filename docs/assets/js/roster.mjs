// Roster page: UI glue only.  Every rule, header, value and message comes from the engine
// (decision/roster/, run in roster-worker.mjs); this file reads the chosen file, shows
// progress and renders what the worker returns.  Nothing is uploaded or stored.
import { missingFeatures, missingText } from "./browser-support.mjs";
import { failed, progressed, reason, started } from "./load-problem.mjs";
import { VirtualRows } from "./roster-table.mjs";
import { zhDate } from "./zh-date.mjs";

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
// The column mapping (列名对照): what the user chose for unrecognised columns and values.  The
// engine checks it (decision/roster/mapping.py); this page only collects the choices.
const MAPPING_FORMAT = "shilian-roster-columns";
let chosen = { columns: {}, values: {} };
const mappingText = () =>
  Object.keys(chosen.columns).length || Object.keys(chosen.values).length
    ? JSON.stringify({ format: MAPPING_FORMAT, version: 1, ...chosen }, null, 1)
    : "";

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
    setStatus("ready", "判断引擎已就绪。请选择名册文件。");
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
  } else if (msg.type === "csv-piece" || msg.type === "csv-end" || msg.type === "csv-failed") {
    exportMessage(msg);
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
  worker.postMessage(
    { id: running.id, buffer, filename: job.filename, asOf: asOfInput.value, mapping: mappingText() },
    [buffer],
  );
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
  setStatus("done", `已处理 ${data.total} 行（用时 ${seconds} 秒，评估日期 ${zhDate(data.as_of)}）。`, data.total, data.total);
}

function render() {
  const data = result;
  results.hidden = false;
  $("file-info").textContent =
    `文件：${data.filename}（${data.format === "xlsx" ? "Excel 工作簿" : "CSV，编码 " + data.encoding}），` +
    `共 ${data.total} 行；评估日期 ${zhDate(data.as_of)}。`;
  renderMapping(data);
  renderCounts(data);
  renderProblems(data);
  renderTable(data);
  renderReview(data);
}

function optionList(entries, selected) {
  return entries
    .map(([value, label]) => `<option value="${esc(value)}"${value === selected ? " selected" : ""}>${esc(label)}</option>`)
    .join("");
}

function renderMapping(data) {
  const targets = Object.entries(data.targets);
  const columns = data.unmapped.columns;
  const values = data.unmapped.values;
  const mappedColumns = Object.entries(chosen.columns);
  $("mapping").hidden = columns.length === 0 && values.length === 0 && mappedColumns.length === 0;
  const columnRows = [
    ...columns.map((c) => [c.header, `${c.letter} 列「${c.header}」`]),
    ...mappedColumns.filter(([h]) => !columns.some((c) => c.header === h)).map(([h]) => [h, `「${h}」（已对照）`]),
  ];
  $("mapping-columns").innerHTML = columnRows.length
    ? `<table class="roster-table roster-table--mapping"><thead><tr><th>无法识别的列</th><th>对应的事实</th></tr></thead><tbody>` +
      columnRows
        .map(
          ([header, shown]) =>
            `<tr><td>${esc(shown)}</td><td><select data-map-column="${esc(header)}" aria-label="${esc(shown)}对应的事实">` +
            optionList([["", "（未对照，保留原样）"], ["ignore", "不使用此列"], ...targets.map(([k, t]) => [k, t.label])], chosen.columns[header] || "") +
            `</select></td></tr>`,
        )
        .join("") +
      `</tbody></table>`
    : "";
  $("mapping-values").innerHTML = values
    .map((entry) => {
      const options = Object.entries(data.targets[entry.key].options);
      const mine = chosen.values[entry.key] || {};
      return (
        `<table class="roster-table roster-table--mapping"><caption>${esc(entry.letter)} 列「${esc(entry.header)}」中无法识别的值</caption>` +
        `<thead><tr><th>填写的值</th><th>行数</th><th>对应的选项</th></tr></thead><tbody>` +
        entry.values
          .map(
            (v) =>
              `<tr><td>${esc(v.value)}</td><td>${v.rows}</td><td><select data-map-key="${esc(entry.key)}" data-map-value="${esc(v.value)}" aria-label="「${esc(v.value)}」对应的选项">` +
              optionList([["", "（未对照，按缺少处理）"], ["unknown", "不确定"], ...options], mine[v.value] || "") +
              `</select></td></tr>`,
          )
          .join("") +
        `</tbody></table>`
      );
    })
    .join("");
}

function readMappingChoices() {
  for (const select of $("mapping").querySelectorAll("select[data-map-column]")) {
    if (select.value) chosen.columns[select.dataset.mapColumn] = select.value;
    else delete chosen.columns[select.dataset.mapColumn];
  }
  for (const select of $("mapping").querySelectorAll("select[data-map-key]")) {
    const table = (chosen.values[select.dataset.mapKey] ||= {});
    if (select.value) table[select.dataset.mapValue] = select.value;
    else delete table[select.dataset.mapValue];
    if (!Object.keys(table).length) delete chosen.values[select.dataset.mapKey];
  }
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
    (data.review
      ? `<option value="review-deviation">回头看：处置有偏差（${data.review.deviation}）</option>` +
        `<option value="review-follow_up">回头看：后续应办（${data.review.follow_up}）</option>`
      : "");
  select.value = [...select.options].some((o) => o.value === keep) ? keep : "";
}

function renderProblems(data) {
  const box = $("problems");
  const items = [
    ...data.errors.map((e) => {
      const who = e.label;
      return `<li>${who ? esc(who) + "，" : ""}第 ${e.row} 行${e.letter ? `，${esc(e.letter)} 列「${esc(e.header)}」` : ""}：${esc(e.reason_zh)}</li>`;
    }),
    ...data.warnings.map((w) => `<li>${esc(w.message_zh)}</li>`),
  ];
  items.push(
    ...data.issues.map(
      (e) =>
        `<li>${e.label ? esc(e.label) + "，" : ""}第 ${e.row} 行，${esc(e.letter)} 列「${esc(e.header)}」：${esc(e.reason_zh)}（按缺少该项处理）</li>`,
    ),
  );
  const unlisted = data.errors_total - data.errors.length + data.issues_total - data.issues.length;
  if (unlisted > 0) items.push(`<li>另有 ${unlisted} 处问题未在此列出，见下表各行的“数据问题”和导出的结果文件。</li>`);
  box.hidden = items.length === 0;
  $("problem-list").innerHTML = items.join("");
  $("problem-count").textContent =
    `${data.errors_total} 处数据有误，${data.warnings.length} 条列名提示，${data.issues_total} 个单元格无法识别（按缺少处理，见各行）`;
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
    (row.reason ? `<span class="roster-note">${esc(row.reason)}</span>` : "") +
    row.notes.map((note) => `<span class="roster-note">${esc(note)}</span>`).join("");
  const errors = row.errors.map((e) => `${e.letter ? esc(e.letter) + " 列：" : ""}${esc(e.reason_zh)}`).join("<br>");
  const unread = row.issues
    .map((e) => `<span class="roster-issue">${esc(e.letter)} 列「${esc(e.header)}」：${esc(e.reason_zh)}（按缺少处理）</span>`)
    .join("");
  const review = row.review
    ? `<span class="roster-review roster-review--${esc(row.review.state)}"><strong>${esc(result.review_labels[row.review.state])}</strong> ${esc(row.review.text)}</span>`
    : "";
  return (
    `<tr data-status="${esc(row.status)}"${row.review ? ` data-review="${esc(row.review.state)}"` : ""}>` +
    `<td data-label="党员" class="roster-person">${esc(row.label) || "（未填姓名）"}</td><td data-label="行号">${row.row}</td>` +
    `<td data-label="处置结果">${status}</td><td data-label="下一期限">${deadlineCell(row.next_deadline)}</td>` +
    `<td data-label="缺少的事实">${missing}${errors ? `<span class="roster-error">${errors}</span>` : ""}${unread}</td>` +
    `<td data-label="回头看">${review}</td><td data-label="依据">${citeLinks(row.citations)}</td></tr>`
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

const FLAGGED = ["deviation", "follow_up", "undetermined", "unreadable"];

function renderReview(data) {
  const box = $("review");
  if (!data.review) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const r = data.review;
  const labels = data.review_labels;
  $("review-summary").textContent =
    `文件 ${data.filename}，评估日期 ${zhDate(data.as_of)}。填写了原处置的 ${r.checked} 人中：` +
    `${labels.deviation} ${r.deviation} 人，${labels.follow_up} ${r.follow_up} 人，${labels.same} ${r.same} 人，` +
    `${labels.pending} ${r.pending} 人，${labels.undetermined} ${r.undetermined + r.unreadable} 人。`;
  $("review-pairs-wrap").hidden = r.pairs.length === 0;
  $("review-pairs").innerHTML = r.pairs
    .map((p) => `<tr><td>${esc(p.finding_label)}</td><td>${esc(p.past)}</td><td>${esc(p.now)}</td><td>${p.rows}</td></tr>`)
    .join("");
  $("review-empty").hidden = data.flagged_count > 0;
  reviewRows.reset();
}

function reviewRowHtml(row) {
  const state = esc(row.review.state);
  return (
    `<tr data-review="${state}"><td data-label="党员" class="roster-person">${esc(row.label)}</td><td data-label="行号">${row.row}</td>` +
    `<td data-label="原处置">${esc(row.review.past_label)}</td>` +
    `<td data-label="回头看"><span class="roster-review roster-review--${state}">${esc(result.review_labels[row.review.state])}</span></td>` +
    `<td data-label="说明">${esc(row.review.text)}</td><td data-label="依据">${citeLinks(row.citations)}</td></tr>`
  );
}

const reviewRows = new VirtualRows({
  tbody: $("review-tbody"),
  top: $("review-tbody-top"),
  bottom: $("review-tbody-bottom"),
  fetchPage: (offset, count) => fetchPage("review", offset, count),
  rowHtml: reviewRowHtml,
});

// The printed 回头看 report: counts by finding, then the members with each finding grouped by
// 党支部 (not every row), and the signature lines.  Page numbers come from the print CSS.
async function fetchAll(table) {
  const rows = [];
  for (;;) {
    const page = await fetchPage(table, rows.length, 500);
    rows.push(...page.rows);
    if (!page.rows.length || rows.length >= page.matched) return rows;
  }
}

async function buildReport(data) {
  const findings = await fetchAll("report");
  const unit = $("unit").value.trim();
  const labels = data.review_labels;
  const r = data.review;
  const section = (state, title) => {
    const rows = findings.filter((row) => row.review.state === state);
    if (!rows.length) return `<h2>${title}（无）</h2>`;
    const groups = new Map();
    for (const row of rows) {
      const key = row.branch || "（未填党支部）";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
    return (
      `<h2>${title}（${rows.length}人）</h2>` +
      [...groups.entries()]
        .sort((a, b) => a[0].localeCompare(b[0], "zh"))
        .map(
          ([branch, members]) =>
            `<h3>${esc(branch)}（${members.length}人）</h3><table class="roster-report-table"><thead><tr>` +
            `<th>姓名</th><th>名册行号</th><th>原处置</th><th>情况及依据</th></tr></thead><tbody>` +
            members
              .map(
                (row) =>
                  `<tr><td>${esc(row.name || row.label)}</td><td>${row.row}</td><td>${esc(row.review.past_label)}</td>` +
                  `<td>${esc(row.review.text)}${row.citations.length ? `（依据：${row.citations.map((c) => esc(data.paragraph_labels[c] || c)).join("、")}）` : ""}</td></tr>`,
              )
              .join("") +
            `</tbody></table>`,
        )
        .join("")
    );
  };
  $("report").innerHTML =
    `<h1>${esc(unit || "")}失联党员处置“回头看”情况报告</h1>` +
    `<p class="roster-report-meta">评估日期：${zhDate(data.as_of)}　名册：${esc(data.filename)}（共 ${data.total} 人，填写原处置 ${r.checked} 人）</p>` +
    `<table class="roster-report-table roster-report-counts"><thead><tr><th>回头看结论</th><th>人数</th></tr></thead><tbody>` +
    ["deviation", "follow_up", "same", "pending"]
      .map((state) => `<tr><td>${esc(labels[state])}</td><td>${r[state]}</td></tr>`)
      .join("") +
    `<tr><td>${esc(labels.undetermined)}</td><td>${r.undetermined + r.unreadable}</td></tr></tbody></table>` +
    section("deviation", `一、${labels.deviation}`) +
    section("follow_up", `二、${labels.follow_up}`) +
    `<p class="roster-report-note">说明：本报告由名册批量处理工具按通知逐人比对生成，结论仅供参考，以党组织研究决定为准；对把握不准的问题，请及时请示。</p>` +
    `<p class="roster-report-sign"><span>经办人：</span><span>审核人：</span><span>日期：　　　年　　月　　日</span></p>` +
    `<p class="roster-report-digest">规则版本 ${esc(data.rules_digest)}</p>`;
}

root.addEventListener("click", (event) => {
  const count = event.target.closest(".roster-count");
  if (count) {
    $("filter").value = count.dataset.code;
    renderTable();
  }
});
$("filter").addEventListener("change", () => result && renderTable());
$("soon").addEventListener("change", () => result && renderTable());

// 导出结果 streams: the worker sends the CSV as pieces (UTF-8, BOM first), each already a Blob made
// straight from the wasm heap (a Blob crosses to the page as a handle, its bytes are not copied);
// one Blob of the parts is downloaded.  The whole file is never a string, here or in the worker.
let exporting = null; // { request, parts, filename } while an export runs
let exports = 0;

$("export").addEventListener("click", () => {
  if (!result || exporting) return;
  exporting = { request: ++exports, parts: [], filename: result.filename };
  $("export").disabled = true;
  $("export-status").textContent = "导出中……";
  worker.postMessage({ type: "export", request: exporting.request });
});

function exportMessage(msg) {
  if (!exporting || msg.request !== exporting.request) return;
  if (msg.type === "csv-piece") {
    exporting.parts.push(msg.part);
    $("export-status").textContent = `导出中……已写出 ${msg.done} / ${msg.total} 行`;
    return;
  }
  const { parts, filename } = exporting;
  exporting = null;
  $("export").disabled = false;
  if (msg.type === "csv-end") {
    if (msg.wasmBytes) root.dataset.wasmBytes = String(msg.wasmBytes); // for the benchmark
    $("export-status").textContent = "";
    download(new Blob(parts, { type: "text/csv;charset=utf-8" }), filename);
  } else {
    console.warn("roster export:", msg.message); // English, for developers
    $("export-status").textContent = "导出未完成：判断引擎在生成结果文件时出现内部错误。请重新导出；如仍不行，请告知站点管理员。";
  }
}

function download(blob, filename) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${filename.replace(/\.[^.]*$/, "") || "名册"}-处置结果.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

// The printed 回头看 report is its own section (buildReport), not the virtualised list.
$("print-review").addEventListener("click", async () => {
  if (!result || !result.review) return;
  await buildReport(result);
  document.body.classList.add("roster-printing-review");
  window.print();
});

$("mapping-apply").addEventListener("click", () => {
  readMappingChoices();
  if (current) start(current);
});

$("mapping-save").addEventListener("click", () => {
  readMappingChoices();
  const blob = new Blob([mappingText() || JSON.stringify({ format: MAPPING_FORMAT, version: 1, columns: {}, values: {} })], {
    type: "application/json",
  });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "列名对照.json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
});

$("mapping-load").addEventListener("change", async () => {
  const file = $("mapping-load").files && $("mapping-load").files[0];
  if (!file) return;
  let doc = null;
  try {
    if (file.size <= 64 * 1024) doc = JSON.parse(new TextDecoder().decode(await readFile(file)));
  } catch {
    doc = null;
  }
  if (!doc || doc.format !== MAPPING_FORMAT || typeof doc.columns !== "object" || typeof doc.values !== "object") {
    showAlert("所选文件不是本工具保存的列名对照文件。");
    return;
  }
  chosen = { columns: doc.columns || {}, values: doc.values || {} };
  $("mapping-loaded").textContent = `已载入对照文件 ${file.name}。`;
  if (current) start(current);
});
window.addEventListener("afterprint", () => document.body.classList.remove("roster-printing-review"));
