"""The query UI of `alskg serve` in headless Chromium: it loads, runs an example query and shows
its answer, with no console error and no request off the machine."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from alskg import serve as server
from alskg.build import BuildResult


@pytest.fixture(scope="module")
def endpoint(built: BuildResult) -> Iterator[server.Endpoint]:
    running = server.start(built.out_dir)
    yield running
    server.stop(running)


def test_ui_runs_an_example_query_with_no_console_error(browser, endpoint: server.Endpoint) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: problems.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(endpoint.base)
    page.wait_for_selector(".yasqe .CodeMirror")
    page.wait_for_function("document.querySelectorAll('#examples option').length > 20")
    page.select_option("#examples", "subtypes")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr", timeout=30_000)
    shown = page.inner_text(".yasr")
    assert "MONDO_0" in shown or "MONDO:" in shown
    assert "http://purl.obolibrary.org/obo/OMIM_" in shown or "OMIM" in shown
    page.close()
    assert problems == []
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(endpoint.base).netloc}
