"""The decision wizard (Pyodide in a module worker) and its printable case checklist.

Browser tests drive Debian's Chromium through the `guarded_page` fixture: every request off
127.0.0.1 is blocked and fails the test, as does any page error.  The answer paths come from
walking the engine under CPython (tests/wizard_paths.py), never from lists written by hand.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import urlencode

import pytest
import wizard_paths
from wizard_paths import AS_OF, fragment, walk

import decision
from build_scripts.pages import wizard
from build_scripts.plumbing import engine_bundle
from build_scripts.plumbing.compile_rules import CONTRACT_DISPOSITIONS
from decision import dates, wizard_bridge

READY_TIMEOUT = 60_000  # ms: two cores shared by six engineers; Pyodide boots in a few seconds


@pytest.fixture(scope="module")
def paths():
    return walk()


# ------------------------------------------------------------------ build side, no browser


def test_every_disposition_has_an_answer_path(paths):
    missing = [code for code in CONTRACT_DISPOSITIONS if code not in paths]
    assert missing == [], f"no answer path reaches {missing}"
    for code, path in paths.items():
        assert decision.decide({"as_of": AS_OF, **dict(path)})["disposition"] == code


def test_engine_zip_is_deterministic_and_complete():
    first, second = engine_bundle.engine_zip(), engine_bundle.engine_zip()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {
            "decision/__init__.py",
            "decision/rules.json",
            "decision/wizard_bridge.py",
            "decision/notice_paragraphs.json",
        } <= set(names)
        assert {info.date_time for info in archive.infolist()} == {engine_bundle.ZIP_DATE}
        assert archive.read("decision/rules.json") == (engine_bundle.DECISION / "rules.json").read_bytes()
        sources = sorted(
            p.relative_to(engine_bundle.DECISION).as_posix()
            for p in engine_bundle.DECISION.rglob("*.py")
            if "__pycache__" not in p.parts
        )
        assert [
            n.split("/", 1)[1] for n in names if n.startswith("decision/") and n.endswith(".py")
        ] == sources
        for name in sources:
            assert archive.read(f"decision/{name}") == (engine_bundle.DECISION / name).read_bytes()
        paragraphs = json.loads(archive.read("decision/notice_paragraphs.json"))
        assert paragraphs["p-3-3"]["text"].startswith("3. 严格组织处置程序")


def test_built_zip_is_the_one_the_sources_give(site_dir):
    assert (site_dir / engine_bundle.ZIP_PATH).read_bytes() == engine_bundle.engine_zip()


def test_page_prerenders_the_engines_first_question(site_dir):
    page = (site_dir / "wizard" / "index.html").read_text(encoding="utf-8")
    first = decision.decide({})
    assert first["status"] == "incomplete"
    question = first["question"]
    assert re.search(r'<div class="wizard"[^>]*\bdata-wizard\b[^>]*data-state="loading"', page)
    assert f'data-question="{question["key"]}"' in page
    assert question["text"] in page
    for option in question.get("options") or []:
        assert option["label"] in page
    # The fallback link to the static disposition pages is in the page from the start.
    assert wizard.DISPOSITIONS_URL in page


def test_bridge_types_fragment_values_and_keeps_valid_answers():
    view = wizard_bridge.view(
        {
            "pairs": [
                ["as_of", AS_OF],
                ["contact", "lost"],
                ["violations", "false"],
                ["months_out_of_contact", "30"],
            ]
        }
    )
    assert view["errors"] == []
    assert view["facts"] == {
        "as_of": AS_OF,
        "contact": "lost",
        "violations": False,
        "months_out_of_contact": 30,
    }


@pytest.mark.parametrize(
    "pairs, bad_key",
    [
        ([["<img src=x onerror=alert(1)>", "1"]], "<img src=x onerror=alert(1)>"),
        ([["contact", "<script>alert(1)</script>"]], "contact"),
        ([["contact", "lost"], ["contact", "restored"]], "contact"),
        ([["last_contact", "2026-02-30"]], "last_contact"),
        ([["last_contact", "2099-01-01"]], "last_contact"),
        ([["months_out_of_contact", "-5"]], "months_out_of_contact"),
    ],
)
def test_bridge_reports_bad_input_in_both_languages_and_loses_nothing_else(pairs, bad_key):
    view = wizard_bridge.view({"pairs": [["as_of", AS_OF], ["member", "full"], *pairs]})
    assert [e["key"] for e in view["errors"]] == [bad_key]
    error = view["errors"][0]
    assert error["message"] and error["message_zh"]
    assert re.search(r"[\u4e00-\u9fff]", error["message_zh"])
    assert view["facts"]["member"] == "full" and bad_key not in view["facts"]
    assert view["outcome"]["status"] in ("incomplete", "complete")


def test_bridge_summary_lists_only_answers_the_engine_used(paths):
    path = paths["suspend_membership"]
    pairs = [["as_of", AS_OF], *([k, fragment_value(v)] for k, v in path)]
    # An answer that cannot matter once contact is lost (cause of losing contact) is reported as unused.
    view = wizard_bridge.view({"pairs": [*pairs, ["cause", "objective"]]})
    assert view["outcome"]["disposition"] == "suspend_membership"
    assert [a["key"] for a in view["answered"]] == [k for k, _ in path]
    assert [a["key"] for a in view["unused"]] == ["cause"]
    cited = set(view["paragraphs"])
    for finding in view["outcome"]["findings"]:
        assert set(finding.get("cites") or []) <= cited


def fragment_value(value):
    return value if isinstance(value, str) else json.dumps(value)


# ------------------------------------------------------------------ browser


def wizard_url(base_url, frag=""):
    return f"{base_url}wizard/" + (f"#{frag}" if frag else "")


def wait_ready(page):
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)


def wait_settled(page):
    page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=READY_TIMEOUT)


def answer(page, key, value):
    wizard_paths.answer(page, key, value, timeout=READY_TIMEOUT)


def click_through(page, path):
    for key, value in path:
        answer(page, key, value)
        wait_settled(page)


def start_over(page):
    """A fresh case in the same page load, at the tests' fixed assessment date."""
    page.evaluate("as_of => { location.hash = 'as_of=' + as_of; }", AS_OF)
    wait_settled(page)


