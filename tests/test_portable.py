"""The portable build (site-portable/, `make portable`), opened from files.

Every browser test here loads the build by file:// URL, as a cadre does who double-clicks
index.html, and fails on any request that is not file:, blob: or data:, on any page error and on
any console error (a Content-Security-Policy violation is one).  The flows are the served site's:
a Chinese search query, navigation, the wizard to every disposition and its printed checklist,
a roster file to its exported CSV, the flowchart drawn by Mermaid, the environment check.

The wizard's flows share one page (one Pyodide boot); the build is made by `make test`
(`make portable`) before pytest runs, or set PORTABLE_DIR.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import wizard_paths
from conftest import ROOT, PageGuard
from test_roster import CASES, CASES_AS_OF, roster_rows, to_csv
from test_search_queries import matches, run_query
from wizard_paths import AS_OF, fragment, walk

import decision
from build_scripts.plumbing import engine_bundle
from build_scripts.plumbing.compile_rules import CONTRACT_DISPOSITIONS
from build_scripts.portable import links, payload, post
from decision import roster

PORTABLE_DIR = Path(os.environ.get("PORTABLE_DIR", ROOT / "site-portable"))
if not PORTABLE_DIR.is_absolute():
    PORTABLE_DIR = ROOT / PORTABLE_DIR
TIMEOUT = 120_000  # ms: Pyodide from data scripts, on two cores shared by several engineers
LOCAL_SCHEMES = ("file", "blob", "data")


@pytest.fixture(scope="module")
def portable_dir() -> Path:
    if not (PORTABLE_DIR / "index.html").is_file():
        pytest.fail(f"{PORTABLE_DIR} has no portable build: run `make portable` (make test does it)")
    return PORTABLE_DIR


def file_url(portable_dir: Path, rel: str = "index.html") -> str:
    path, _, frag = rel.partition("#")
    return (portable_dir / path).as_uri() + (f"#{frag}" if frag else "")


def open_page(browser):
    """A page whose every request is recorded; http(s) is refused as well."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    guard = PageGuard()
    requests: list[str] = []

    def refuse(route):
        guard.external.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(https?|wss?|ftp):"), refuse)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and guard.console_errors.append(msg.text))
    page.guard = guard
    page.requests = requests
    return context, page


def check(page) -> None:
    page.guard.check()
    outside = [u for u in page.requests if urlsplit(u).scheme not in LOCAL_SCHEMES]
    assert outside == [], f"requests other than file:, blob:, data: {outside}"
    assert any(u.startswith("file:") for u in page.requests)


@pytest.fixture
def local_page(browser):
    context, page = open_page(browser)
    yield page
    context.close()


# ------------------------------------------------------------------ the build, no browser


def html_pages(portable_dir: Path) -> list[Path]:
    return sorted(p for p in portable_dir.rglob("*.html") if p.name != "404.html")


def test_pages_load_no_module_script_and_link_no_folder(portable_dir):
    pages = html_pages(portable_dir)
    assert len(pages) >= 20
    folder_link = re.compile(r'\s(?:href|data-[a-z-]*-url)="((?:\.\.?/)*[^":#?]*/)(?:[#?][^"]*)?"')
    for page in pages:
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(portable_dir).as_posix()
        assert 'type="module"' not in text and 'rel="modulepreload"' not in text, name
        assert not re.search(r'\ssrc="[^"]*\.mjs"', text), name
        assert folder_link.findall(text) == [], name
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        assert policy and "worker-src blob:" in policy.group(1), name
        assert "unsafe-eval'" not in policy.group(1).replace("'wasm-unsafe-eval'", ""), name
        first_script = re.search(r"<script[^>]*>", text)
        assert first_script and "assets/portable/portable.js" in first_script.group(0), name
        # Every local src/href names a file of the build.
        for ref in re.findall(r'\s(?:src|href)="([^"#?]+)[^"]*"', text):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", ref):
                assert (page.parent / ref).resolve().is_file(), f"{name}: {ref}"


