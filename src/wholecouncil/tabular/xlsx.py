"""Writing XLSX workbooks safely: text people typed or uploaded is always written as text.

By default xlsxwriter's `worksheet.write()` turns a string starting with "=" into a live formula and a
string that looks like a URL into a hyperlink. Every workbook the app produces is made with `new_workbook`,
which turns both off; a formula the app means to write is written with `write_formula`.
"""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter

SAFE_OPTIONS: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def new_workbook(out: IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """A workbook writing into `out` in which no string becomes a formula or a hyperlink.

    Extra xlsxwriter options (for example `default_date_format`) may be given; the two safety options
    cannot be turned back on here.
    """
    for key in ("strings_to_formulas", "strings_to_urls"):
        if options.get(key):
            raise ValueError(f"{key} must stay off: user text would become live content")
    return xlsxwriter.Workbook(out, {**SAFE_OPTIONS, **options})
