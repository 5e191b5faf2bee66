// The paper of a result: the printed checklist (title by kind, blanks, steps with 经办人 lines and
// the 意见/盖章 boxes of the bodies the procedure names, the quoted paragraphs, the rules version),
// the document drafts (A4, one per sheet) and the 一人一档 archive sheet (cover, 纪实 table,
// 材料目录).  What each holds comes from the engine (decision/documents, through the bridge's
// `paper` in the view and the `paper` operation); this module lays it out.  The root's
// data-print says which of the three a print job shows (wizard.css).

import { bodyLabel, citeList, h, zhDate } from "./dom.mjs";
import { localToday, root, state } from "./state.mjs";

const BLANK = "＿＿＿＿";

function fillLine(label, value, cls = "") {
  return [label, value ? h("span", { class: "filled" }, value) : h("span", { class: `blank ${cls}`.trim() })];
}

export function printHead(view) {
  const paper = view.paper || {};
  const record = state.record || {};
  return h("div", { class: "print-only wizard-print-head" },
    h("p", { class: "wizard-print-title" }, paper.title || "失联党员处置工作清单"),
    h("p", { class: "wizard-fill" },
      ...fillLine("姓名：", record.name), "　", ...fillLine("所在党支部：", record.branch, "long"),
      "　评估日期：", h("span", { class: "filled" }, zhDate(view.as_of))));
}

function signoffBox(box) {
  return h("div", { class: "wizard-signoff print-only", "data-signoff": box.body },
    h("p", { class: "wizard-signoff-head" }, `${box.opinion}：`),
    h("p", { class: "wizard-signoff-line" }, box.seal
      ? [h("span", { class: "wizard-seal" }, box.seal), "　负责人（签字）：", h("span", { class: "blank" }), "　", "年　　月　　日"]
      : ["签字：", h("span", { class: "blank" }), "　", "年　　月　　日"]));
}

// Steps: a checkbox each on screen; on paper a 经办人 line each and, where the step is a body's
// decision, that body's 意见 and 盖章 box.
export function renderStepsList(steps, paper) {
  const boxes = new Map(((paper && paper.steps) || []).map((s, n) => [s.id || String(n), s.signoff]));
  const list = h("ol", { class: "wizard-steps" });
  steps.forEach((step, n) => {
    const id = `wizard-step-${n}`;
    const by = step.by_label || bodyLabel(step.by);
    const box = boxes.get(step.id || String(n));
    list.append(
      h("li", { class: "wizard-step-item", "data-step": step.id || n },
        h("div", { class: "wizard-step-line" },
          h("input", { type: "checkbox", id, class: "wizard-step-check" }),
          h("label", { for: id }, step.text)),
        by ? h("p", { class: "wizard-step-by" }, `负责：${by}`) : null,
        step.cites && step.cites.length ? h("p", { class: "wizard-step-cites screen-only" }, "依据：", citeList(step.cites)) : null,
        h("p", { class: "wizard-sign print-only" }, "经办人签字：", h("span", { class: "blank" }), "　日期：", h("span", { class: "blank short" })),
        box ? signoffBox(box) : null),
    );
  });
  return list;
}

// Bodies the procedure names that no step names, and the head of the branch, sign last.
export function closingBoxes(view) {
  const paper = view.paper;
  if (!paper) return null;
  return h("section", { class: "wizard-closing print-only" },
    ...(paper.closing || []).map(signoffBox),
    h("p", { class: "wizard-head-sign" }, `${paper.head.signer}：`, h("span", { class: "blank" }), "　", paper.head.seal, "　日期：", h("span", { class: "blank short" })));
}

// The notice's text of every paragraph the outcome quotes: folded on screen, printed in full.
export function quotedParagraphs(view) {
  const quotes = (view.quoted || []).filter((pid) => view.paragraphs && view.paragraphs[pid]);
  if (!quotes.length) return [];
  const box = h("section", { class: "wizard-quotes" }, h("h3", {}, "所依据的《通知》原文"));
  for (const pid of quotes) {
    const p = view.paragraphs[pid];
    box.append(h("blockquote", { "data-paragraph": pid }, h("p", { class: "wizard-quote-label" }, p.label), h("p", {}, p.text)));
  }
  const folded = h("details", { class: "wizard-quotes-box screen-only" }, h("summary", {}, "查看所依据的《通知》原文"), box.cloneNode(true));
  box.classList.add("print-only");
  return [folded, box];
}

export function printFooter(view) {
  return h("p", { class: "wizard-digest" },
    `依据：中共安庆市委组织部《关于做好与党组织失去联系党员规范管理和组织处置工作的通知》（2017年2月3日）。规则版本 ${view.digest}；打印日期 ${zhDate(localToday())}。本清单由处置向导生成，供参考，以党组织决定为准。`);
}