def test_data_scripts_and_search_index(portable_dir):
    data = portable_dir / payload.DATA_DIR
    names = {p.stem for p in data.glob("*.js")}
    assert {
        "pyodide-wasm",
        "python-stdlib",
        "pyodide-lock",
        "decision-zip",
        "decision-snapshot",
        "worker-search",
    } <= names
    assert set(payload.WORKERS) <= names
    for path in data.glob("*.js"):
        head = path.read_bytes()[:200]
        assert head.startswith(b'__portableData("' + path.stem.encode() + b'", "'), path.name
        assert path.read_bytes().isascii(), path.name
    engine = (data / "decision-zip.js").read_text(encoding="ascii")
    assert payload.b64(engine_bundle.engine_zip()) in engine
    index = (portable_dir / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = ")
    docs = json.loads(index[len("var __index = ") :].rstrip().rstrip(";"))["docs"]
    assert all(d["location"].split("#")[0].endswith(".html") for d in docs)
    # What the data scripts deliver is not shipped a second time as the served build's files.
    for rel in post.SERVED_ONLY:
        assert not (portable_dir / rel).exists(), rel


def test_folder_links_name_their_index():
    assert links.to_index("../notice/#p-3-1") == "../notice/index.html#p-3-1"
    assert links.to_index("..") == "../index.html"
    assert links.to_index(".") == "./index.html"
    assert links.to_index("../..") == "../../index.html"
    assert links.to_index("../#case-x") == "../index.html#case-x"
    for unchanged in ("#top", "../assets/x.css", "https://example.org/", "mailto:a@b", "notice/index.html"):
        assert links.to_index(unchanged) == unchanged


# ------------------------------------------------------------------ browser, by file:// URL


def served_location(href: str, base: str) -> str:
    """A result link as the query set writes locations: file:///…/notice/index.html?h=…#s-4-1 -> notice/#s-4-1."""
    parts = urlsplit(href)
    path = parts.path[len(urlsplit(base).path) :].removesuffix("index.html")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


@pytest.mark.browser
def test_search_segments_a_chinese_query_and_opens_the_result(portable_dir, local_page):
    page = local_page
    page.goto(file_url(portable_dir))
    page.locator("input.md-search__input").click()
    base = portable_dir.as_uri() + "/"
    # Colloquial (segmented by the wrapper worker) and digits next to Chinese (rewritten: 2年 -> 两年).
    for query, expected in (("失联多久", ["notice/#p-intro"]), ("停止党籍2年后", ["notice/#s-4-1"])):
        hrefs = run_query(page, query)
        found = [served_location(href, base) for href in hrefs]
        assert any(matches(loc, expected) for loc in found[:5]), (query, found[:5])
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("notice/index.html")
    assert page.locator("h1").first.is_visible()
    check(page)


@pytest.mark.browser
def test_navigation_reaches_pages_not_folders(portable_dir, local_page):
    page = local_page
    page.goto(file_url(portable_dir))
    hrefs = page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all("as => as.map(a => a.href)")
    assert len(hrefs) >= 15
    assert all(urlsplit(h).path.endswith(".html") for h in hrefs), hrefs
    page.get_by_role("link", name="处置向导").first.click()
    page.wait_for_url(re.compile(r"wizard/index\.html"))
    page.get_by_role("link", name="通知全文（注释本）").first.click()
    page.wait_for_url(re.compile(r"notice/index\.html"))
    assert "关于做好与党组织失去联系党员规范管理和组织处置工作的通知" in page.inner_text("article")
    # A quiz page (a page script bundled as a classic script) answers from its links too.
    page.goto(file_url(portable_dir, "training/quiz/index.html"))
    page.wait_for_load_state()
    check(page)


@pytest.fixture(scope="module")
def wizard_page(browser, portable_dir):
    """One wizard page for the module's wizard tests: Pyodide boots once."""
    context, page = open_page(browser)
    page.goto(file_url(portable_dir, f"wizard/index.html#as_of={AS_OF}"))
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=TIMEOUT)
    # Restored from the build's memory snapshot (its data script), not booted.
    assert page.get_attribute("[data-wizard]", "data-engine-boot") == "snapshot"
    yield page
    context.close()


def settle(page):
    page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=TIMEOUT)


@pytest.mark.browser
def test_wizard_reaches_every_disposition_from_files(wizard_page):
    page = wizard_page
    paths = walk()
    for code in CONTRACT_DISPOSITIONS:
        page.evaluate("as_of => { location.hash = 'as_of=' + as_of; }", AS_OF)
        settle(page)
        for key, value in paths[code]:
            wizard_paths.answer(page, key, value, timeout=TIMEOUT)
            settle(page)
        result = page.locator("[data-wizard-result]")
        assert result.get_attribute("data-disposition") == code, code
        assert (
            decision.vocabulary()["dispositions"][code] in result.locator(".wizard-result-title").inner_text()
        )
        assert page.evaluate("location.hash.slice(1)") == fragment(paths[code])
    # The 认定依据 links (built at run time) open the notice's paragraph, a file, not a folder.
    cite = page.locator("[data-wizard-result] a.wizard-cite").first
    assert re.fullmatch(r"\.\./notice/index\.html#p-[\w-]+", cite.get_attribute("href"))
    check(page)


