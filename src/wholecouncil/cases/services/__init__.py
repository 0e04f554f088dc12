"""Every write to opportunities, baselines, cases, options and costs: keyword-only, atomic, audited.

One module per thing written; import from here."""

from __future__ import annotations

from wholecouncil.cases.services.baselines import (
    BaselineInput,
    baseline_figure_set,
    baselines_set,
)
from wholecouncil.cases.services.case import (
    case_create,
    case_recommend,
    case_update,
)
from wholecouncil.cases.services.common import (
    CaseInputError,
)
from wholecouncil.cases.services.opportunities import (
    opportunity_create,
    opportunity_delete,
    opportunity_update,
)
from wholecouncil.cases.services.options import (
    LineInput,
    cost_create,
    cost_delete,
    cost_update,
    option_create,
    option_delete,
    option_lines_set,
    option_save,
    option_update,
)

__all__ = [
    "BaselineInput",
    "CaseInputError",
    "LineInput",
    "baseline_figure_set",
    "baselines_set",
    "case_create",
    "case_recommend",
    "case_update",
    "cost_create",
    "cost_delete",
    "cost_update",
    "opportunity_create",
    "opportunity_delete",
    "opportunity_update",
    "option_create",
    "option_delete",
    "option_lines_set",
    "option_save",
    "option_update",
]