@pytest.mark.browser
def test_every_disposition_by_clicks_and_by_url(base_url, guarded_page, paths):
    page = guarded_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(wizard_url(base_url))
    wait_ready(page)
    for code in CONTRACT_DISPOSITIONS:
        start_over(page)
        click_through(page, paths[code])
        result = page.locator("[data-wizard-result]")
        assert result.get_attribute("data-disposition") == code, code
        assert result.is_visible()
        # The result names the disposition in words and links each 认定依据 item to the notice.
        label = decision.vocabulary()["dispositions"][code]
        assert label in result.locator(".wizard-result-title").inner_text()
        findings = result.locator(".wizard-findings > li")
        assert findings.count() >= 1
        for n in range(findings.count()):
            hrefs = (
                findings.nth(n)
                .locator("a.wizard-cite")
                .evaluate_all("as => as.map(a => a.getAttribute('href'))")
            )
            assert all(re.fullmatch(r"\.\./notice/#p-[\w-]+", h) for h in hrefs), hrefs
        # The fragment holds the contract keys and nothing else; the same URL reproduces the result.
        assert page.evaluate("location.hash.slice(1)") == fragment(paths[code])
    for code in CONTRACT_DISPOSITIONS:
        page.goto(wizard_url(base_url, fragment(paths[code])))
        page.wait_for_selector(f"[data-wizard-result][data-disposition={code}]", timeout=READY_TIMEOUT)
    assert dialogs == []
    page.guard.check()


