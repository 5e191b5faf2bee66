// The projector view of training/present/.  UI glue only: the slides, the answers and the comments
// are generated at build time (build_scripts/pages/training_present.py, answers from the engine).
// One case per screen, four stages (情况 → 先想一想 → 揭晓 → 讲评); → / space / PageDown forward,
// ← / PageUp back (what presentation clickers send), Home the index, Esc leaves the projector view.
// The position is kept in the URL fragment (#case-<id>: the case, nothing personal).

const root = document.getElementById("rp-present");

if (root) {
  const index = document.getElementById("rp-pr-index");
  const slides = [...root.querySelectorAll(".rp-pr-slide")];
  const where = root.querySelector(".rp-pr-where");
  const seconds = document.getElementById("rp-pr-seconds");
  const LAST_STAGE = 3;
  const pos = { n: 0, stage: 0 };
  let timer = null;

  const presenting = () => document.documentElement.classList.contains("rp-presenting");

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function startTimer(slide) {
    stopTimer();
    const box = slide.querySelector("[data-timer]");
    const left = slide.querySelector("[data-timer-left]");
    let remaining = Number(seconds.value);
    if (!remaining) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.dataset.state = "running";
    const tick = () => {
      if (remaining <= 0) {
        left.textContent = "时间到";
        box.dataset.state = "done";
        stopTimer();
        return;
      }
      left.textContent = `还剩 ${remaining} 秒`;
      remaining -= 1;
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  // Shrink the type until the screen holds the whole stage (long stories, many add-on tasks).
  function fit(section) {
    let scale = 1;
    root.style.setProperty("--rp-pr-scale", "1");
    while (section.scrollHeight > section.clientHeight + 1 && scale > 0.55) {
      scale -= 0.05;
      root.style.setProperty("--rp-pr-scale", scale.toFixed(2));
    }
  }

  function show() {
    stopTimer();
    const current = pos.n === 0 ? index : slides[pos.n - 1];
    for (const section of [index, ...slides]) section.classList.toggle("rp-pr-current", section === current);
    if (pos.n > 0) {
      for (const stage of current.querySelectorAll(".rp-pr-stage")) {
        const i = Number(stage.dataset.stage);
        // The story stays on screen while the room thinks; answer and comment get the screen alone.
        const visible = i === pos.stage || (pos.stage === 1 && i === 0);
        stage.classList.toggle("rp-pr-visible", visible);
      }
      current.dataset.stage = String(pos.stage);
      if (pos.stage === 1) startTimer(current);
      history.replaceState(null, "", `#${current.id}`);
      where.textContent = `案例${pos.n}/${slides.length} · ${current.querySelectorAll(".rp-pr-stage-name")[pos.stage].textContent}`;
    } else {
      history.replaceState(null, "", "#rp-pr-index");
      where.textContent = "目录";
    }
    root.dataset.n = String(pos.n);
    root.dataset.stage = String(pos.stage);
    fit(current);
  }

  function forward() {
    if (pos.n === 0) {
      pos.n = 1;
      pos.stage = 0;
    } else if (pos.stage < LAST_STAGE) {
      pos.stage += 1;
    } else if (pos.n < slides.length) {
      pos.n += 1;
      pos.stage = 0;
    } else {
      pos.n = 0;
      pos.stage = 0;
    }
    show();
  }

  function back() {
    if (pos.n === 0) return;
    if (pos.stage > 0) {
      pos.stage -= 1;
    } else if (pos.n > 1) {
      pos.n -= 1;
      pos.stage = LAST_STAGE;
    } else {
      pos.n = 0;
    }
    show();
  }

  function goto(n) {
    pos.n = n;
    pos.stage = 0;
    if (presenting()) show();
    else enter();
  }

  function enter() {
    document.documentElement.classList.add("rp-presenting");
    show();
  }

  function exit() {
    stopTimer();
    document.documentElement.classList.remove("rp-presenting");
    if (document.fullscreenElement) document.exitFullscreen();
  }

  window.addEventListener(
    "keydown",
    (event) => {
      if (!presenting() || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target.tagName === "SELECT") return;
      const actions = {
        ArrowRight: forward,
        " ": forward,
        PageDown: forward,
        ArrowDown: forward,
        ArrowLeft: back,
        PageUp: back,
        ArrowUp: back,
        Home: () => goto(0),
        Escape: exit,
      };
      const action = actions[event.key];
      if (!action) {
        // Keep the theme's single-letter shortcuts (search, next page) off the projector.
        if (event.key.length === 1) event.stopImmediatePropagation();
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      action();
    },
    true,
  );

  root.addEventListener("click", (event) => {
    const goto_ = event.target.closest("[data-goto]");
    if (goto_) {
      event.preventDefault();
      goto(Number(goto_.dataset.goto));
      return;
    }
    const act = event.target.closest("[data-act]");
    if (act) {
      ({ index: () => goto(0), back, next: forward })[act.dataset.act]();
      return;
    }
    if (event.target.closest("[data-skip]")) {
      pos.stage = 2;
      show();
    }
  });

  document.getElementById("rp-pr-start").addEventListener("click", () => goto(1));
  document.getElementById("rp-pr-exit").addEventListener("click", exit);
  document.getElementById("rp-pr-full").addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  });
  window.addEventListener("resize", () => {
    if (!presenting()) return;
    // Narrower than a projector (a phone, a window made small): back to the readable page.
    if (window.innerWidth < 960) exit();
    else fit(pos.n === 0 ? index : slides[pos.n - 1]);
  });

  const start = slides.findIndex((s) => `#${s.id}` === location.hash);
  pos.n = start + 1;
  // A projector (1280×720, 1024×768) gets the projector view at once; a phone reads the page and
  // can still start it from the index.
  if (window.innerWidth >= 960) enter();
}
