// The decision wizard's page script: UI glue only.
//
// Every judgement comes from the `decision` engine (Python, in wizard-worker.mjs under
// Pyodide; the first question is rendered into the page at build time by the same engine).
// This file renders the question objects and outcomes it receives, keeps the answers in the
// URL fragment (contract fact keys), and builds the DOM with createElement/textContent only:
// nothing from the fragment, an imported file or the engine is ever parsed as markup.

const root = document.querySelector("[data-wizard]");
const data = JSON.parse(document.getElementById("wizard-data").textContent);
const NOTICE_URL = root.dataset.noticeUrl; // the notice page; paragraphs are `#p-…` on it
const DISPOSITIONS_URL = root.dataset.dispositionsUrl;
const LOAD_TIMEOUT_MS = 20000;
const MAX_FRAGMENT = 4000;

const QUESTIONS = new Map(data.questions.map((q) => [q.key, q]));
const BODIES = (data.vocabulary && data.vocabulary.bodies) || {};
const el = {
  status: root.querySelector("[data-wizard-status]"),
  statusText: root.querySelector("[data-wizard-status-text]"),
  progress: root.querySelector("[data-wizard-progress]"),
  alert: root.querySelector("[data-wizard-alert]"),
  summary: root.querySelector("[data-wizard-summary]"),
  step: root.querySelector("[data-wizard-step]"),
  result: root.querySelector("[data-wizard-result]"),
  tools: root.querySelector("[data-wizard-tools]"),
};

let engine = "loading"; // loading | ready | error (error: failed, or still loading after 20 s)
let failed = false; // the worker reported failure: it will never answer
let current = null; // the last view the engine returned for the current fragment
let editing = null; // fact key being changed through 修改
let userActed = false; // move focus only in answer to the user, never on page load
let seq = 0; // worker request ids
let viewSeq = 0; // fragment renderings: only the latest one is shown
let answerStarted = null;
const pending = new Map();

// ---------------------------------------------------------------- small DOM helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function noticeLink(pid, text) {
  const label = text || (current && current.paragraphs && current.paragraphs[pid] && current.paragraphs[pid].label) || pid;
  return h("a", { href: `${NOTICE_URL}#${encodeURIComponent(pid)}`, class: "wizard-cite" }, label);
}

function citeList(cites) {
  const out = [];
  (cites || []).forEach((pid, n) => {
    if (n) out.push("、");
    out.push(noticeLink(pid));
  });
  return out;
}

function localToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function zhDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : String(iso || "");
}

function bodyLabel(code) {
  return code ? BODIES[code] || code : "";
}

function valueToString(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------- the fragment

// A fragment that names an element of the page (Material's skip link and heading permalinks,
// `#_1`) is a jump within the page, not a case.
function isAnchor(raw) {
  if (!raw || raw.includes("=") || raw.length > 200) return false;
  try {
    return document.getElementById(decodeURIComponent(raw)) !== null;
  } catch {
    return false;
  }
}

let caseFragment = ""; // the last fragment that held a case (restored after an in-page jump)

function fragmentPairs() {
  const raw = location.hash.slice(1);
  if (isAnchor(raw)) return { pairs: [], tooLong: false };
  if (raw.length > MAX_FRAGMENT) return { pairs: [], tooLong: true };
  try {
    return { pairs: [...new URLSearchParams(raw)], tooLong: false };
  } catch {
    return { pairs: [], tooLong: true };
  }
}

function setFragment(facts) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(facts)) params.set(key, valueToString(value));
  const next = params.toString();
  root.dataset.pending = "true"; // until the engine's answer is shown (hashchange comes later)
  if (location.hash.slice(1) === next) update();
  else location.hash = next; // a history entry: the back button steps through answers
}

// The facts the next answer builds on: the engine's validated facts when it has judged the
// current fragment, otherwise (still loading) the fragment as written.
function baseFacts() {
  if (current) return { ...current.facts };
  const facts = {};
  for (const [key, value] of fragmentPairs().pairs) facts[key] = value;
  return facts;
}

// ---------------------------------------------------------------- the engine

