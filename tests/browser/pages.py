"""Shared browser-test steps: signing in and crawling every page a user can reach, each page checked."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from conftest import TEST_PASSWORD
from django.urls import resolve

from tests.browser.axe import check_page

# Files to download, not pages: their own tests read them back.
DOWNLOADS = (".xlsx", ".csv", ".pdf", ".ics")


def sign_in(page: Any, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/sign-in/")
    check_page(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def crawl(page: Any, limit: int = 200, within: str = "/") -> list[str]:
    """Visit every page linked from the current one, one page per view and set of query parameters.

    Only addresses whose path contains `within` are followed. Each page must answer 200 and pass
    check_page. Links to files (marked `download`, ending in a file extension, or answering with anything
    but HTML) are left to their own tests. Returns the addresses visited.
    """
    origin = urlsplit(page.url).netloc
    queue: list[str] = [page.url]
    visited: list[str] = []
    seen = {(resolve(urlsplit(page.url).path).view_name, ())}
    while queue and len(visited) < limit:
        url = queue.pop(0)
        head = page.request.get(url)
        if "text/html" not in head.headers.get("content-type", ""):
            assert head.status == 200, f"{url} answered {head.status}"
            continue  # a file to download: its own tests read it back
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, f"{url} answered {response.status}"
        check_page(page)
        visited.append(url)
        for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if (
                parts.netloc != origin
                or within not in parts.path
                or parts.path.startswith("/static/")
                or parts.path.endswith(DOWNLOADS)
            ):
                continue
            kind = (resolve(parts.path).view_name, tuple(sorted(parse_qs(parts.query))))
            if kind not in seen:
                seen.add(kind)
                queue.append(href.split("#")[0])
    assert not queue, f"the crawl stopped at {limit} pages with {len(queue)} still to visit: {queue}"
    return visited
