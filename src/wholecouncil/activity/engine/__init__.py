"""Pure activity-analysis computations (no Django): reading inputs, baseline, fragmentation, suppression.

`run_baseline(establishment_table, responses_table, options)` reads both tables (from
`wholecouncil.tabular.read_table`), reports every problem by file, row and column, and computes nothing when
there is any; otherwise it returns the `Baseline` (FTE and cost by org unit x process), the small-group
`Suppression` (unless switched off) and the `Fragmentation` measures, computed from published figures only.
`baseline_report` presents them as plain data with money as Decimal strings in pounds.
"""

from wholecouncil.activity.engine.baseline import (
    DEFAULT_THRESHOLD_FTE,
    Baseline,
    Fragmentation,
    OutsideHome,
    ProcessFragmentation,
    compute_baseline,
    compute_fragmentation,
)
from wholecouncil.activity.engine.inputs import (
    DEFAULT_FULL_TIME_HOURS,
    DEFAULT_TOLERANCE,
    ESTABLISHMENT_COLUMNS,
    RESPONSE_COLUMNS,
    Establishment,
    OrgUnit,
    Post,
    ReadResult,
    Responses,
    read_establishment,
    read_responses,
    suggest_establishment_mapping,
    suggest_response_mapping,
)
from wholecouncil.activity.engine.report import (
    BaselineOptions,
    BaselineRun,
    baseline_report,
    fragmentation_report,
    fte,
    money,
    outside_home_reason,
    run_baseline,
)
from wholecouncil.activity.engine.suppression import (
    DEFAULT_MINIMUM,
    Suppression,
    hidden_units,
    suppress,
    suppress_baseline,
)

__all__ = [
    "DEFAULT_FULL_TIME_HOURS",
    "DEFAULT_MINIMUM",
    "DEFAULT_THRESHOLD_FTE",
    "DEFAULT_TOLERANCE",
    "ESTABLISHMENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "Baseline",
    "BaselineOptions",
    "BaselineRun",
    "Establishment",
    "Fragmentation",
    "OrgUnit",
    "OutsideHome",
    "Post",
    "ProcessFragmentation",
    "ReadResult",
    "Responses",
    "Suppression",
    "baseline_report",
    "compute_baseline",
    "compute_fragmentation",
    "fragmentation_report",
    "fte",
    "hidden_units",
    "money",
    "outside_home_reason",
    "read_establishment",
    "read_responses",
    "run_baseline",
    "suggest_establishment_mapping",
    "suggest_response_mapping",
    "suppress",
    "suppress_baseline",
]
