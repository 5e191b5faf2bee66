// A disposition page prints one procedure alone on request: its blank checklist with the sign-off
// boxes, or its blank 一人一档 纪实 sheet.  The button names the procedure; pages.css hides the
// rest while body carries rp-print-one (and rp-print-record for the sheet).  The browser's own
// print command still prints the whole page.

for (const button of document.querySelectorAll("button[data-print-proc]")) {
  button.addEventListener("click", () => {
    const section = document.querySelector(`section.rp-proc[data-proc="${CSS.escape(button.dataset.printProc)}"]`);
    if (!section) return;
    section.classList.add("rp-printing");
    document.body.classList.add("rp-print-one");
    if (button.dataset.printMode === "record") document.body.classList.add("rp-print-record");
    const reset = () => {
      section.classList.remove("rp-printing");
      document.body.classList.remove("rp-print-one", "rp-print-record");
      window.removeEventListener("afterprint", reset);
    };
    window.addEventListener("afterprint", reset);
    window.print();
  });
}
