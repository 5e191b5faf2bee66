"""The search index is requested on first use or when the page is idle, not on every page load
(docs/assets/js/search-lazy.js, in front of Material's bundle)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def index_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: "search_index" in r.url and requests.append(r.url))
    return requests


def test_index_waits_for_the_search_box(base_url, guarded_page):
    page = guarded_page
    requests = index_requests(page)
    page.goto(base_url + "glossary/", wait_until="load")
    page.wait_for_timeout(1000)  # well within the idle delay (3 s after load)
    assert requests == []
    page.focus(".md-search__input")
    page.fill(".md-search__input", "除名")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    assert len(requests) == 1
    page.guard.check()


def test_index_loads_when_the_page_is_idle(base_url, guarded_page):
    page = guarded_page
    requests = index_requests(page)
    page.goto(base_url + "glossary/", wait_until="load")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('search_index'))",
        timeout=30_000,
    )
    assert len(requests) == 1
    page.guard.check()


def test_engine_pages_hold_the_index_until_the_engine_is_ready(base_url, guarded_page):
    page = guarded_page
    requests = index_requests(page)
    # The order of two events, watched from the document's start: the engine leaves its loading
    # state, then (idle) the index is requested.
    page.add_init_script(
        """window.__order = [];
        new MutationObserver(() => { const root = document.getElementById('roster');
          if (root && root.dataset.state !== 'loading' && !window.__order.some((e) => e[0] === 'ready')) window.__order.push(['ready', performance.now()]); })
          .observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
        new PerformanceObserver((list) => { for (const e of list.getEntries())
          if (e.name.includes('search_index')) window.__order.push(['index', e.startTime]); })
          .observe({ type: 'resource', buffered: true });"""
    )
    page.goto(base_url + "roster/")
    page.wait_for_function("() => window.__order.some((e) => e[0] === 'index')", timeout=120_000)
    (first, ready_at), (second, requested_at) = page.evaluate("window.__order")
    assert (first, second) == ("ready", "index") and requested_at > ready_at
    assert len(requests) == 1
    page.guard.check()
