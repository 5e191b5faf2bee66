// The procedure quiz on training/procedure-quiz/.  UI glue only: the questions, their keys, reasons
// and paragraphs are generated at build time from the rules (build_scripts/pages/training_quiz.py)
// and sit in the page as JSON (#rp-pq-data).  This script shuffles questions and options, judges an
// answer the moment it is given (then shows the reason and the paragraph), keeps the score and
// prints the answer sheet or the key.  Nothing is stored or sent.

const form = document.getElementById("rp-pq");
const dataBlock = document.getElementById("rp-pq-data");

const LETTERS = "ABCDEFGHIJ";

function shuffle(items) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

if (form && dataBlock) {
  const questions = new Map(JSON.parse(dataBlock.textContent).map((q) => [q.id, q]));
  const fieldsets = [...form.querySelectorAll("fieldset[data-question]")];
  const score = document.getElementById("rp-pq-score");
  const count = document.getElementById("rp-pq-count");
  const sheet = document.getElementById("rp-pq-sheet");
  const key = document.getElementById("rp-pq-key");
  document.getElementById("rp-pq-tools").hidden = false;

  const state = { round: [], answered: 0, right: 0 };

  const optionLabel = (q, value) => q.options.find((o) => o.value === value)?.label ?? value;

  function letterOf(fieldset, value) {
    const items = [...fieldset.querySelectorAll("li")];
    const i = items.findIndex((li) => li.querySelector(`[value="${CSS.escape(value)}"], [data-step="${CSS.escape(value)}"]`));
    return LETTERS[i] ?? "?";
  }

  function keyText(fieldset, q) {
    if (q.kind === "order") return q.answer.map((v) => letterOf(fieldset, v)).join(" → ");
    return `${letterOf(fieldset, q.answer)}. ${optionLabel(q, q.answer)}`;
  }

  function updateScore() {
    score.textContent = `得分：${state.right} / ${state.round.length}（已答 ${state.answered} 题）`;
    score.dataset.right = String(state.right);
    score.dataset.answered = String(state.answered);
  }

  function showVerdict(fieldset, q, correct, detail) {
    const verdict = fieldset.querySelector("[data-verdict]");
    verdict.replaceChildren();
    verdict.hidden = false;
    verdict.dataset.correct = String(correct);
    verdict.append(el("p", correct ? "回答正确。" : `回答有误。正确答案：${keyText(fieldset, q)}。`, { class: "rp-pq-result" }));
    if (detail) verdict.append(el("p", detail));
    verdict.append(el("p", `理由：${q.reason}`));
    for (const cite of q.cites) {
      const quote = el("blockquote");
      const strong = el("strong");
      strong.append(el("a", cite.label, { href: cite.href }));
      quote.append(strong, " ", cite.text);
      verdict.append(quote);
    }
    for (const input of fieldset.querySelectorAll("input, select, button")) input.disabled = true;
    fieldset.dataset.answered = "true";
    state.answered += 1;
    if (correct) state.right += 1;
    updateScore();
  }

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "radio") return;
    const fieldset = input.closest("fieldset");
    if (fieldset.dataset.answered) return;
    const q = questions.get(fieldset.dataset.question);
    showVerdict(fieldset, q, input.value === q.answer);
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest(".rp-pq-check");
    if (!button) return;
    const fieldset = button.closest("fieldset");
    const q = questions.get(fieldset.dataset.question);
    const selects = [...fieldset.querySelectorAll("select[data-step]")];
    const chosen = selects.map((s) => s.value);
    const verdict = fieldset.querySelector("[data-verdict]");
    if (chosen.some((v) => !v) || new Set(chosen).size !== chosen.length) {
      verdict.hidden = false;
      verdict.dataset.correct = "incomplete";
      verdict.textContent = "请为每一步选择一个不同的序号，再核对。";
      return;
    }
    const correct = selects.every((s) => Number(s.value) === q.answer.indexOf(s.dataset.step) + 1);
    showVerdict(fieldset, q, correct);
  });

  form.addEventListener("submit", (event) => event.preventDefault());

  function newRound() {
    const wanted = count.value === "all" ? fieldsets.length : Number(count.value);
    const order = shuffle(fieldsets);
    state.round = order.slice(0, wanted);
    state.answered = 0;
    state.right = 0;
    order.forEach((fieldset, i) => {
      form.append(fieldset);
      fieldset.hidden = i >= wanted;
      delete fieldset.dataset.answered;
      const list = fieldset.querySelector("ol, ul");
      for (const li of shuffle([...list.children])) list.append(li);
      for (const input of fieldset.querySelectorAll("input, select, button")) {
        input.disabled = false;
        if (input.type === "radio") input.checked = false;
        if (input.tagName === "SELECT") input.value = "";
      }
      const verdict = fieldset.querySelector("[data-verdict]");
      verdict.hidden = true;
      verdict.replaceChildren();
      delete verdict.dataset.correct;
      fieldset.querySelector(".rp-pq-num").textContent = `第${i + 1}题`;
    });
    updateScore();
  }

  function buildSheet() {
    sheet.replaceChildren(el("h2", "答题卡"));
    sheet.append(el("p", "姓名：＿＿＿＿＿＿　单位：＿＿＿＿＿＿＿＿＿＿　得分：＿＿＿＿"));
    const table = el("table", null, { class: "rp-pq-sheet-table" });
    table.append(el("caption", "单选题圈出字母；排序题按先后写出字母"));
    state.round.forEach((fieldset, i) => {
      const q = questions.get(fieldset.dataset.question);
      const row = el("tr");
      row.append(el("th", `第${i + 1}题`));
      const cell = q.kind === "order" ? "＿＿ → ".repeat(q.answer.length - 1) + "＿＿" : LETTERS.slice(0, q.options.length).split("").join("　");
      row.append(el("td", cell));
      table.append(row);
    });
    sheet.append(table);
  }

  function buildKey() {
    key.replaceChildren(el("h2", "参考答案"));
    const table = el("table", null, { class: "rp-pq-key-table" });
    const head = el("tr");
    head.append(el("th", "题号"), el("th", "答案"), el("th", "依据"));
    table.append(head);
    state.round.forEach((fieldset, i) => {
      const q = questions.get(fieldset.dataset.question);
      const row = el("tr");
      row.append(el("td", `第${i + 1}题`), el("td", keyText(fieldset, q)), el("td", q.cites.map((c) => c.label).join("、")));
      table.append(row);
    });
    key.append(table);
  }

  function printWith(mode) {
    document.body.dataset.rpPrint = mode;
    if (mode === "sheet") buildSheet();
    else buildKey();
    sheet.hidden = mode !== "sheet";
    key.hidden = mode !== "key";
    window.print();
  }

  window.addEventListener("afterprint", () => {
    delete document.body.dataset.rpPrint;
    sheet.hidden = true;
    key.hidden = true;
  });

  document.getElementById("rp-pq-new").addEventListener("click", newRound);
  count.addEventListener("change", newRound);
  document.getElementById("rp-pq-print-sheet").addEventListener("click", () => printWith("sheet"));
  document.getElementById("rp-pq-print-key").addEventListener("click", () => printWith("key"));
  newRound();
}
