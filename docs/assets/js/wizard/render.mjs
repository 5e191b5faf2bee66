// Rendering: the question form, the answers so far, the outcome, the tools row and the alerts,
// all from the view objects the engine returns (or, while it loads, from the page's embedded
// questions).  Buttons call the flow through `actions` (filled in by main.mjs).

import { citeList, h, zhDate } from "./dom.mjs";
import { closingBoxes, printButton, printFooter, printHead, quotedParagraphs, renderStepsList } from "./print.mjs";
import { documentsSection, recordSection } from "./record.mjs";
import { actions, DISPOSITIONS_URL, el, localToday, NOTICE_URL, QUESTIONS, state, valueToString } from "./state.mjs";

// ---------------------------------------------------------------- messages

export function clearAlert() {
  el.alert.hidden = true;
  el.alert.replaceChildren();
}

export function showAlert(...children) {
  el.alert.replaceChildren(...children);
  el.alert.hidden = false;
}

export function restartButton() {
  return h("button", { type: "button", class: "wizard-linkbutton", onclick: () => actions.restart() }, "重新开始");
}

export function showErrors(errors) {
  if (!errors || !errors.length) return;
  for (const error of errors) console.warn(`wizard: invalid input (${error.key}): ${error.message}`);
  showAlert(
    h("p", {}, "以下内容无效，已被忽略（其余回答保留）："),
    h("ul", {}, errors.map((error) => h("li", { "data-error-key": error.key ?? "" }, error.message_zh))),
    h("p", {}, "请重新回答相关问题，或", restartButton(), "。"),
  );
}

// ---------------------------------------------------------------- rendering

export function renderQuestion(question, { value, editingKey } = {}) {
  // Same markup as build_scripts/pages/wizard.py render_question (the prerendered first question).
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
      return { key, text: q ? q.text : key, value_label: option ? option.label : zhDate(raw) };
    });
  return { answered, unused: [] };
}

let resultSeq = 0; // renderings of a result: only the latest one gets its lower part

function renderResult(view) {
  const out = view.outcome;
  const labels = view.labels || {};
  const r = el.result;
  r.replaceChildren();
  r.dataset.disposition = out.disposition;
  r.append(
    printHead(view),
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
    r.append(h("h3", {}, out.procedure_title ? `办理步骤：${out.procedure_title}` : "办理步骤"), renderStepsList(out.steps, view.paper), closingBoxes(view) || "");
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
    r.append(h("h3", {}, "认定依据"),
      h("ol", { class: "wizard-findings" }, out.findings.map((f) => h("li", {}, f.text, f.cites && f.cites.length ? h("span", { class: "wizard-cites" }, "（", citeList(f.cites), "）") : null))));
  }
  if (view.optional && view.optional.length) r.append(renderOptional(view));
  r.append(...quotedParagraphs(view));
  r.append(
    printFooter(view),
    h("div", { class: "wizard-result-buttons screen-only" },
      printButton(), " ",
      h("button", { type: "button", class: "md-button", onclick: () => actions.exportCase() }, "保存案情")),
  );
  r.hidden = false;
  // Below the fold and not on the printed checklist: the 纪实 form (with its archive sheet) and
  // the drafts (which ask the engine for their list).  Added once the result has been painted,
  // unless the result has been redrawn or replaced meanwhile.
  const mine = ++resultSeq;
  requestAnimationFrame(() => setTimeout(() => {
    if (mine !== resultSeq || state.current !== view || r.hidden) return;
    r.append(...recordSection(view), ...documentsSection(view));
    performance.mark("wizard:result-complete");
  }, 0));
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
      input.addEventListener("change", () => input.checked && actions.answer(q.key, option.value));
      group.append(h("label", { class: "wizard-inline-option", for: `${qid}-${n}` }, input, " ", option.label));
    });
    box.append(group);
  }
  return box;
}