@pytest.mark.browser
def test_wizard_checklist_prints(wizard_page):
    page = wizard_page
    path = walk()["correction_deadline"]
    page.evaluate("f => { location.hash = f; }", fragment(path))
    page.wait_for_selector("[data-wizard-result][data-disposition=correction_deadline]:not([hidden])")
    outcome = decision.decide({"as_of": AS_OF, **dict(path)})
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", "[data-wizard-tools]"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".wizard-print-title").is_visible()
    assert page.locator(".wizard-steps > li").count() == len(outcome["steps"])
    assert page.locator(".wizard-quotes.print-only blockquote").first.is_visible()
    pdf = page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) <= 2
    page.emulate_media(media="screen")
    check(page)


@pytest.mark.browser
def test_roster_file_to_exported_csv(portable_dir, local_page, tmp_path):
    page = local_page
    rows = roster_rows(CASES[:12])
    data = to_csv(rows).encode("utf-8-sig")
    expected = roster.process(data, "名册.csv", as_of=CASES_AS_OF, labels=roster.paragraph_labels())
    page.goto(file_url(portable_dir, "roster/index.html"))
    page.wait_for_selector("#roster[data-state=ready]", timeout=TIMEOUT)
    page.fill("[data-roster-as-of]", CASES_AS_OF)
    page.set_input_files(
        "[data-roster-file]", files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=TIMEOUT)
    assert page.locator("[data-roster-tbody] tr").count() == len(rows) - 1
    counts = {
        b.get_attribute("data-code"): int(b.query_selector("strong").inner_text())
        for b in page.query_selector_all(".roster-count")
    }
    assert counts == expected["counts"]
    with page.expect_download() as download_info:
        page.click("[data-roster-export]")
    saved = tmp_path / "out.csv"
    download_info.value.save_as(saved)
    assert saved.read_bytes().decode("utf-8") == roster.results_csv(expected)
    check(page)


@pytest.mark.browser
def test_flowchart_is_drawn_by_mermaid(portable_dir, local_page):
    page = local_page
    page.goto(file_url(portable_dir, "flowchart/index.html"))
    count = page.locator(".rp-chart[data-chart]").count()
    assert count >= 2
    for _ in range(600):
        if page.locator(".rp-chart[data-state=ready] svg").count() == count:
            break
        page.wait_for_timeout(100)
    assert page.locator(".rp-chart[data-state=ready] svg").count() == count
    check(page)


@pytest.mark.browser
def test_environment_check_boots_python(portable_dir, local_page):
    page = local_page
    # A slow boot is waited for (the page says it is slow, and goes on): no clock tricks needed.
    page.goto(file_url(portable_dir, "about/check/index.html"))
    page.wait_for_selector("#env-check[data-state=ready]", timeout=TIMEOUT)
    assert "Python 3." in page.inner_text("#env-check")
    check(page)


def test_zip_unpacks_to_the_build_with_its_readme(portable_dir, tmp_path):
    """What the browser tests open is what a cadre unpacks: the zip holds the build byte for byte."""
    import zipfile

    from build_scripts.portable import dist as portable_dist

    stamp = (2026, 1, 1, 0, 0, 0)
    zip_path, checksum = portable_dist.build_zip(portable_dir, tmp_path, "9.9.9", stamp)
    assert checksum.read_text().split()[1] == zip_path.name
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unpacked")
    top = tmp_path / "unpacked" / "site-portable-9.9.9"
    readme = (top / "README.txt").read_text(encoding="utf-8-sig")
    assert "双击 index.html" in readme
    built = {p.relative_to(portable_dir).as_posix() for p in portable_dir.rglob("*") if p.is_file()}
    unpacked = {p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file()} - {"README.txt"}
    assert unpacked == built
    for rel in built:
        assert (top / rel).read_bytes() == (portable_dir / rel).read_bytes(), rel


def test_no_file_names_an_external_address(portable_dir):
    """The served site's static offline checks, on the portable build's HTML, CSS and scripts."""
    import test_site_offline

    test_site_offline.test_no_html_fetches_external(portable_dir)
    test_site_offline.test_no_css_or_js_fetches_external(portable_dir)
