// The wizard's state: the page it runs in, what it is showing, and the case in the URL fragment.
//
// The answers live in the fragment only (contract fact keys; never the query string, never
// stored).  The modules share one mutable `state` object, since an imported binding cannot be
// reassigned by the module that imports it.

export const root = document.querySelector("[data-wizard]");
export const data = JSON.parse(document.getElementById("wizard-data").textContent);
export const NOTICE_URL = root.dataset.noticeUrl; // the notice page; paragraphs are `#p-…` on it
export const DISPOSITIONS_URL = root.dataset.dispositionsUrl;
export const FLOWCHART_URL = root.dataset.flowchartUrl; // printable, needs no engine
const MAX_FRAGMENT = 4000;

export const QUESTIONS = new Map(data.questions.map((q) => [q.key, q]));
export const BODIES = (data.vocabulary && data.vocabulary.bodies) || {};
export const el = {
  status: root.querySelector("[data-wizard-status]"),
  statusText: root.querySelector("[data-wizard-status-text]"),
  progress: root.querySelector("[data-wizard-progress]"),
  alert: root.querySelector("[data-wizard-alert]"),
  summary: root.querySelector("[data-wizard-summary]"),
  step: root.querySelector("[data-wizard-step]"),
  result: root.querySelector("[data-wizard-result]"),
  tools: root.querySelector("[data-wizard-tools]"),
};

export const state = {
  engine: "loading", // loading | ready | error (error: failed, or still loading after 20 s)
  failed: false, // the worker reported failure: it will never answer
  died: false, // ... after it had loaded (Pyodide's fatal error): a reload is offered
  current: null, // the last view the engine returned for the current fragment
  editing: null, // fact key being changed through 修改
  userActed: false, // move focus only in answer to the user, never on page load
  record: {}, // the 一人一档 纪实 record (record.mjs): in memory only, saved through 导出案情
  notice: null, // a message to show with the next rendering (the import's record problem)
};

// What the page's buttons do.  main.mjs fills this in, so that rendering and import/export can
// call the flow (update, answer, restart …) without importing the module that drives them.
export const actions = {};

export function localToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function valueToString(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------- the fragment

// A fragment that names an element of the page (Material's skip link and heading permalinks,
// `#_1`) is a jump within the page, not a case.
export function isAnchor(raw) {
  if (!raw || raw.includes("=") || raw.length > 200) return false;
  try {
    return document.getElementById(decodeURIComponent(raw)) !== null;
  } catch {
    return false;
  }
}

export function fragmentPairs() {
  const raw = location.hash.slice(1);
  if (isAnchor(raw)) return { pairs: [], tooLong: false };
  if (raw.length > MAX_FRAGMENT) return { pairs: [], tooLong: true };
  try {
    return { pairs: [...new URLSearchParams(raw)], tooLong: false };
  } catch {
    return { pairs: [], tooLong: true };
  }
}

export function fragmentOf(facts) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(facts)) params.set(key, valueToString(value));
  return params.toString();
}

export function setFragment(facts) {
  const next = fragmentOf(facts);
  root.dataset.pending = "true"; // until the engine's answer is shown (hashchange comes later)
  if (location.hash.slice(1) === next) actions.update();
  else location.hash = next; // a history entry: the back button steps through answers
}

// The facts the next answer builds on: the engine's validated facts when it has judged the
// current fragment, otherwise (still loading) the fragment as written.
export function baseFacts() {
  if (state.current) return { ...state.current.facts };
  const facts = {};
  for (const [key, value] of fragmentPairs().pairs) facts[key] = value;
  return facts;
}

// The facts after answering `key` with `value` (on top of `facts`, by default baseFacts()).
export function answerFacts(key, value, facts = baseFacts()) {
  const next = { ...facts };
  // A question's `alternatives` are answered instead of it (最后联系日期 or 失联月数): keep one.
  for (const alt of (QUESTIONS.get(key) || {}).alternatives || []) delete next[alt];
  next[key] = value;
  return next;
}