function renderTools() {
  const current = state.current;
  const answered = current && current.answered ? current.answered : [];
  const hasFacts = current ? Object.keys(current.facts || {}).length > 0 : location.hash.length > 1;
  const asOf = current && current.as_of ? current.as_of : localToday();
  const asOfInput = h("input", { type: "date", id: "wizard-as-of", value: asOf, "data-as-of": true });
  asOfInput.addEventListener("change", () => {
    if (asOfInput.value) actions.answer("as_of", asOfInput.value);
  });
  const fileInput = h("input", { type: "file", id: "wizard-import", accept: ".json,application/json", class: "wizard-file" });
  fileInput.addEventListener("change", () => actions.importCase(fileInput));
  el.tools.replaceChildren(
    h("div", { class: "wizard-tool-row" },
      h("button", { type: "button", class: "md-button", disabled: !answered.length, onclick: () => actions.stepBack(), "data-back": true }, "上一步"), " ",
      h("button", { type: "button", class: "md-button", disabled: !hasFacts, onclick: () => actions.restart(), "data-restart": true }, "重新开始"), " ",
      h("button", { type: "button", class: "md-button", disabled: !current || !hasFacts, onclick: () => actions.exportCase(), "data-export": true }, "保存案情")),
    h("div", { class: "wizard-tool-row" },
      h("label", { for: "wizard-as-of" }, "评估日期（默认今天）："), asOfInput, " ",
      h("label", { for: "wizard-import" }, "打开案情（此前保存的案情文件）："), fileInput),
  );
}

export function focusHeading(container) {
  if (!state.userActed) return;
  const heading = container.querySelector("h2[tabindex]");
  if (!heading) return;
  // No scrolling focus: it would force a layout in the middle of the answer's rendering.  The
  // heading is scrolled into view, if it is out of it, with the next frame's own layout.
  heading.focus({ preventScroll: true });
  requestAnimationFrame(() => {
    const box = heading.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) heading.scrollIntoView({ block: "nearest" });
  });
}

export function show(view) {
  state.current = view;
  clearAlert();
  showErrors(view.errors);
  if (state.notice) {
    showAlert(h("p", { "data-notice": true }, state.notice));
    state.notice = null;
  }
  renderSummary(view);
  el.result.hidden = true;
  el.step.hidden = false;
  let focusIn = null; // where the heading to focus is: focused after every write (one layout)
  if (!view.outcome) {
    el.step.replaceChildren();
    el.result.removeAttribute("data-disposition");
  } else if (state.editing) {
    const q = QUESTIONS.get(state.editing);
    el.step.replaceChildren(renderQuestion(q, { value: view.facts[state.editing], editingKey: state.editing }));
    focusIn = el.step;
  } else if (view.outcome.status === "incomplete") {
    el.result.removeAttribute("data-disposition");
    const key = view.outcome.next_question;
    const shown = el.step.querySelector("form[data-question]");
    if (!(shown && shown.dataset.question === key && !state.userActed)) {
      el.step.replaceChildren(renderQuestion(view.outcome.question, { value: view.facts[key] }));
    }
    focusIn = el.step;
  } else {
    el.step.replaceChildren();
    el.step.hidden = true;
    renderResult(view);
    focusIn = el.result;
  }
  renderTools();
  if (focusIn) focusHeading(focusIn);
}

export function showPending(pairs) {
  state.current = null;
  renderSummary(pendingSummary(pairs));
  el.result.hidden = true;
  el.step.hidden = false;
  el.step.replaceChildren(
    state.died
      ? h("p", { class: "wizard-waiting" }, "判断引擎已停止工作。您的回答保留在网址中，请重新加载本页后继续。")
      : state.failed
      ? h("p", { class: "wizard-waiting" }, "判断引擎未能加载，无法继续判断（原因和其他办法见上方）。您的回答保留在网址中；请查阅",
        h("a", { href: DISPOSITIONS_URL }, "各处置方式的说明页"), "，或换用较新版本的浏览器后重新打开本页。")
      : h("p", { class: "wizard-waiting" }, "已记录您的回答。判断引擎加载完成后，将自动显示下一个问题或结论。"),
  );
  renderTools();
}
