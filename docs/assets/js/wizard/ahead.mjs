// The next views, judged ahead: while the user reads a question with a few fixed answers (yes/no,
// a choice), the engine judges each answer in the background, once the page has painted; a date
// or a number is judged as soon as it is entered.  A click on 下一步 then shows the ready view at once, without waiting for the
// worker.  The views are the engine's own answers for the very fragment the click produces
// (keyed by it and by today's date), kept in memory only, and all dropped whenever the case
// changes: nothing is stored and nothing leaves the page.

import { ask } from "./engine.mjs";
import { answerFacts, fragmentOf, localToday, state } from "./state.mjs";

let base = null; // the fragment the views continue from
let today = null;
const views = new Map(); // next fragment -> {promise, view}

export function forget() {
  base = null;
  views.clear();
}

// `view` was just shown for `fragment`: judge its question's answers once the page has painted.
export function judgeAhead(view, fragment) {
  forget();
  const question = view && view.outcome && view.outcome.status === "incomplete" ? view.outcome.question : null;
  if (!question || state.editing) return;
  base = fragment;
  today = localToday();
  if (!(question.type === "bool" || question.type === "choice")) return; // a date or a number: judgeAnswer
  afterPaint(() => {
    if (base !== fragment) return; // the case moved on meanwhile
    for (const option of question.options || []) judge(fragment, view.facts, question.key, option.value);
  });
}

// The user has entered `value` for `key` (a date, a number) but not yet clicked 下一步: judge it now.
export function judgeAnswer(key, value) {
  const current = state.current;
  const fragment = location.hash.slice(1);
  if (!current || base !== fragment || state.editing) return;
  judge(fragment, current.facts, key, value);
}

function judge(fragment, facts, key, value) {
  if (state.engine !== "ready" || state.failed) return;
  const next = fragmentOf(answerFacts(key, value, facts));
  if (next === fragment || views.has(next)) return;
  const entry = { promise: null, view: null };
  entry.promise = ask({ pairs: [...new URLSearchParams(next)] }).then(
    (result) => (entry.view = result),
    () => null, // judged again on the click, which then reports any problem
  );
  views.set(next, entry);
}

// The view judged ahead for `fragment`, if it is ready now (else undefined).
export function readyView(fragment) {
  const entry = views.get(fragment);
  return entry && today === localToday() ? entry.view || undefined : undefined;
}

// The view for `fragment`, ready or still being judged (a promise), or undefined; every view
// judged ahead is dropped, since the case has changed.
export function takeView(fragment) {
  const entry = views.get(fragment);
  const fresh = today === localToday();
  forget();
  return entry && fresh ? entry.promise : undefined;
}

function afterPaint(run) {
  requestAnimationFrame(() => setTimeout(run, 0));
}