@pytest.mark.browser
def test_first_question_is_answerable_before_the_engine_loads(base_url, guarded_page, paths):
    page = guarded_page
    held = []
    page.route("**/assets/engine/decision.zip*", lambda route: held.append(route))
    page.goto(wizard_url(base_url), wait_until="domcontentloaded")
    page.wait_for_selector("[data-wizard][data-interactive]")
    assert page.get_attribute("[data-wizard]", "data-state") == "loading"
    assert page.locator("[data-wizard-status] progress").is_visible()
    first_key, first_value = paths["normal_management"][0]
    answer(page, first_key, first_value)
    # Queued: the answer is in the fragment and the summary, the page still loading and responsive.
    page.wait_for_selector(f'[data-wizard-summary] [data-answer="{first_key}"]')
    assert page.get_attribute("[data-wizard]", "data-state") == "loading"
    assert first_key in page.evaluate("location.hash")
    for _ in range(600):  # the worker asks for the engine while Pyodide boots
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the worker never requested the engine bundle"
    assert page.get_attribute("[data-wizard]", "data-state") == "loading"
    for route in held:
        route.continue_()
    page.unroute("**/assets/engine/decision.zip*")
    wait_ready(page)
    wait_settled(page)
    next_key = paths["normal_management"][1][0]
    page.wait_for_selector(f'[data-wizard-step] form[data-question="{next_key}"]', timeout=READY_TIMEOUT)
    page.guard.check()


