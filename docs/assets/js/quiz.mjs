// Scores the self-test on training/quiz/.  UI glue only: the questions and the correct answers are
// generated at build time from the decision engine (build_scripts/pages/training.py) and sit in the page
// as JSON (#rp-quiz-answers).  Nothing is stored or sent: the answers live in the form only.

const form = document.getElementById("rp-quiz");
const data = document.getElementById("rp-quiz-answers");

if (form && data) {
  const answers = JSON.parse(data.textContent);
  const score = document.getElementById("rp-quiz-score");

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let right = 0;
    let answered = 0;
    const fieldsets = [...form.querySelectorAll("fieldset[data-case]")];
    for (const fieldset of fieldsets) {
      const id = fieldset.dataset.case;
      const answer = answers[id];
      const chosen = fieldset.querySelector("input[type=radio]:checked");
      const verdict = fieldset.querySelector("[data-verdict]");
      verdict.hidden = false;
      verdict.replaceChildren();
      if (!chosen) {
        verdict.dataset.correct = "false";
        verdict.append("未作答。正确答案：", answer.label, "。");
      } else if (chosen.value === answer.code) {
        answered += 1;
        right += 1;
        verdict.dataset.correct = "true";
        verdict.append("回答正确：", answer.label, "。");
      } else {
        answered += 1;
        verdict.dataset.correct = "false";
        verdict.append("回答有误。正确答案：", answer.label, "。");
      }
      if (answer.reason) {
        const reason = document.createElement("span");
        reason.className = "rp-reason";
        const cites = answer.cites.length ? `（依据：${answer.cites.join("、")}）` : "";
        reason.textContent = `理由：${answer.reason}${cites}`;
        verdict.append(" ", reason);
      }
      const link = document.createElement("a");
      link.href = answer.href;
      link.textContent = "看解析";
      verdict.append(" ", link);
    }
    score.textContent = `得分：${right} / ${fieldsets.length}（已答 ${answered} 题）`;
    score.dataset.right = String(right);
    score.scrollIntoView({ block: "center" });
  });

  form.addEventListener("reset", () => {
    for (const verdict of form.querySelectorAll("[data-verdict]")) {
      verdict.hidden = true;
      verdict.replaceChildren();
      delete verdict.dataset.correct;
    }
    score.textContent = "";
    delete score.dataset.right;
  });
}
