"""Accessibility and structure checks run on every page the browser tests visit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, limited to the WCAG 2.2 A and AA rules."""
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}; run `make assets`"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
            lines.append(f"       {node.get('html', '')[:200]}")
    return "\n".join(lines)


def check_page(page: Any) -> None:
    """Zero axe violations, exactly one h1 and a non-empty <title>; failures name every node at fault."""
    page.wait_for_load_state("load")
    title = page.title().strip()
    assert title, f"{page.url} has no <title>"
    assert page.locator("h1").count() == 1, f"{page.url} has {page.locator('h1').count()} h1 elements"
    violations = axe_violations(page)
    assert not violations, f"Accessibility violations on {page.url} ({title}):\n{describe(violations)}"