// The worker was started first thing in <head> (overrides/wizard.html); start it here if that
// script did not run.  Messages it sent before this script ran wait in `early`.
const boot = window.__wizardBoot || {
  worker: new Worker(new URL(`./wizard-worker.mjs?v=${data.bundle.sha256}`, import.meta.url), { type: "module" }),
  early: [],
};
const worker = boot.worker;
// Seconds since the page started, beside the progress bar (not announced: the status is).
const elapsed = document.createElement("span");
elapsed.setAttribute("aria-hidden", "true");
elapsed.className = "wizard-elapsed";
el.status.append(elapsed);
const elapsedTimer = setInterval(() => {
  if (engine === "ready" || failed) {
    clearInterval(elapsedTimer);
    elapsed.remove();
  } else {
    elapsed.textContent = `${Math.round(performance.now() / 1000)} 秒`;
  }
}, 1000);
const loadTimer = setTimeout(() => {
  if (engine !== "loading") return;
  engine = "error"; // still loading: requests stay queued in the worker and are answered if it gets there
  setState("error");
  showLoadProblem("判断引擎加载已超过 20 秒仍未完成（网络较慢或浏览器版本过旧）。您可以继续等待，也可以先查阅");
}, LOAD_TIMEOUT_MS);

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
    const wasLate = engine === "error";
    engine = "ready";
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
worker.onmessage = onWorkerMessage;
worker.onerror = onWorkerError;
for (const [kind, event] of boot.early.splice(0)) (kind === "message" ? onWorkerMessage : onWorkerError)(event);

function engineFailed(error) {
  clearTimeout(loadTimer);
  engine = "error";
  failed = true;
  setState("error");
  console.warn("wizard: the engine failed to load:", error);
  el.progress.hidden = true;
  el.statusText.textContent = "判断引擎未能加载。";
  showLoadProblem(`判断引擎加载失败（${error}）。请使用较新版本的 Chrome、Edge 或 Firefox 通过网址访问本站，或查阅`);
  for (const request of pending.values()) request.reject(new Error(error));
  pending.clear();
  root.removeAttribute("data-pending");
}

