"""Every template in the project compiles, and every URL name a template links to exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

import wholecouncil
from tests.urlwalk import all_routes

SRC = Path(wholecouncil.__file__).resolve().parent
TEMPLATE_FILES = sorted(
    p for p in SRC.glob("*/templates/**/*") if p.is_file() and p.suffix in {".html", ".txt"}
)
URL_TAG = re.compile(r"""{%\s*url\s+['"](?P<name>[^'"]+)['"]""")


def _name(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return "/".join(parts[parts.index("templates") + 1 :])


NAMES = [_name(p) for p in TEMPLATE_FILES]


def test_templates_are_found() -> None:
    assert "web/base.html" in NAMES
    assert "council/operating_model.html" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_template_compiles(name: str) -> None:
    get_template(name)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=NAMES)
def test_template_links_only_to_urls_that_exist(path: Path) -> None:
    known = {r.name for r in all_routes()}
    missing = sorted({m["name"] for m in URL_TAG.finditer(path.read_text()) if m["name"] not in known})
    assert not missing, f"{_name(path)} links to URL names that do not exist: {', '.join(missing)}"
