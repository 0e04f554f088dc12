"""Reading a respondent's answers: numbers per process, the total against their week, and what is wrong.

No database access: the rules the survey form, the services and their tests share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from wholecouncil.activity.models import Survey

HOURS_PLACES = Decimal("0.01")
MAX_PLACES = 2
MAX_HOURS = Decimal("168")  # hours in a week: no single answer can be more
MAX_PERCENT = Decimal("100")
MAX_COMMENT = 2000
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a respondent's answers: `code` names the process (None: the total)."""

    code: str | None
    message: str


@dataclass
class AnswerCheck:
    """A respondent's answers read from the form: the numbers, their total, and what is wrong."""

    answers: dict[str, float] = field(default_factory=dict)
    total: Decimal = Decimal("0")
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def target_total(survey: Survey, contracted_hours: Decimal) -> Decimal:
    """What a respondent's answers must add up to: their contracted hours, or 100 (per cent)."""
    return MAX_PERCENT if survey.unit == Survey.Unit.PERCENT else contracted_hours


def _what(survey: Survey, name: str) -> str:
    return f"{'The percentage' if survey.unit == Survey.Unit.PERCENT else 'Hours'} for {name}"


def _parse(survey: Survey, name: str, raw: str) -> tuple[Decimal | None, str | None]:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if survey.unit == Survey.Unit.PERCENT and text.endswith("%"):
        text = text[:-1]
    if text == "":
        return None, None
    percent = survey.unit == Survey.Unit.PERCENT
    example = "20" if percent else "7.5"
    if text.startswith("-") and _NUMBER.match(text[1:]):
        return None, f"{_what(survey, name)} cannot be less than 0"
    if not _NUMBER.match(text):
        return None, f"{_what(survey, name)} must be a number, like {example}"
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None, f"{_what(survey, name)} must be a number, like {example}"
    if -value.as_tuple().exponent > MAX_PLACES:  # type: ignore[operator]
        return None, f"{_what(survey, name)} must have no more than {MAX_PLACES} decimal places"
    limit = MAX_PERCENT if percent else MAX_HOURS
    if value > limit:
        return None, f"{_what(survey, name)} must be {limit}{'%' if percent else ''} or less"
    return value, None


def number(value: Decimal | float) -> str:
    """7.5, 37, 0.25: a figure as a person would write it (no trailing zeros, no exponent)."""
    text = f"{Decimal(str(value)).quantize(HOURS_PLACES):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_answers(
    *, survey: Survey, contracted_hours: Decimal, raw: Mapping[str, str], final: bool
) -> AnswerCheck:
    """Read the answers typed for each process (keyed by code) and say what is wrong with them.

    Blank means none. Each answer must be a number from 0 to 168 hours (or 100%), with at most two decimal
    places. When `final` (submitting), the total must be within the survey's tolerance of the respondent's
    contracted hours (or of 100%); saving to come back later does not check the total.
    """
    check = AnswerCheck()
    for process in survey.processes:
        code = process["code"]
        value, problem = _parse(survey, process["name"], raw.get(code, "") or "")
        if problem is not None:
            check.problems.append(Problem(code, problem))
        elif value:
            check.answers[code] = float(value)
            check.total += value
    if final and not check.problems:
        target = target_total(survey, contracted_hours)
        if contracted_hours <= 0 and survey.unit == Survey.Unit.HOURS:
            if check.total <= 0:
                check.problems.append(Problem(None, "Enter the hours you spend in a typical week"))
        elif abs(check.total - target) > survey.tolerance_hours:
            check.problems.append(Problem(None, total_message(survey, check.total, target)))
    return check


def total_message(survey: Survey, total: Decimal, target: Decimal) -> str:
    if survey.unit == Survey.Unit.PERCENT:
        return f"Your percentages add up to {number(total)}% but must add up to 100%"
    tolerance = survey.tolerance_hours
    give_or_take = f", give or take {number(tolerance)}" if tolerance else ""
    return (
        f"Your hours add up to {number(total)} but must add up to your contracted "
        f"{number(target)} hours{give_or_take}"
    )


def comment_text(comment: str, check: AnswerCheck) -> str:
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        check.problems.append(Problem("comment", f"Your comment must be {MAX_COMMENT:,} characters or fewer"))
    return text
