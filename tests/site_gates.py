"""Browser-side quality gates, shared by tests/test_a11y.py and tests/test_csp.py.

One visit of a page checks, at once:
- accessibility: axe-core (npm, node_modules/axe-core) over the page as users get it, CSP and all:
  axe is added with `add_init_script`, which Chromium evaluates outside the page's CSP, so no
  `bypass_csp` is needed and the page is audited exactly as served;
- Content-Security-Policy: every `securitypolicyviolation` event is recorded;
- no egress and no errors: requests off 127.0.0.1 are aborted and recorded, page errors and console
  errors are recorded;
- 360 px: no horizontal overflow, and every control in the content and header is inside the
  viewport, at least 24 x 24 px (WCAG 2.2 target size, via its label for small checkboxes and
  radios; inline text exempt) and not covered by anything else; controls in the content also take
  keyboard focus.

Pages are discovered from the built site, so new pages are covered without editing a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from conftest import SITE_DIR, is_local

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Counts recorded by this process's tests; an xdist worker sends its own to the controller.
RECORDS: list[dict] = []
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = ("serious", "critical")
# Pages whose content renders Pyodide and the engine: the checks wait for them to settle (ready or
# failed: that Pyodide boots is test_site_offline's and the wizard's tests' business, and the check
# page gives up after 20 s, which a loaded 2-core machine can exceed).
WAIT_FOR = {
    "about/check/": "#env-check:not([data-state=loading])",
    "roster/": "#roster:not([data-state=loading])",  # audit the page with its engine loaded
}

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI,
                               sample: e.sample, source: e.sourceFile + ':' + e.lineNumber});
}, true);
"""

RUN_AXE = """
async () => {
  // Colours mid-transition (Material's drawer after a resize, fades) read as low contrast: wait
  // for every finite animation and transition to finish first.
  await Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => null)));
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')), count: v.nodes.length,
  }));
}
"""

# Returns a list of problems at the current viewport width.
CHECK_NARROW = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const scroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll)/.test(s.overflowX) && p.clientWidth < width) return p;
    }
    return null;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '') +
    (el.textContent ? ' "' + el.textContent.trim().slice(0, 20) + '"' : '');
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0' &&
           !el.closest('[hidden], [inert], [aria-hidden=true]');
  };
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll('.md-content *, .md-header *')]
      .filter((el) => shown(el) && el.getBoundingClientRect().right > width + 1 && !scroller(el))
      .slice(0, 5).map(describe);
    problems.push(`page is ${scrollWidth}px wide at ${width}px: ${wide.join(', ')}`);
  }
  const controls = document.querySelectorAll(
    '.md-content :is(a.md-button, button, input, select, textarea, summary, [role=button], [tabindex="0"]),' +
    '.md-header :is(button, label.md-header__button, a.md-header__button)');
  let checked = 0;
  for (const control of controls) {
    if (control.type === 'hidden') continue;
    let target = control;
    const labels = control.labels ? [...control.labels].filter(shown) : [];
    if (!shown(control)) {
      if (!labels.length) continue;  // not offered at this width (or a collapsed section)
      target = labels[0];
    }
    if (scroller(target)) continue;  // reachable by scrolling its own container
    target.scrollIntoView({block: 'center', inline: 'nearest'});
    let r = target.getBoundingClientRect();
    // A small checkbox or radio is usable through its label (the label is the real target).
    if ((r.width < 24 || r.height < 24) && labels.length && target === control) {
      target = labels[0];
      r = target.getBoundingClientRect();
    }
    // Inline targets in running text (glossary terms, links) are exempt from the size rule and
    // may wrap over two lines: test the first line box.
    const inline = getComputedStyle(target).display === 'inline';
    if (inline && target.getClientRects().length) r = target.getClientRects()[0];
    checked++;
    const name = describe(target);
    // Keyboard: a control in the content must take focus (a checkbox drawn by its label must stay
    // focusable itself: display:none or tabindex=-1 would leave keyboard users out).
    if (control.closest('.md-content') && !control.disabled && control.tabIndex < 0)
      problems.push(`${describe(control)} cannot be reached with the keyboard (tabindex ${control.tabIndex})`);
    else if (control.closest('.md-content') && !control.disabled && target !== control &&
             getComputedStyle(control).display === 'none')
      problems.push(`${describe(control)} is display:none: only a mouse can use it through its label`);
    if (r.left < -1 || r.right > width + 1) problems.push(`${name} is outside the ${width}px viewport`);
    // WCAG 2.5.8: targets of 24 x 24 px at least, except inline in a sentence.
    if (!inline && (r.width < 24 || r.height < 24))
      problems.push(`${name} is ${Math.round(r.width)}x${Math.round(r.height)}px (< 24x24)`);
    const x = Math.min(Math.max(r.left + r.width / 2, 0), width - 1);
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const ok = hit && (target.contains(hit) || hit.contains(target) || control.contains(hit) ||
                       labels.some((l) => l.contains(hit)) || (hit.control && hit.control === control));
    if (!ok) problems.push(`${name} is covered by ${hit ? describe(hit) : 'nothing (off screen)'}`);
  }
  window.scrollTo(0, 0);
  return {problems, checked};
}
"""


def site_pages(site_dir: Path = SITE_DIR) -> list[str]:
    """Every page of the built site, as a URL path relative to the root ('' for the home page)."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith("assets/"):
            continue  # vendored documents, not pages of the site
        pages.append(rel.removesuffix("index.html"))
    return pages


