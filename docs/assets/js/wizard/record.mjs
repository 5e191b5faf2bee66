// The 一人一档 纪实 record and the document drafts, under the result.  The record lives in
// `state.record` only: it leaves the page when the user exports the case (io.mjs puts it in the
// file) and comes back when the file is imported; nothing stores it, nothing puts it in a URL.
// The engine checks it (decision/documents/record.py) and makes the drafts and their .docx
// files in the worker (the bridge's `paper` operation); this module is the form and the buttons.

import { h } from "./dom.mjs";
import { ask } from "./engine.mjs";
import { archiveSheet, draftSheets, printAs, printHead } from "./print.mjs";
import { showAlert } from "./render.mjs";
import { state } from "./state.mjs";

// Lengths as decision/documents/record.py bounds them (the engine refuses longer ones).
const SHORT = 60;
const ORG = 100;
const NOTE = 1000;

export function recordIsEmpty(record) {
  const walk = (v) => (v && typeof v === "object" ? Object.values(v).some(walk) : v !== null && v !== undefined && v !== "");
  return !walk(record || {});
}

function field(label, value, attrs, onChange) {
  const id = `wizard-rec-${attrs.name}`;
  const input = h(attrs.tag || "input", { id, ...attrs, tag: null, name: null, "data-record": attrs.name });
  if (value !== undefined && value !== null) input.value = String(value);
  input.addEventListener("change", () => onChange(input.value));
  return h("div", { class: "wizard-rec-field" }, h("label", { for: id }, label), input);
}

function refresh(view) {
  // The printed head (姓名, 党支部) and the archive sheet follow the record as it is typed.
  const head = document.querySelector("[data-wizard-result] .wizard-print-head");
  if (head) head.replaceWith(printHead(view));
  const archive = document.querySelector("[data-archive-print]");
  if (archive) archive.replaceWith(archiveSheet(view, state.record));
}

export function recordSection(view) {
  const out = view.outcome;
  const rec = state.record || (state.record = {});
  const set = (path, value) => {
    let node = rec;
    for (const key of path.slice(0, -1)) node = node[key] || (node[key] = {});
    node[path[path.length - 1]] = value;
    refresh(view);
  };
  const box = h("section", { class: "wizard-record screen-only", "data-record-form": true },
    h("h3", {}, "一人一档：办理纪实（可选）"),
    h("p", { class: "wizard-note" },
      "按办理进度逐项填写。所填内容只在本页处理，不上传、不自动保存；点“导出案情”连同案情保存为文件，以后导入该文件即可继续填写。"));
  box.append(h("div", { class: "wizard-rec-grid" },
    field("党员姓名", rec.name, { name: "name", maxlength: SHORT, autocomplete: "off" }, (v) => set(["name"], v)),
    field("所在党支部", rec.branch, { name: "branch", maxlength: ORG, autocomplete: "off" }, (v) => set(["branch"], v)),
    field("基层党委", rec.basic_committee, { name: "basic_committee", maxlength: ORG, autocomplete: "off" }, (v) => set(["basic_committee"], v)),
    field("上一级党委组织部门", rec.upper_org, { name: "upper_org", maxlength: ORG, autocomplete: "off" }, (v) => set(["upper_org"], v))));
  const steps = out.steps || [];
  const table = h("div", { class: "wizard-rec-steps" });
  steps.forEach((step, n) => {
    const d = (rec.steps || {})[step.id] || {};
    const key = (name) => `step-${n}-${name}`;
    table.append(h("fieldset", { class: "wizard-rec-step", "data-record-step": step.id },
      h("legend", {}, `第${n + 1}步：${step.text}`),
      field("完成日期", d.date, { name: key("date"), type: "date" }, (v) => set(["steps", step.id, "date"], v)),
      field("经办人", d.by, { name: key("by"), maxlength: SHORT, autocomplete: "off" }, (v) => set(["steps", step.id, "by"], v)),
      field("形成的材料（多项用顿号分隔）", (d.materials || []).join("、"), { name: key("materials"), maxlength: 400, autocomplete: "off", placeholder: "如：查找记录、谈话记录" },
        (v) => set(["steps", step.id, "materials"], v.split(/[、，,；;]/).map((m) => m.trim()).filter(Boolean).slice(0, 20))),
      field("说明", d.note, { name: key("note"), maxlength: NOTE, autocomplete: "off" }, (v) => set(["steps", step.id, "note"], v))));
  });
  box.append(table);
  const stale = Object.keys(rec.steps || {}).filter((id) => !steps.some((s) => s.id === id));
  if (stale.length) {
    box.append(h("p", { class: "wizard-note", "data-record-stale": true },
      `导入的纪实记录中有${stale.length}项步骤不属于本案当前的办理程序（案情可能已改变）。这些记录仍保留在案情文件中，导出时一并保存，但不在此显示和打印。`));
  }
  if (steps.some((s) => s.by === "branch_general_meeting")) {
    const m = rec.meeting || {};
    const num = (name, label) => field(label, m[name], { name: `meeting-${name}`, type: "number", min: 0, max: 100000, step: 1 },
      (v) => set(["meeting", name], v === "" ? null : Number(v)));
    const signature = h("select", { id: "wizard-rec-signature", "data-record": "meeting-signature" },
      ...[["", "（未填）"], ["signed", "本人已签字"], ["refused", "本人拒不签字"], ["unable", "本人因故不能签字"]]
        .map(([value, label]) => h("option", { value, selected: (m.signature || "") === value }, label)));
    signature.addEventListener("change", () => set(["meeting", "signature"], signature.value));
    box.append(h("fieldset", { class: "wizard-rec-step", "data-record-meeting": true }, h("legend", {}, "党员大会"),
      num("expected", "应到人数"), num("present", "实到人数"), num("for", "同意票数"), num("against", "不同意票数"), num("abstain", "弃权票数"),
      h("div", { class: "wizard-rec-field" }, h("label", { for: "wizard-rec-signature" }, "本人签字情况"), signature),
      field("党支部的注明（本人拒不签字或因故不能签字的）", m.branch_note, { name: "meeting-branch_note", maxlength: NOTE, autocomplete: "off" }, (v) => set(["meeting", "branch_note"], v)),
      field("到会指导人员", m.guide, { name: "meeting-guide", maxlength: SHORT, autocomplete: "off" }, (v) => set(["meeting", "guide"], v))));
  }
  if ((view.facts || {}).contact === "restored") {
    const nt = rec.notified || {};
    box.append(h("fieldset", { class: "wizard-rec-step", "data-record-notified": true }, h("legend", {}, "通知本人"),
      field("通知日期", nt.date, { name: "notified-date", type: "date" }, (v) => set(["notified", "date"], v)),
      field("宣布方式", nt.manner, { name: "notified-manner", maxlength: SHORT, autocomplete: "off" }, (v) => set(["notified", "manner"], v)),
      field("帮扶记录", rec.support, { name: "support", tag: "textarea", maxlength: NOTE, rows: 2 }, (v) => set(["support"], v))));
  }
  box.append(h("div", { class: "wizard-result-buttons" },
    h("button", { type: "button", class: "md-button", "data-print-archive": true, onclick: () => printArchive(view) }, "打印纪实档案")));
  return [box, archiveSheet(view, rec)];
}

