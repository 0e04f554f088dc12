"""Errors that point at a place in a file: which file, which row, which column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    """A problem with one cell, one row, one column or the whole file.

    `row` is the row number a spreadsheet shows (the header is usually row 1); None for a problem with the
    file or its columns. `column` is the column's header as written in the file; "" when no column applies.
    """

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        place = [self.file or "the file"]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        row = data.get("row")
        return cls(
            file=str(data.get("file", "")),
            row=int(row) if row is not None else None,
            column=str(data.get("column", "")),
            message=str(data.get("message", "")),
        )


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong format, empty, corrupt)."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.message = message


class CellError(ValueError):
    """A value that cannot be read as what it should be. The message names the value, not the place."""
