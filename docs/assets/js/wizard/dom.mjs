// Small DOM helpers.  Nodes are built with createElement/textContent only: nothing from the
// fragment, an imported file or the engine is ever parsed as markup.

import { BODIES, NOTICE_URL, state } from "./state.mjs";

export { zhDate } from "../zh-date.mjs";

export function h(tag, attrs = {}, ...children) {
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

export function noticeLink(pid, text) {
  const current = state.current;
  const label = text || (current && current.paragraphs && current.paragraphs[pid] && current.paragraphs[pid].label) || "通知原文";
  return h("a", { href: `${NOTICE_URL}#${encodeURIComponent(pid)}`, class: "wizard-cite" }, label);
}

export function citeList(cites) {
  const out = [];
  (cites || []).forEach((pid, n) => {
    if (n) out.push("、");
    out.push(noticeLink(pid));
  });
  return out;
}

export function bodyLabel(code) {
  return code ? BODIES[code] || code : "";
}