async function printArchive(view) {
  const result = await paper(view, false);
  if (!result) return;
  printAs("archive");
}

// The engine checks the record and makes the drafts; a refusal is shown, nothing printed.
async function paper(view, docx) {
  let result;
  try {
    result = await ask({ op: "paper", facts: view.facts, record: state.record || {}, docx });
  } catch {
    showAlert(h("p", {}, "生成文书时出现内部错误。"));
    return null;
  }
  if (result.error) {
    showAlert(h("p", {}, result.error));
    return null;
  }
  return result;
}

export function documentsSection(view) {
  const holder = h("div", { class: "wizard-drafts-holder" });
  const list = h("ul", { class: "wizard-draft-list", "data-draft-list": true });
  const box = h("section", { class: "wizard-documents screen-only", "data-documents": true },
    h("h3", {}, "文书草稿"),
    h("p", { class: "wizard-note" },
      "按本案的办理程序生成所需文书的草稿（公文格式，A4），已填入上面纪实中的姓名、党支部和本案的事实、依据，其余留空待填。文书在本机浏览器中生成，不上传。每份均为草稿，须由党支部核对修改。"),
    list,
    h("div", { class: "wizard-result-buttons" },
      h("button", { type: "button", class: "md-button", "data-download-all": true, onclick: () => download(view, null) }, "下载全部文书（Word）"), " ",
      h("button", { type: "button", class: "md-button", "data-print-drafts": true, onclick: () => printDrafts(view, holder) }, "打印文书草稿")));
  // The list of drafts comes from the engine (which drafts this procedure needs).
  paper(view, false).then((result) => {
    if (!result) return;
    for (const d of result.drafts) {
      list.append(h("li", { "data-draft": d.id }, `${d.title}`, " ",
        h("button", { type: "button", class: "wizard-linkbutton", "data-download": d.file, onclick: () => download(view, d.file) }, "下载 Word 文件")));
    }
  });
  return [box, holder];
}

async function printDrafts(view, holder) {
  const result = await paper(view, false);
  if (!result) return;
  holder.replaceChildren(draftSheets(result.drafts));
  printAs("documents");
}

async function download(view, file) {
  const result = await paper(view, true);
  if (!result) return;
  const files = file ? result.files.filter((f) => f.name === `${file}.docx`) : result.files;
  files.forEach((f, n) => {
    setTimeout(() => {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const blob = new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: f.name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 2000);
    }, n * 300);
  });
}

