"""Reading tables that people export from spreadsheets and business systems. Pure Python: no Django."""

from wholecouncil.tabular.errors import CellError, RowError, TableError
from wholecouncil.tabular.headers import normalise_header, suggest_fields
from wholecouncil.tabular.reader import SourceRow, Table, read_table
from wholecouncil.tabular.values import (
    clean_text,
    format_money,
    is_missing,
    parse_decimal,
    parse_flag,
    parse_money,
    parse_money_range,
)

__all__ = [
    "CellError",
    "RowError",
    "SourceRow",
    "Table",
    "TableError",
    "clean_text",
    "format_money",
    "is_missing",
    "normalise_header",
    "parse_decimal",
    "parse_flag",
    "parse_money",
    "parse_money_range",
    "read_table",
    "suggest_fields",
]
