// The handouts' course form (training/handout/, training/handout-trainee/): copies the course's
// name, unit and date into the print head.  UI glue only; the values stay in this page (never in
// the URL, never stored) and are cut to the inputs' maxlength.

const form = document.querySelector("[data-course-form]");

function zhDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : "";
}

if (form) {
  const fields = Object.fromEntries(
    [...document.querySelectorAll("[data-course-field]")].map((node) => [node.dataset.courseField, node]),
  );
  const blank = Object.fromEntries(Object.entries(fields).map(([k, node]) => [k, node.textContent]));

  function update() {
    for (const input of form.querySelectorAll("input")) {
      const node = fields[input.name];
      if (!node) continue;
      const limit = Number(input.getAttribute("maxlength")) || 60;
      const value = input.value.trim().slice(0, limit);
      if (!value) {
        node.textContent = blank[input.name];
        continue;
      }
      if (input.name === "course") node.textContent = value;
      else if (input.name === "unit") node.textContent = `举办单位：${value}`;
      else node.textContent = `日期：${zhDate(value)}`;
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.querySelector("[data-print]").addEventListener("click", () => {
    update();
    window.print();
  });
}