@dataclass
class Findings:
    url: str
    axe: list[dict] = field(default_factory=list)
    csp: list[dict] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    narrow: list[str] = field(default_factory=list)
    controls: int = 0

    def blocking_axe(self) -> list[dict]:
        return [v for v in self.axe if v["impact"] in BLOCKING_IMPACTS]

    def axe_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
        for violation in self.axe:
            counts[violation["impact"] or "minor"] += violation["count"]
        return counts

    def summary(self) -> str:
        lines = [f"{self.url}: axe {self.axe_counts()}"]
        lines += [
            f"  axe {v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in self.blocking_axe()
        ]
        lines += [f"  CSP blocked: {v}" for v in self.csp]
        lines += [f"  request left the origin: {u}" for u in self.external]
        lines += [f"  page error: {e}" for e in self.errors]
        lines += [f"  console error: {e}" for e in self.console]
        lines += [f"  360px: {p}" for p in self.narrow]
        return "\n".join(lines)

    def record(self, kind: str) -> None:
        """Keep the counts for the terminal summary (conftest.py gathers them from xdist workers)."""
        RECORDS.append({"kind": kind, "url": self.url, "axe": self.axe_counts(), "controls": self.controls})


# Requests that leave 127.0.0.1: only these are intercepted (the pattern runs in the browser driver),
# so the site's own requests are not slowed down by a round trip through Python.
OFF_ORIGIN = re.compile(r"^(?!(?:https?://(?:127\.0\.0\.1|localhost)[:/]|data:|blob:|about:))")


class Auditor:
    """One browser context and page, reused from page to page (a new renderer costs ~1 s)."""

    def __init__(self, browser, bypass_csp: bool = False):
        self.findings = Findings(url="")
        self.context = browser.new_context(locale="zh-CN", viewport=DESKTOP, bypass_csp=bypass_csp)
        self.context.route(OFF_ORIGIN, self._block)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.findings.errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and self.findings.console.append(msg.text))

    def _block(self, route):
        if is_local(route.request.url):  # the pattern should not let these through; be safe
            route.continue_()
        else:
            self.findings.external.append(route.request.url)
            route.abort()

    def start(self, label: str) -> Findings:
        """Blank page, desktop size, fresh findings (the page is navigated by the caller)."""
        self.page.goto("about:blank")
        self.page.set_viewport_size(DESKTOP)
        return self.record_as(label)

    def record_as(self, label: str) -> Findings:
        """Fresh findings for a new state of the page that is loaded now (no navigation)."""
        self.findings = Findings(url=label)
        self.page.evaluate("window.__cspViolations = []")
        return self.findings

    def check(self, base_url: str, rel: str, wait_for: str | None = None) -> Findings:
        findings = self.start(rel or "/")
        self.page.goto(base_url + rel)
        settle(self.page, wait_for or WAIT_FOR.get(rel.split("#")[0]))
        return audit(self.page, findings)

    def close(self) -> None:
        self.context.close()


def settle(page, wait_for: str | None) -> None:
    page.wait_for_load_state("networkidle")
    if wait_for:
        page.wait_for_selector(wait_for, state="attached", timeout=60000)
    page.evaluate("document.fonts.ready.then(() => true)")


def audit(page, findings: Findings, narrow: bool = True) -> Findings:
    """Run axe at the current (desktop) size, then the 360 px checks; collect CSP violations."""
    findings.axe = page.evaluate(RUN_AXE)
    if narrow:
        page.set_viewport_size(MOBILE)
        page.wait_for_timeout(100)  # Material re-lays out on resize
        result = page.evaluate(CHECK_NARROW)
        findings.narrow, findings.controls = result["problems"], result["checked"]
        page.set_viewport_size(DESKTOP)
    findings.csp = page.evaluate("window.__cspViolations")
    return findings


def check_page(
    browser, base_url: str, rel: str, wait_for: str | None = None, bypass_csp: bool = False
) -> Findings:
    """One page in a context of its own."""
    auditor = Auditor(browser, bypass_csp=bypass_csp)
    try:
        return auditor.check(base_url, rel, wait_for)
    finally:
        auditor.close()


# --- totals for the terminal summary (hooks in conftest.py call these) ----------------------------


def summary_lines() -> list[str]:
    rows = RECORDS
    if not rows:
        return []
    totals = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for row in rows:
        for impact, count in row["axe"].items():
            totals[impact] += count
    pages = sum(1 for r in rows if r["kind"] == "page")
    states = sum(1 for r in rows if r["kind"] == "wizard")
    controls = sum(r["controls"] for r in rows)
    return [
        f"axe-core over {pages} pages and {states} wizard states: "
        + ", ".join(f"{count} {impact}" for impact, count in totals.items()),
        f"360px: {controls} controls checked (in view, >= 24x24 px or inline, not covered, keyboard)",
    ]
