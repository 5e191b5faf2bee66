// The decision wizard's page script (entry point): UI glue only.
//
// Every judgement comes from the `decision` engine (Python, in wizard-worker.mjs under
// Pyodide; the first question is rendered into the page at build time by the same engine).
// This module drives the flow: the URL fragment holds the answers (contract fact keys), each
// change of it is judged by the engine and shown.  The other modules, one concern each:
// state.mjs (page, shared state, fragment), engine.mjs (the worker), ahead.mjs (the next views,
// judged while the user reads), render.mjs (the DOM),
// print.mjs (the paper checklist), io.mjs (import/export), dom.mjs (helpers).

import { h } from "./dom.mjs";
import { forget, judgeAhead, judgeAnswer, readyView, takeView } from "./ahead.mjs";
import { ask, startEngine } from "./engine.mjs";
import { exportCase, importCase } from "./io.mjs";
import { clearAlert, focusHeading, renderQuestion, restartButton, show, showAlert, showPending } from "./render.mjs";
import { actions, answerFacts, baseFacts, data, el, fragmentOf, fragmentPairs, isAnchor, QUESTIONS, root, setFragment, state } from "./state.mjs";

let viewSeq = 0; // fragment renderings: only the latest one is shown
let answerStarted = null;
let caseFragment = ""; // the last fragment that held a case (restored after an in-page jump)

async function update() {
  const mine = ++viewSeq;
  const { pairs, tooLong } = fragmentPairs();
  const raw = location.hash.slice(1);
  caseFragment = isAnchor(raw) ? caseFragment : raw;
  if (tooLong) {
    forget();
    root.removeAttribute("data-pending");
    show(data.first);
    showAlert(h("p", {}, "链接中的案情数据过长或格式有误，已忽略。请", restartButton(), "。"));
    return;
  }
  if (!pairs.length && state.engine !== "ready") {
    root.removeAttribute("data-pending");
    show(data.first); // rendered at build time by the same engine
    return;
  }
  if (state.failed) {
    forget();
    root.removeAttribute("data-pending");
    showPending(pairs);
    return;
  }
  root.dataset.pending = "true";
  if (state.engine !== "ready") showPending(pairs);
  let view;
  try {
    // Judged ahead while the user read the question (ahead.mjs), or judged now.
    view = (await takeView(raw)) || (await ask({ pairs }));
  } catch {
    // The engine failed to load (already reported), or raised: a bug, logged by the engine module.
    if (mine === viewSeq && !state.failed) {
      root.removeAttribute("data-pending");
      showAlert(h("p", {}, "判断时出现内部错误，当前回答未能处理。请", restartButton(), "；如仍出现，请告知站点管理员。"));
    }
    return;
  }
  if (mine !== viewSeq) return; // a newer fragment is being judged
  present(view, raw);
}

// Show the engine's view of fragment `raw`, then judge its question's answers ahead.
function present(view, raw) {
  root.removeAttribute("data-pending");
  show(view);
  if (answerStarted !== null) {
    const started = answerStarted;
    performance.measure("wizard:answer", { start: started, end: performance.now() });
    // ... and to the frame that shows it (the benchmark's "click to painted").
    requestAnimationFrame(() => setTimeout(() => performance.measure("wizard:answer-painted", { start: started, end: performance.now() }), 0));
    answerStarted = null;
  }
  judgeAhead(view, raw);
}

// A fragment shown straight from answer() (its view judged ahead): its hashchange has nothing to do.
let shownAhead = null;

function answer(key, value) {
  state.userActed = true;
  answerStarted = performance.now();
  const facts = answerFacts(key, value);
  state.editing = null;
  const next = fragmentOf(facts);
  const ready = location.hash.slice(1) !== next && !state.failed ? readyView(next) : undefined;
  setFragment(facts); // the history entry and the fragment, exactly as without a ready view
  const raw = location.hash.slice(1);
  if (ready && raw === next) {
    // The view is ready: show it now, not after the hashchange event and a worker round trip.
    ++viewSeq; // any older judgement still on its way is stale
    forget();
    caseFragment = raw;
    shownAhead = raw;
    present(ready, raw);
  }
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

function showEditor(key) {
  const q = QUESTIONS.get(key);
  if (!q) return;
  state.userActed = true;
  state.editing = key;
  if (state.current) show(state.current);
  else {
    el.step.replaceChildren(renderQuestion(q, { editingKey: key }));
    focusHeading(el.step);
  }
}

function cancelEdit() {
  state.editing = null;
  state.userActed = true;
  if (state.current) show(state.current);
}

function stepBack() {
  const current = state.current;
  if (!current || !current.answered || !current.answered.length) return;
  state.userActed = true;
  state.editing = null;
  const last = current.answered[current.answered.length - 1].key;
  const facts = { ...current.facts };
  delete facts[last];
  setFragment(facts);
}

function restart() {
  state.userActed = true;
  state.record = {}; // a new case: the 纪实 record was the previous member's
  state.editing = null;
  state.current = null;
  clearAlert();
  if (location.hash) history.pushState(null, "", location.pathname + location.search);
  if (state.engine === "ready") update();
  else show(data.first);
  focusHeading(el.step);
}

// The engine has loaded: judge the answers to the question on screen (the prerendered first one).
function engineReady() {
  if (state.current && !root.dataset.pending) judgeAhead(state.current, location.hash.slice(1));
}

Object.assign(actions, { update, answer, restart, stepBack, exportCase, importCase, engineReady });

startEngine();

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

root.addEventListener("click", (event) => {
  const target = event.target.closest("button[data-edit], button[data-alternative], button[data-cancel-edit]");
  if (!target) return;
  if (target.dataset.edit) showEditor(target.dataset.edit);
  else if (target.dataset.alternative) showEditor(target.dataset.alternative);
  else cancelEdit();
});

// A date or a month count: show what the engine computes from it (months out of contact, the
// end of the two years ...) before the user commits the answer; and judge the answer itself
// ahead, so that 下一步 shows its view at once (ahead.mjs).
let previewSeq = 0;
root.addEventListener("change", async (event) => {
  const input = event.target;
  const form = input.closest && input.closest("form.wizard-question");
  if (!form || !(input.type === "date" || input.type === "number")) return;
  if (state.engine !== "ready") return;
  const box = form.querySelector("[data-wizard-preview]");
  const previewing = box ? ask({ op: "preview", pairs: fragmentPairs().pairs, key: form.dataset.question, value: input.value }) : null;
  const value = readForm(form);
  if (value !== undefined) judgeAnswer(form.dataset.question, value);
  if (!previewing) return;
  const mine = ++previewSeq;
  let result;
  try {
    result = await previewing;
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
  if (shownAhead !== null) {
    const shown = shownAhead;
    shownAhead = null;
    if (raw === shown) return; // answer() has shown this fragment already
  }
  state.editing = null;
  update();
});

// Start: render what the fragment says (the prerendered first question stays when it is empty).
update();
performance.mark("wizard:first-question");
root.dataset.interactive = "true";