@pytest.mark.browser
def test_loading_failure_says_so_and_links_the_disposition_pages(base_url, guarded_page):
    page = guarded_page
    page.route("**/assets/engine/decision.zip*", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(wizard_url(base_url, "contact=lost"))
    page.wait_for_selector("[data-wizard][data-state=error]", timeout=READY_TIMEOUT)
    alert = page.locator("[data-load-problem]")
    assert alert.is_visible()
    assert "未能下载" in alert.inner_text()
    assert alert.locator(f'a[href="{wizard.DISPOSITIONS_URL}"]').count() == 1
    assert not page.locator("[data-wizard-status] progress").is_visible()
    # Bad HTTP status is an expected, reported failure here, not a page error.
    page.guard.console_errors[:] = [m for m in page.guard.console_errors if "404" not in m]
    page.guard.check()


@pytest.mark.browser
def test_slow_loading_is_said_and_the_engine_arriving_late_still_works(base_url, guarded_page):
    page = guarded_page
    held = []
    page.route("**/assets/engine/decision.zip*", lambda route: held.append(route))
    page.add_init_script("window.__watchdogSeconds = 3;")  # the page's watchdog: 25 s without progress
    page.goto(wizard_url(base_url))
    page.wait_for_selector("[data-wizard][data-interactive]")
    page.wait_for_selector("[data-load-problem][data-kind=slow]:not([hidden])", timeout=READY_TIMEOUT)
    assert page.get_attribute("[data-wizard]", "data-state") == "loading"  # slow is not a verdict
    alert = page.locator("[data-load-problem]")
    assert "秒没有加载进展" in alert.inner_text()
    assert alert.locator(f'a[href="{wizard.DISPOSITIONS_URL}"]').count() == 1
    # The engine arriving late still makes the wizard usable.
    for _ in range(600):
        if held:
            break
        page.wait_for_timeout(100)
    for route in held:
        route.continue_()
    page.unroute("**/assets/engine/decision.zip*")
    wait_ready(page)
    page.wait_for_selector("[data-load-problem]", state="hidden")
    assert page.locator("[data-wizard-alert]").is_hidden()
    page.guard.check()


@pytest.mark.browser
def test_fragment_round_trip_edit_and_back(base_url, guarded_page, paths):
    page = guarded_page
    path = paths["correction_deadline"]
    page.goto(wizard_url(base_url, f"as_of={AS_OF}"))
    wait_ready(page)
    wait_settled(page)
    click_through(page, path)
    page.wait_for_selector("[data-wizard-result][data-disposition=correction_deadline]")
    url = page.url
    # Material's in-page links (skip link, heading permalink: `#_1`) jump without losing the case.
    page.locator("h1 a.headerlink").first.click()
    page.wait_for_function("u => location.href === u", arg=url)
    assert page.get_attribute("[data-wizard-result]", "data-disposition") == "correction_deadline"
    assert page.locator("[data-wizard-alert]").is_hidden()
    # Reload reproduces the state.
    page.reload()
    page.wait_for_selector(
        "[data-wizard-result][data-disposition=correction_deadline]", timeout=READY_TIMEOUT
    )
    assert page.url == url
    # 修改 an answer in the summary: focus moves to the question, which shows the current answer.
    key, value = next((k, v) for k, v in path if k == "cause")
    page.locator(f'[data-wizard-summary] button[data-edit="{key}"]').click()
    form = page.locator(f'[data-wizard-step] form[data-question="{key}"]')
    assert form.locator("input:checked").get_attribute("value") == json.dumps(value)
    assert page.evaluate("document.activeElement.tagName") == "H2"
    other = next(o["value"] for o in decision.question(key)["options"] if o["value"] != value)
    answer(page, key, other)
    wait_settled(page)
    changed = decision.decide({"as_of": AS_OF, **dict(path), key: other})
    if changed["status"] == "complete":
        assert page.get_attribute("[data-wizard-result]", "data-disposition") == changed["disposition"]
    else:
        page.wait_for_selector(f'[data-wizard-step] form[data-question="{changed["next_question"]}"]')
    # The browser's back button returns to the previous answers and result.
    page.go_back()
    page.wait_for_selector("[data-wizard-result][data-disposition=correction_deadline]:not([hidden])")
    assert page.url == url
    # 上一步 removes the last answer and asks it again.
    page.locator("[data-wizard-tools] [data-back]").click()
    wait_settled(page)
    page.wait_for_selector(f'[data-wizard-step] form[data-question="{path[-1][0]}"]')
    assert page.evaluate("document.activeElement.tagName") == "H2"
    # 重新开始 clears everything.
    page.locator("[data-wizard-tools] [data-restart]").click()
    wait_settled(page)
    assert page.evaluate("location.hash") == ""
    page.wait_for_selector(f'[data-wizard-step] form[data-question="{decision.decide({})["next_question"]}"]')
    assert page.locator("[data-wizard-summary]").is_hidden()
    page.guard.check()


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "contact=<script>alert(1)</script>",
    "contact=lost&member=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "%3Csvg%20onload%3Dalert(1)%3E=1",
    "__proto__=x&constructor=y&contact=lost",
    "javascript:alert(1)",
    "contact=lost&contact=restored",
    "last_contact=2099-01-01&contact=lost",
    "months_out_of_contact=-5",
    "as_of=2020-02-30&contact=lost",
    "contact=lost&" + "a=" * 3000,
    "%E0%A4%A=%%%",
]


@pytest.mark.browser
def test_hostile_fragments_get_a_message_and_inject_nothing(base_url, guarded_page):
    page = guarded_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(wizard_url(base_url))
    wait_ready(page)
    count_js = "() => document.querySelectorAll('img, script, iframe, svg, object, embed, [onerror], [onload]').length"
    before = page.evaluate(count_js)
    for frag in HOSTILE:
        page.evaluate("f => { location.hash = f; }", frag)
        wait_settled(page)
        alert = page.locator("[data-wizard-alert]")
        assert alert.is_visible(), frag
        assert re.search(r"[\u4e00-\u9fff]", alert.inner_text()), frag
        assert page.evaluate(count_js) == before, frag
        assert page.get_attribute("[data-wizard]", "data-state") == "ready"
    # Fresh page loads with a hostile fragment too (the first render path).
    for frag in HOSTILE[:3]:
        page.goto(wizard_url(base_url, frag))
        wait_ready(page)
        wait_settled(page)
        assert page.locator("[data-wizard-alert]").is_visible()
        assert page.evaluate(count_js) == before
    assert dialogs == []
    # Invalid input is logged for developers as warnings (English), never as errors.
    page.guard.check()


