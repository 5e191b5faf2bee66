// The printed 工作清单: the parts of a result that make it a paper checklist (a head with blanks
// to fill in, steps with signature lines, the quoted paragraphs, the rules version and date).
// wizard.css's print-only / screen-only classes choose what each medium shows.

import { bodyLabel, citeList, h, zhDate } from "./dom.mjs";
import { localToday } from "./state.mjs";

export function printHead() {
  return h("div", { class: "print-only wizard-print-head" },
    h("p", { class: "wizard-print-title" }, "失联党员组织处置工作清单"),
    h("p", { class: "wizard-fill" },
      "姓名：", h("span", { class: "blank" }), "　所在党支部：", h("span", { class: "blank long" }), "　日期：", h("span", { class: "blank short" })));
}

// Steps: a checkbox each on screen, a signature line each on paper.
export function renderStepsList(steps) {
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

export function printButton() {
  return h("button", { type: "button", class: "md-button md-button--primary", onclick: () => window.print() }, "打印工作清单");
}