// Print one kind of paper: the checklist (default), the drafts or the archive sheet.
export function printAs(kind) {
  root.dataset.print = kind;
  const reset = () => {
    if (kind !== "checklist") root.dataset.print = "checklist";
    window.removeEventListener("afterprint", reset);
  };
  window.addEventListener("afterprint", reset);
  window.print();
}

export function printButton() {
  return h("button", { type: "button", class: "md-button md-button--primary", "data-print-checklist": true, onclick: () => printAs("checklist") }, "打印工作清单");
}

// ---------------------------------------------------------------- document drafts (A4)

export function draftSheets(drafts) {
  return h("section", { class: "wizard-drafts-print print-only", "data-drafts-print": true },
    ...drafts.map((d) => h("article", { class: "wizard-draft", "data-draft": d.id },
      h("p", { class: "wizard-draft-mark" }, d.mark),
      h("h1", { class: "wizard-draft-title" }, d.title),
      d.to ? h("p", { class: "wizard-draft-to" }, `${d.to}：`) : null,
      ...d.paragraphs.map((text) => h("p", { class: "wizard-draft-p" }, text)),
      h("p", { class: "wizard-draft-sender" }, d.sender),
      h("p", { class: "wizard-draft-date" }, d.date),
      d.note ? h("p", { class: "wizard-draft-note" }, d.note) : null)));
}

// ---------------------------------------------------------------- 一人一档 archive sheet

export function archiveSheet(view, record) {
  const out = view.outcome;
  const labels = view.labels || {};
  const steps = out.steps || [];
  const rec = record || {};
  const done = rec.steps || {};
  const materials = [];
  for (const step of steps) for (const m of (done[step.id] || {}).materials || []) materials.push([m, done[step.id].date]);
  const meeting = rec.meeting || {};
  const count = (v) => (v === null || v === undefined || v === "" ? BLANK : String(v));
  const signature = { signed: "本人已签字", refused: "本人拒不签字", unable: "本人因故不能签字" }[meeting.signature] || BLANK;
  return h("section", { class: "wizard-archive print-only", "data-archive-print": true },
    h("div", { class: "wizard-archive-cover" },
      h("p", { class: "wizard-archive-kicker" }, "一人一档"),
      h("h1", { class: "wizard-archive-title" }, `${(view.paper && view.paper.title || "失联党员处置工作清单").replace(/工作清单$/, "")}纪实档案`),
      h("table", { class: "wizard-archive-fields" }, h("tbody", {},
        ...[["党员姓名", rec.name], ["所在党支部", rec.branch], ["基层党委", rec.basic_committee], ["上一级党委组织部门", rec.upper_org],
          ["处置方式", labels.disposition], ["办理程序", out.procedure_title], ["评估日期", zhDate(view.as_of)], ["建档日期", ""]]
          .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v || BLANK)))))),
    h("h2", { class: "wizard-archive-h" }, "办理纪实"),
    h("table", { class: "wizard-archive-table" },
      h("thead", {}, h("tr", {}, ...["序号", "办理步骤", "负责", "完成日期", "经办人", "形成材料", "说明"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...steps.map((step, n) => {
        const d = done[step.id] || {};
        return h("tr", { "data-archive-step": step.id },
          h("td", {}, String(n + 1)), h("td", {}, step.text), h("td", {}, step.by_label || bodyLabel(step.by)),
          h("td", {}, d.date ? zhDate(d.date) : ""), h("td", {}, d.by || ""), h("td", {}, (d.materials || []).join("、")), h("td", {}, d.note || ""));
      }))),
    h("p", { class: "wizard-archive-meeting" },
      `党员大会：应到${count(meeting.expected)}名，实到${count(meeting.present)}名；表决结果：同意${count(meeting.for)}票，不同意${count(meeting.against)}票，弃权${count(meeting.abstain)}票；${signature}`,
      meeting.branch_note ? `（党支部注明：${meeting.branch_note}）` : "", meeting.guide ? `；到会指导：${meeting.guide}` : ""),
    h("p", {}, `通知本人：${rec.notified && rec.notified.date ? zhDate(rec.notified.date) : BLANK}；宣布方式：${(rec.notified && rec.notified.manner) || BLANK}`),
    rec.support ? h("p", {}, `帮扶记录：${rec.support}`) : null,
    h("h2", { class: "wizard-archive-h" }, "材料目录"),
    h("table", { class: "wizard-archive-table" },
      h("thead", {}, h("tr", {}, ...["序号", "材料名称", "形成日期", "页数", "备注"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...(materials.length ? materials : [["", ""], ["", ""], ["", ""]]).map(([m, date], n) =>
        h("tr", { "data-archive-material": m ? true : null }, h("td", {}, String(n + 1)), h("td", {}, m), h("td", {}, date ? zhDate(date) : ""), h("td", {}, ""), h("td", {}, ""))))),
    h("p", { class: "wizard-head-sign" }, "立卷人（签字）：", h("span", { class: "blank" }), "　审核人（签字）：", h("span", { class: "blank" }), "　日期：", h("span", { class: "blank short" })));
}