@pytest.mark.browser
def test_print_shows_the_checklist_without_chrome(base_url, guarded_page, paths):
    page = guarded_page
    page.goto(wizard_url(base_url, fragment(paths["correction_deadline"])))
    page.wait_for_selector(
        "[data-wizard-result][data-disposition=correction_deadline]", timeout=READY_TIMEOUT
    )
    outcome = decision.decide({"as_of": AS_OF, **dict(paths["correction_deadline"])})
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-footer",
        "[data-wizard-tools]",
        "[data-wizard-summary]",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".wizard-print-title").is_visible()
    fill = page.locator(".wizard-fill").inner_text()
    for blank in ("姓名", "所在党支部", "日期"):
        assert blank in fill
    steps = page.locator(".wizard-steps > li")
    assert steps.count() == len(outcome["steps"])
    for n in range(steps.count()):
        assert steps.nth(n).locator("input[type=checkbox]").is_visible()
        assert steps.nth(n).locator(".wizard-sign").is_visible()
    quotes = page.locator(".wizard-quotes.print-only blockquote")
    assert quotes.count() >= 1 and quotes.first.is_visible()
    texts = wizard_bridge.paragraphs()
    for n in range(quotes.count()):
        pid = quotes.nth(n).get_attribute("data-paragraph")
        assert texts[pid]["text"] in quotes.nth(n).inner_text().replace("\n", "")
    digest = page.locator(".wizard-digest").inner_text()
    assert decision.rules_digest() in digest and "打印日期" in digest
    page.emulate_media(media="screen")
    assert page.locator(".wizard-print-title").is_hidden()
    # Every disposition's checklist (on the engine's own answer paths) fits on two A4 pages.
    page.emulate_media(media="print")
    pages = {}
    for code, path in paths.items():
        page.evaluate("f => { location.hash = f; }", fragment(path))
        page.wait_for_selector(f"[data-wizard-result][data-disposition={code}]:not([hidden])")
        pages[code] = pdf_pages(page.pdf(format="A4"))
    assert all(1 <= n <= 2 for n in pages.values()), pages
    page.guard.check()


