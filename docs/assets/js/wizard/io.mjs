// Import and export of a case as a JSON file (format "shilian-case").  The file is made and read
// in the browser only: exporting is the one way a case leaves the page, and only on request.

import { h } from "./dom.mjs";
import { recordIsEmpty } from "./record.mjs";
import { ask } from "./engine.mjs";
import { showAlert, showErrors } from "./render.mjs";
import { el, localToday, setFragment, state } from "./state.mjs";

const MAX_IMPORT_BYTES = 100000; // decision/limits.py CASE_MAX_BYTES
const MAX_IMPORT_DEPTH = 20; // decision/limits.py CASE_MAX_DEPTH

// Deepest nesting of [ and { outside JSON strings, in one pass (as decision/case_file.py counts it).
function nestingDepth(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

export function exportCase() {
  const current = state.current;
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
    // The 一人一档 纪实 record (decision/documents/record.py), when anything is filled in.
    ...(recordIsEmpty(state.record) ? {} : { record: state.record }),
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

export async function importCase(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  state.userActed = true;
  if (state.engine !== "ready") {
    showAlert(h("p", {}, "判断引擎尚未加载完成，请稍后再导入。"));
    return;
  }
  if (file.size > MAX_IMPORT_BYTES) {
    showAlert(h("p", {}, "文件过大，不是本向导导出的案情文件。当前案情未改变。"));
    return;
  }
  // The engine reads the file's text as `python -m decision decide` does (decision/case_file.py):
  // JSON.parse here would turn 1e400 into null ("not answered") and keep one of two duplicate keys.
  const text = await file.text();
  // Checked here too, before the text reaches Python: nested thousands deep, json.loads would
  // overflow the WebAssembly stack and take the engine down (decision/case_file.py checks first).
  const depth = nestingDepth(text);
  if (depth > MAX_IMPORT_DEPTH) {
    showAlert(h("p", {}, `导入失败：输入的嵌套层数（${depth} 层）超过 ${MAX_IMPORT_DEPTH} 层，不是本向导导出的案情文件。当前案情未改变。`));
    return;
  }
  let view;
  try {
    view = await ask({ op: "import", text });
  } catch {
    // The engine stopped for good (engine.mjs then says so and offers a reload), or raised.
    if (!state.died) showAlert(h("p", {}, "导入失败：判断时出现内部错误。当前案情未改变。"));
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
  state.editing = null;
  state.record = view.record || {};
  if (view.record_error) {
    state.notice = `案情已导入，但其中的纪实记录未能读取：${view.record_error}。`;
  }
  setFragment(view.facts);
}