function ask(request) {
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

function setState(state) {
  root.dataset.state = state;
}

// ---------------------------------------------------------------- messages

function clearAlert() {
  el.alert.hidden = true;
  el.alert.replaceChildren();
}

function showAlert(...children) {
  el.alert.replaceChildren(...children);
  el.alert.hidden = false;
}

function showLoadProblem(text) {
  showAlert(
    h("p", {}, text, h("a", { href: DISPOSITIONS_URL }, "各处置方式的说明页"), "。"),
  );
}

function showErrors(errors) {
  if (!errors || !errors.length) return;
  for (const error of errors) console.warn(`wizard: invalid input (${error.key}): ${error.message}`);
  showAlert(
    h("p", {}, "以下内容无效，已被忽略（其余回答保留）："),
    h("ul", {}, errors.map((error) => h("li", { "data-error-key": error.key ?? "" }, error.message_zh))),
    h("p", {}, "请重新回答相关问题，或", h("button", { type: "button", class: "wizard-linkbutton", onclick: restart }, "重新开始"), "。"),
  );
}

// ---------------------------------------------------------------- rendering

function renderQuestion(question, { value, editingKey } = {}) {
  // Same markup as build_scripts/wizard.py render_question (the prerendered first question).
  const qid = `wq-${question.key}`;
  const fieldset = h("fieldset", { "aria-describedby": question.hint ? `${qid}-hint` : null },
    h("legend", {}, h("h2", { id: `${qid}-title`, tabindex: "-1" }, question.text)));
  if (question.hint) fieldset.append(h("p", { class: "wizard-hint", id: `${qid}-hint` }, question.hint));
  if (question.type === "choice" || question.type === "bool") {
    const options = h("div", { class: "wizard-options" });
    (question.options || []).forEach((option, n) => {
      const input = h("input", { type: "radio", name: qid, id: `${qid}-${n}`, value: JSON.stringify(option.value) });
      if (value !== undefined && valueToString(option.value) === valueToString(value)) input.checked = true;
      options.append(h("label", { class: "wizard-option" }, input, " ", h("span", {}, option.label)));
    });
    fieldset.append(options);
  } else {
    const kind = question.type === "date" ? "date" : "number";
    const input = h("input", {
      type: kind,
      id: `${qid}-input`,
      name: qid,
      min: kind === "number" ? "0" : null,
      step: kind === "number" ? "1" : null,
      inputmode: kind === "number" ? "numeric" : null,
      required: true,
    });
    if (value !== undefined) input.value = valueToString(value);
    fieldset.append(
      h("label", { class: "wizard-field", for: `${qid}-input` }, question.name || question.text),
      input,
      h("div", { class: "wizard-preview", "data-wizard-preview": true, "aria-live": "polite" }),
    );
  }
  const form = h("form", { class: "wizard-question", method: "dialog", "data-question": question.key, novalidate: true }, fieldset);
  for (const alt of question.alternatives || []) {
    const other = QUESTIONS.get(alt);
    if (other) {
      form.append(h("p", { class: "wizard-alternative" },
        h("button", { type: "button", class: "wizard-linkbutton", "data-alternative": alt }, `改为回答：${other.text}`)));
    }
  }
  const cites = question.cites || [];
  if (cites.length) {
    form.append(
      h("p", { class: "wizard-why" },
        h("a", { class: "wizard-why-link", href: `${NOTICE_URL}#${encodeURIComponent(cites[0])}` }, "为什么问这个"),
        `：${question.why || ""}（依据：`, citeList(cites), "）"),
    );
  }
  const buttons = h("div", { class: "wizard-buttons" }, h("button", { type: "submit", class: "md-button md-button--primary" }, "下一步"));
  if (editingKey) buttons.append(" ", h("button", { type: "button", class: "md-button", "data-cancel-edit": true }, "取消"));
  form.append(buttons);
  return form;
}

function renderSummary(view) {
  const answered = view ? view.answered || [] : [];
  const unused = view ? view.unused || [] : [];
  el.summary.replaceChildren();
  if (!answered.length && !unused.length) {
    el.summary.hidden = true;
    return;
  }
  el.summary.hidden = false;
  el.summary.append(h("h2", { class: "wizard-summary-title" }, "已回答"));
  if (answered.length) {
    const list = h("ol", { class: "wizard-answers" });
    for (const item of answered) list.append(summaryItem(item));
    el.summary.append(list);
  }
  if (unused.length) {
    const complete = view && view.outcome && view.outcome.status === "complete";
    const more = h("ul", { class: "wizard-answers wizard-unused" });
    for (const item of unused) more.append(summaryItem(item));
    el.summary.append(
      h("p", { class: "wizard-note" }, complete ? "以下回答与本案的结论无关，未被使用：" : "以下回答已记录，需要时使用："),
      more,
    );
  }
}

function summaryItem(item) {
  return h("li", { "data-answer": item.key },
    h("span", { class: "wizard-answer-q" }, item.text), " ",
    h("strong", { class: "wizard-answer-a" }, item.value_label), " ",
    h("button", { type: "button", class: "wizard-linkbutton wizard-edit", "data-edit": item.key, "aria-label": `修改：${item.text}` }, "修改"));
}

// While the engine loads: show the fragment's answers with the labels the page embeds.
function pendingSummary(pairs) {
  const answered = pairs
    .filter(([key]) => key !== "as_of")
    .map(([key, raw]) => {
      const q = QUESTIONS.get(key);
      const option = q && (q.options || []).find((o) => valueToString(o.value) === raw);
      return { key, text: q ? q.text : key, value_label: option ? option.label : raw };
    });
  return { answered, unused: [] };
}

function renderStepsList(steps) {
  const list = h("ol", { class: "wizard-steps" });
  steps.forEach((step, n) => {
    const id = `wizard-step-${n}`;
    const by = step.by_label || bodyLabel(step.by);
    list.append(
      h("li", { class: "wizard-step-item", "data-step": step.id || n },
        h("div", { class: "wizard-step-line" },
          h("input", { type: "checkbox", id, class: "wizard-step-check" }),
          h("label", { for: id }, step.text)),
        by ? h("p", { class: "wizard-step-by" }, `负责：${by}`) : null,
        step.cites && step.cites.length ? h("p", { class: "wizard-step-cites screen-only" }, "依据：", citeList(step.cites)) : null,
        h("p", { class: "wizard-sign print-only" }, "经办人签字：", h("span", { class: "blank" }), "　日期：", h("span", { class: "blank short" }))),
    );
  });
  return list;
}

function renderResult(view) {
  const out = view.outcome;
  const labels = view.labels || {};
  const today = localToday();
  const r = el.result;
  r.replaceChildren();
  r.dataset.disposition = out.disposition;
  r.append(
    h("div", { class: "print-only wizard-print-head" },
      h("p", { class: "wizard-print-title" }, "失联党员组织处置工作清单"),
      h("p", { class: "wizard-fill" },
        "姓名：", h("span", { class: "blank" }), "　所在党支部：", h("span", { class: "blank long" }), "　日期：", h("span", { class: "blank short" }))),
    h("h2", { class: "wizard-result-title", tabindex: "-1" }, "处置方式：", h("span", { "data-disposition-label": true }, labels.disposition || out.disposition_label || out.disposition)),
  );
  const bodies = h("dl", { class: "wizard-bodies" });
  const addBody = (term, value) => {
    if (value && (!Array.isArray(value) || value.length)) {
      bodies.append(h("div", { class: "wizard-body" }, h("dt", {}, term), h("dd", {}, Array.isArray(value) ? value.join(" → ") : value)));
    }
  };
  addBody("作出决定", labels.decided_by);
  addBody("预审", labels.pre_review);
  addBody("审批", labels.approver);
  addBody("备案", labels.filed_with);
  addBody("评估日期", zhDate(view.as_of));
  r.append(bodies);
  if (labels.actions && labels.actions.length) {
    r.append(h("h3", {}, "相关工作"), h("ul", { class: "wizard-actions" }, labels.actions.map((a) => h("li", {}, a))));
  }
  if (out.steps && out.steps.length) {
    r.append(h("h3", {}, out.procedure_title ? `办理步骤：${out.procedure_title}` : "办理步骤"), renderStepsList(out.steps));
  }
  if (out.deadlines && out.deadlines.length) {
    r.append(h("h3", {}, "时限"),
      h("ul", { class: "wizard-deadlines" }, out.deadlines.map((d) => h("li", {}, `${d.what}：`, h("time", { datetime: d.date }, zhDate(d.date))))));
  }
  if (out.notes && out.notes.length) {
    r.append(h("h3", {}, "《通知》未作明确规定之处"),
      h("ul", { class: "wizard-notes" }, out.notes.map((note) => h("li", {}, note.text, note.cites && note.cites.length ? h("span", { class: "wizard-cites" }, "（", citeList(note.cites), "）") : null))));
  }
  if (out.findings && out.findings.length) {
    r.append(h("h3", {}, "为什么"),
      h("ol", { class: "wizard-findings" }, out.findings.map((f) => h("li", {}, f.text, f.cites && f.cites.length ? h("span", { class: "wizard-cites" }, "（", citeList(f.cites), "）") : null))));
  }
  if (view.optional && view.optional.length) r.append(renderOptional(view));
  const quotes = (view.quoted || []).filter((pid) => view.paragraphs && view.paragraphs[pid]);
  if (quotes.length) {
    const box = h("section", { class: "wizard-quotes" }, h("h3", {}, "所依据的《通知》原文"));
    for (const pid of quotes) {
      const p = view.paragraphs[pid];
      box.append(h("blockquote", { "data-paragraph": pid }, h("p", { class: "wizard-quote-label" }, p.label), h("p", {}, p.text)));
    }
    r.append(h("details", { class: "wizard-quotes-box screen-only" }, h("summary", {}, "查看所依据的《通知》原文"), box.cloneNode(true)), box);
    box.classList.add("print-only");
  }
  r.append(
    h("p", { class: "wizard-digest" },
      `依据：中共安庆市委组织部《关于做好与党组织失去联系党员规范管理和组织处置工作的通知》（2017年2月3日）。规则版本 ${view.digest}；打印日期 ${zhDate(today)}。本清单由处置向导生成，供参考，以党组织决定为准。`),
    h("div", { class: "wizard-result-buttons screen-only" },
      h("button", { type: "button", class: "md-button md-button--primary", onclick: () => window.print() }, "打印工作清单"), " ",
      h("button", { type: "button", class: "md-button", onclick: exportCase }, "导出案情（JSON）")),
  );
  r.hidden = false;
}

function renderOptional(view) {
  // Facts with a default (转移组织关系, 介绍信丢失, 原党支部是否存在) that matter for this outcome.
  const box = h("section", { class: "wizard-optional screen-only" },
    h("h3", {}, "其他情况（如与默认不同，请更改；结论会随之更新）"));
  for (const q of view.optional) {
    const known = q.key in view.facts ? view.facts[q.key] : q.default;
    const qid = `wizard-opt-${q.key}`;
    const group = h("fieldset", { class: "wizard-optional-q", "data-optional": q.key }, h("legend", {}, q.text));
    (q.options || []).forEach((option, n) => {
      const input = h("input", { type: "radio", name: qid, id: `${qid}-${n}`, value: JSON.stringify(option.value) });
      input.checked = valueToString(option.value) === valueToString(known);
      input.addEventListener("change", () => input.checked && answer(q.key, option.value));
      group.append(h("label", { class: "wizard-inline-option", for: `${qid}-${n}` }, input, " ", option.label));
    });
    box.append(group);
  }
  return box;
}

function renderTools() {
  const answered = current && current.answered ? current.answered : [];
  const hasFacts = current ? Object.keys(current.facts || {}).length > 0 : location.hash.length > 1;
  const asOf = current && current.as_of ? current.as_of : localToday();
  const asOfInput = h("input", { type: "date", id: "wizard-as-of", value: asOf, "data-as-of": true });
  asOfInput.addEventListener("change", () => {
    if (asOfInput.value) answer("as_of", asOfInput.value);
  });
  const fileInput = h("input", { type: "file", id: "wizard-import", accept: ".json,application/json", class: "wizard-file" });
  fileInput.addEventListener("change", () => importCase(fileInput));
  el.tools.replaceChildren(
    h("div", { class: "wizard-tool-row" },
      h("button", { type: "button", class: "md-button", disabled: !answered.length, onclick: stepBack, "data-back": true }, "上一步"), " ",
      h("button", { type: "button", class: "md-button", disabled: !hasFacts, onclick: restart, "data-restart": true }, "重新开始"), " ",
      h("button", { type: "button", class: "md-button", disabled: !current || !hasFacts, onclick: exportCase, "data-export": true }, "导出案情")),
    h("div", { class: "wizard-tool-row" },
      h("label", { for: "wizard-as-of" }, "评估日期（默认今天）："), asOfInput, " ",
      h("label", { for: "wizard-import" }, "导入案情（JSON 文件）："), fileInput),
  );
}

function focusHeading(container) {
  if (!userActed) return;
  const heading = container.querySelector("h2[tabindex]");
  if (heading) heading.focus();
}

function show(view) {
  current = view;
  clearAlert();
  showErrors(view.errors);
  renderSummary(view);
  el.result.hidden = true;
  el.step.hidden = false;
  if (!view.outcome) {
    el.step.replaceChildren();
    el.result.removeAttribute("data-disposition");
  } else if (editing) {
    const q = QUESTIONS.get(editing);
    el.step.replaceChildren(renderQuestion(q, { value: view.facts[editing], editingKey: editing }));
    focusHeading(el.step);
  } else if (view.outcome.status === "incomplete") {
    el.result.removeAttribute("data-disposition");
    const key = view.outcome.next_question;
    const shown = el.step.querySelector("form[data-question]");
    if (!(shown && shown.dataset.question === key && !userActed)) {
      el.step.replaceChildren(renderQuestion(view.outcome.question, { value: view.facts[key] }));
    }
    focusHeading(el.step);
  } else {
    el.step.replaceChildren();
    el.step.hidden = true;
    renderResult(view);
    focusHeading(el.result);
  }
  renderTools();
}

function showPending(pairs) {
  current = null;
  renderSummary(pendingSummary(pairs));
  el.result.hidden = true;
  el.step.hidden = false;
  el.step.replaceChildren(
    failed
      ? h("p", { class: "wizard-waiting" }, "判断引擎未能加载，无法继续判断。您的回答保留在网址中；请查阅",
        h("a", { href: DISPOSITIONS_URL }, "各处置方式的说明页"), "，或换用较新版本的浏览器后重新打开本页。")
      : h("p", { class: "wizard-waiting" }, "已记录您的回答。判断引擎加载完成后，将自动显示下一个问题或结论。"),
  );
  renderTools();
}

// ---------------------------------------------------------------- flow

async function update() {
  const mine = ++viewSeq;
  const { pairs, tooLong } = fragmentPairs();
  caseFragment = isAnchor(location.hash.slice(1)) ? caseFragment : location.hash.slice(1);
  if (tooLong) {
    root.removeAttribute("data-pending");
    show(data.first);
    showAlert(h("p", {}, "链接中的案情数据过长或格式有误，已忽略。请", h("button", { type: "button", class: "wizard-linkbutton", onclick: restart }, "重新开始"), "。"));
    return;
  }
  if (!pairs.length && engine !== "ready") {
    root.removeAttribute("data-pending");
    show(data.first); // rendered at build time by the same engine
    return;
  }
  if (failed) {
    root.removeAttribute("data-pending");
    showPending(pairs);
    return;
  }
  root.dataset.pending = "true";
  if (engine !== "ready") showPending(pairs);
  let view;
  try {
    view = await ask({ pairs });
  } catch {
    // The engine failed to load (already reported), or raised: a bug, logged by onWorkerMessage.
    if (mine === viewSeq && !failed) {
      root.removeAttribute("data-pending");
      showAlert(h("p", {}, "判断时出现内部错误，当前回答未能处理。请",
        h("button", { type: "button", class: "wizard-linkbutton", onclick: restart }, "重新开始"), "；如仍出现，请告知站点管理员。"));
    }
    return;
  }
  if (mine !== viewSeq) return; // a newer fragment is being judged
  root.removeAttribute("data-pending");
  show(view);
  if (answerStarted !== null) {
    performance.measure("wizard:answer", { start: answerStarted, end: performance.now() });
    answerStarted = null;
  }
}

function answer(key, value) {
  userActed = true;
  answerStarted = performance.now();
  const facts = baseFacts();
  // A question's `alternatives` are answered instead of it (最后联系日期 or 失联月数): keep one.
  for (const alt of (QUESTIONS.get(key) || {}).alternatives || []) delete facts[alt];
  facts[key] = value;
  editing = null;
  setFragment(facts);
}

function readForm(form) {
  const question = QUESTIONS.get(form.dataset.question);
  if (!question) return undefined;
  if (question.type === "choice" || question.type === "bool") {
    const checked = form.querySelector("input[type=radio]:checked");
    return checked ? JSON.parse(checked.value) : undefined;
  }
  const input = form.querySelector("input");
  if (!input.value) return undefined;
  return question.type === "int" && /^\d+$/.test(input.value) ? Number(input.value) : input.value;
}

root.addEventListener("submit", (event) => {
  const form = event.target.closest("form.wizard-question");
  if (!form) return;
  event.preventDefault();
  const value = readForm(form);
  if (value === undefined) {
    showAlert(h("p", {}, "请先选择或填写答案，再点“下一步”。"));
    const first = form.querySelector("input");
    if (first) first.focus();
    return;
  }
  answer(form.dataset.question, value);
});

function showEditor(key) {
  const q = QUESTIONS.get(key);
  if (!q) return;
  userActed = true;
  editing = key;
  if (current) show(current);
  else {
    el.step.replaceChildren(renderQuestion(q, { editingKey: key }));
    focusHeading(el.step);
  }
}

function cancelEdit() {
  editing = null;
  userActed = true;
  if (current) show(current);
}

function stepBack() {
  if (!current || !current.answered || !current.answered.length) return;
  userActed = true;
  editing = null;
  const last = current.answered[current.answered.length - 1].key;
  const facts = { ...current.facts };
  delete facts[last];
  setFragment(facts);
}

function restart() {
  userActed = true;
  editing = null;
  current = null;
  clearAlert();
  if (location.hash) history.pushState(null, "", location.pathname + location.search);
  if (engine === "ready") update();
  else show(data.first);
  focusHeading(el.step);
}

function exportCase() {
  if (!current) return;
  const caseFacts = { ...current.facts };
  if (current.as_of && !caseFacts.as_of) caseFacts.as_of = current.as_of;
  const out = current.outcome || {};
  const doc = {
    format: "shilian-case",
    version: 1,
    case: caseFacts,
    result: {
      status: out.status,
      disposition: out.disposition || null,
      disposition_label: out.disposition_label || null,
      next_question: out.next_question || null,
    },
    rules_digest: current.digest,
    exported: localToday(),
  };
  const blob = new Blob([JSON.stringify(doc, null, 2) + "\n"], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: `失联党员案情-${caseFacts.as_of || localToday()}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function importCase(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  userActed = true;
  if (engine !== "ready") {
    showAlert(h("p", {}, "判断引擎尚未加载完成，请稍后再导入。"));
    return;
  }
  if (file.size > 100000) {
    showAlert(h("p", {}, "文件过大，不是本向导导出的案情文件。当前案情未改变。"));
    return;
  }
  // The engine reads the file's text as `python -m decision decide` does (decision/case_file.py):
  // JSON.parse here would turn 1e400 into null ("not answered") and keep one of two duplicate keys.
  let view;
  try {
    view = await ask({ op: "import", text: await file.text() });
  } catch {
    showAlert(h("p", {}, "导入失败：判断时出现内部错误。当前案情未改变。"));
    return;
  }
  if (view.refused) {
    for (const error of view.errors) console.warn(`wizard: import refused: ${error.message}`);
    showAlert(h("p", {}, `导入失败：${view.errors.map((error) => error.message_zh).join("；")}。当前案情未改变。`));
    return;
  }
  if (view.errors && view.errors.length) {
    showErrors(view.errors);
    el.alert.prepend(h("p", {}, "导入失败，当前案情未改变。"));
    return;
  }
  editing = null;
  setFragment(view.facts);
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("button[data-edit], button[data-alternative], button[data-cancel-edit]");
  if (!target) return;
  if (target.dataset.edit) showEditor(target.dataset.edit);
  else if (target.dataset.alternative) showEditor(target.dataset.alternative);
  else cancelEdit();
});

// A date or a month count: show what the engine computes from it (months out of contact, the
// end of the two years ...) before the user commits the answer.
let previewSeq = 0;
root.addEventListener("change", async (event) => {
  const input = event.target;
  const form = input.closest && input.closest("form.wizard-question");
  if (!form || !(input.type === "date" || input.type === "number")) return;
  const box = form.querySelector("[data-wizard-preview]");
  if (!box || engine !== "ready") return;
  const mine = ++previewSeq;
  let result;
  try {
    result = await ask({ op: "preview", pairs: fragmentPairs().pairs, key: form.dataset.question, value: input.value });
  } catch {
    return; // the preview is a convenience; answering still reports any problem
  }
  if (mine !== previewSeq || !box.isConnected) return;
  box.replaceChildren(
    ...(result.findings || []).map((f) => h("p", {}, f.text)),
    result.error ? h("p", { class: "wizard-preview-error" }, result.error) : "",
  );
});

window.addEventListener("hashchange", () => {
  const raw = location.hash.slice(1);
  if (isAnchor(raw)) {
    // The browser has scrolled to the element; put the case back into the address bar.
    history.replaceState(null, "", `${location.pathname}${location.search}${caseFragment ? `#${caseFragment}` : ""}`);
    return;
  }
  editing = null;
  update();
});

// Start: render what the fragment says (the prerendered first question stays when it is empty).
update();
performance.mark("wizard:first-question");
root.dataset.interactive = "true";