def pdf_pages(pdf: bytes) -> int:
    """Page count of Chromium's PDF (one uncompressed /Type /Page object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.browser
def test_export_and_import_go_through_the_engine(base_url, guarded_page, paths, tmp_path):
    page = guarded_page
    page.goto(wizard_url(base_url, fragment(paths["removal"])))
    page.wait_for_selector("[data-wizard-result][data-disposition=removal]", timeout=READY_TIMEOUT)
    with page.expect_download() as download:
        page.locator("[data-wizard-tools] [data-export]").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["case"] == {"as_of": AS_OF, **dict(paths["removal"])}
    assert exported["result"]["disposition"] == "removal"
    # Import it into a fresh wizard.
    page.locator("[data-wizard-tools] [data-restart]").click()
    wait_settled(page)
    page.set_input_files(
        "#wizard-import",
        files=[
            {"name": "case.json", "mimeType": "application/json", "buffer": json.dumps(exported).encode()}
        ],
    )
    page.wait_for_selector("[data-wizard-result][data-disposition=removal]", timeout=READY_TIMEOUT)
    # An invalid case is refused with the engine's Chinese message, and the current case stays.
    bad = {"case": {"as_of": AS_OF, "contact": "maybe"}, "format": "shilian-case"}
    page.set_input_files(
        "#wizard-import",
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": json.dumps(bad).encode()}],
    )
    page.wait_for_selector("[data-wizard-alert]:not([hidden]) [data-error-key=contact]")
    assert page.get_attribute("[data-wizard-result]", "data-disposition") == "removal"
    page.set_input_files(
        "#wizard-import", files=[{"name": "x.json", "mimeType": "application/json", "buffer": b"{nope"}]
    )
    # The alert is already showing the previous refusal: wait for its text to change, not for it to show.
    page.wait_for_function(
        "() => (document.querySelector('[data-wizard-alert]')?.innerText || '').includes('JSON')",
        timeout=5000,
    )
    assert "JSON" in page.locator("[data-wizard-alert]").inner_text()
    page.guard.check()


def test_fragment_helper_uses_contract_keys():
    assert fragment([("contact", "lost"), ("violations", False)]) == urlencode(
        [("as_of", AS_OF), ("contact", "lost"), ("violations", "false")]
    )


@pytest.mark.browser
def test_date_answers_show_the_engines_thresholds_and_as_of_goes_to_the_fragment(base_url, guarded_page):
    page = guarded_page
    page.goto(wizard_url(base_url, f"as_of={AS_OF}"))
    wait_ready(page)
    wait_settled(page)
    first = decision.decide({"as_of": AS_OF})
    assert decision.question(first["next_question"])["type"] == "date"
    key = first["next_question"]
    day = dates.add_months(dates.parse(AS_OF), -7).isoformat()  # in scope, before the assessment date
    expected = wizard_bridge.preview({"pairs": [["as_of", AS_OF]], "key": key, "value": day})["findings"]
    assert expected, "the engine gives no finding for a date: nothing to show"
    form = page.locator(f'[data-wizard-step] form[data-question="{key}"]')
    form.locator("input[type=date]").fill(day)
    preview = form.locator("[data-wizard-preview] p")
    preview.first.wait_for()
    assert preview.all_inner_texts() == [f["text"] for f in expected]
    # A date after the assessment date: the engine's Chinese message, shown before answering.
    form.locator("input[type=date]").fill("2099-01-01")
    page.wait_for_selector("[data-wizard-preview] .wizard-preview-error")
    # The assessment date is a fact like the others: changing it puts it into the fragment.
    page.locator("#wizard-as-of").fill("2026-01-15")
    page.wait_for_function("() => location.hash.includes('as_of=2026-01-15')")
    wait_settled(page)
    assert page.locator("#wizard-as-of").input_value() == "2026-01-15"
    # Answer the alternative instead (失联月数 for 最后联系日期): it replaces the date.
    answer(page, key, day)
    wait_settled(page)
    alternative = decision.question(key)["alternatives"][0]
    page.locator(f'[data-wizard-summary] button[data-edit="{key}"]').click()
    page.locator(f'[data-wizard-step] button[data-alternative="{alternative}"]').click()
    answer(page, alternative, 30)
    wait_settled(page)
    params = page.evaluate("[...new URLSearchParams(location.hash.slice(1)).keys()]")
    assert alternative in params and key not in params
    page.guard.check()


@pytest.mark.browser
def test_optional_questions_redecide(base_url, guarded_page, paths):
    with_optional = [
        (code, path, outcome)
        for code, path in paths.items()
        if (outcome := decision.decide({"as_of": AS_OF, **dict(path)}))["optional_questions"]
    ]
    assert with_optional, "no outcome offers an optional question"
    code, path, outcome = with_optional[0]
    key = outcome["optional_questions"][0]
    question = decision.question(key)
    value = next(o["value"] for o in question["options"] if o["value"] != question["default"])
    expected = decision.decide({"as_of": AS_OF, **dict(path), key: value})
    actions = decision.vocabulary()["actions"]
    page = guarded_page
    page.goto(wizard_url(base_url, fragment(path)))
    page.wait_for_selector(f"[data-wizard-result][data-disposition={code}]", timeout=READY_TIMEOUT)
    group = page.locator(f'[data-wizard-result] fieldset[data-optional="{key}"]')
    assert group.locator("input:checked").get_attribute("value") == json.dumps(question["default"])
    group.locator(f"input[value='{json.dumps(value)}']").check()
    page.wait_for_function("k => location.hash.includes(k + '=')", arg=key)
    wait_settled(page)
    result = page.locator("[data-wizard-result]")
    assert result.get_attribute("data-disposition") == expected["disposition"]
    shown = result.locator(".wizard-actions li").all_inner_texts()
    assert shown == [actions[a] for a in expected["actions"]]
    assert shown != [actions[a] for a in outcome["actions"]], "the optional answer changed nothing"
    page.guard.check()


@pytest.mark.browser
def test_keyboard_only_answers_and_focus_follows_the_questions(base_url, guarded_page, paths):
    page = guarded_page
    path = paths["suspend_membership"]
    page.goto(wizard_url(base_url, f"as_of={AS_OF}"))
    wait_ready(page)
    wait_settled(page)
    for n, (key, value) in enumerate(path):
        form = f'[data-wizard-step] form[data-question="{key}"]'
        page.wait_for_selector(form)
        if n:  # focus moved to the new question's heading
            assert page.evaluate("() => document.activeElement.closest('form')?.dataset.question") == key
            assert page.evaluate("() => document.activeElement.tagName") == "H2"
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            page.focus(f"{form} input[type=date]")
            page.keyboard.type(value.replace("-", "")[4:8] + value[:4])  # Chromium's date field: mm dd yyyy
        else:
            page.keyboard.press("Tab")  # heading -> first option
            options = decision.question(key)["options"]
            for _ in range([o["value"] for o in options].index(value)):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        page.keyboard.press("Enter")
        wait_settled(page)
    page.wait_for_selector("[data-wizard-result][data-disposition=suspend_membership]")
    assert page.evaluate("location.hash.slice(1)") == fragment(path)
    assert page.evaluate("() => document.activeElement.classList.contains('wizard-result-title')")
    page.guard.check()


def test_bridge_never_raises_on_any_fragment_or_imported_case():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    keys = st.sampled_from([q["key"] for q in decision.questions()]) | st.text(max_size=12)
    raw = (
        st.sampled_from(["true", "false", "", "0", "7", "-1", "2025-02-29", "2024-02-29", "9999-12-31"])
        | st.sampled_from(
            [str(o["value"]).lower() for q in decision.questions() for o in q.get("options") or []]
        )
        | st.text(max_size=15)
    )
    json_values = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=10)
        | st.lists(st.integers())
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        pairs=st.lists(st.tuples(keys, raw), max_size=8),
        case=st.dictionaries(keys, json_values, max_size=6),
    )
    def check(pairs, case):
        for request in ({"pairs": [list(p) for p in pairs], "today": AS_OF}, {"facts": case, "today": AS_OF}):
            view = json.loads(wizard_bridge.view_json(json.dumps(request)))
            assert view["outcome"] is not None or view["errors"]
            for error in view["errors"]:
                assert error["message"] and error["message_zh"]
            if view["outcome"] is not None:
                again = decision.decide({"as_of": AS_OF, **view["facts"]})  # what was kept is valid
                assert again["status"] == view["outcome"]["status"]

    check()


def test_bridge_summary_never_calls_a_fact_the_engine_read_unused():
    # A date and a month count given together are both read (they are checked against each other).
    first = decision.decide({"as_of": AS_OF})
    key = first["next_question"]
    alternative = decision.question(key)["alternatives"][0]
    # Seven months before the assessment date, and a month count that contradicts it: the outcome
    # rests on both.
    seven_months_back = decision.dates.add_months(decision.dates.parse(AS_OF), -7).isoformat()
    view = wizard_bridge.view({"pairs": [["as_of", AS_OF], [key, seven_months_back], [alternative, "30"]]})
    assert {a["key"] for a in view["answered"]} >= {key, alternative}
    assert view["unused"] == []


@pytest.mark.browser
def test_wizard_starts_its_engine_itself_if_the_head_script_did_not_run(site_dir, base_url, guarded_page):
    page = guarded_page
    html = (site_dir / "wizard" / "index.html").read_text(encoding="utf-8")
    stripped, n = re.subn(r"<script data-wizard-worker=[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    assert n == 1
    page.route(wizard_url(base_url), lambda route: route.fulfill(body=stripped, content_type="text/html"))
    page.goto(wizard_url(base_url))
    wait_ready(page)
    assert page.evaluate("window.__wizardBoot === undefined")
    page.guard.check()


# Every request the page posts to the engine's worker, with the fragment it judges.
RECORD_REQUESTS = """(() => {
  const post = Worker.prototype.postMessage;
  window.__asked = [];
  Worker.prototype.postMessage = function (message, ...rest) {
    const request = message && message.request;
    if (request) {
      window.__asked.push({ op: request.op || "view", fragment: new URLSearchParams(request.pairs || []).toString() });
    }
    return post.call(this, message, ...rest);
  };
})()"""


@pytest.mark.browser
def test_the_next_views_are_judged_ahead_and_a_click_shows_one_without_asking_again(
    base_url, guarded_page, paths
):
    page = guarded_page
    page.add_init_script(RECORD_REQUESTS)
    path = max(paths.values(), key=len)
    # Up to the first yes/no or choice question after at least one answer.
    n = next(
        i for i, (key, _) in enumerate(path) if i and decision.question(key)["type"] in ("bool", "choice")
    )
    page.goto(wizard_url(base_url, fragment(path[:n])))
    wait_ready(page)
    wait_settled(page)
    key, value = path[n]
    page.wait_for_selector(f'[data-wizard-step] form[data-question="{key}"]')
    # Each of the question's answers is judged while the user reads it (the fragment it would give).
    options = [o["value"] for o in decision.question(key)["options"]]
    nexts = [fragment([*path[:n], (key, option)]) for option in options]
    page.wait_for_function(
        "nexts => nexts.every(f => window.__asked.some(a => a.op === 'view' && a.fragment === f))",
        arg=nexts,
        timeout=READY_TIMEOUT,
    )
    before = page.evaluate("({ asked: window.__asked.length, history: history.length })")
    answer(page, key, value)
    wait_settled(page)
    # The click shows the view judged ahead: the engine is not asked for this fragment again ...
    after = page.evaluate("n => window.__asked.slice(n)", before["asked"])
    assert fragment(path[: n + 1]) not in [a["fragment"] for a in after if a["op"] == "view"]
    # ... and the fragment, the history and what is shown are those of a plain answer.
    assert page.evaluate("location.hash.slice(1)") == fragment(path[: n + 1])
    assert page.evaluate("history.length") == before["history"] + 1
    outcome = decision.decide({"as_of": AS_OF, **dict(path[: n + 1])})
    if outcome["status"] == "complete":
        assert page.get_attribute("[data-wizard-result]", "data-disposition") == outcome["disposition"]
    else:
        page.wait_for_selector(f'[data-wizard-step] form[data-question="{outcome["next_question"]}"]')
    # Back: the earlier question again, judged by the engine for its fragment (nothing stale).
    page.go_back()
    page.wait_for_selector(f'[data-wizard-step] form[data-question="{key}"]')
    wait_settled(page)
    assert page.evaluate("location.hash.slice(1)") == fragment(path[:n])
    page.guard.check()


@pytest.mark.browser
def test_a_restored_engine_writes_its_files_from_javascript(base_url, guarded_page):
    page = guarded_page
    page.goto(wizard_url(base_url))
    wait_ready(page)
    detail = page.evaluate("performance.getEntriesByName('wizard:ready')[0].detail")
    assert page.get_attribute("[data-wizard]", "data-engine-boot") == "snapshot"
    assert detail["unpack"] == "js"
    times = detail["worker"]
    assert times["start"] <= times["booted"] <= times["unpacked"] <= times["ready"]
    page.guard.check()
