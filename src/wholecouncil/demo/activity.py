"""Demo activity survey: a closed survey of every filled post, about four in five answered.

Answers follow each team's function: most of a week goes on the processes that belong in that kind of team,
some on work every team does (managing, learning), and a little on a few processes that belong elsewhere, so
the fragmentation pages have something to find.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services.comparators import ensure_illustrative_comparators
from wholecouncil.activity.services.processes import process_snapshot
from wholecouncil.activity.taxonomy import ANYWHERE, function_of_unit
from wholecouncil.council.models import OrgUnit
from wholecouncil.workforce.models import Post

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext

RESPONSE_RATE = 0.8
FULL_TIME = Decimal("37.0")


def _path_names(unit: OrgUnit, by_id: dict[int, OrgUnit]) -> list[str]:
    names = []
    current: OrgUnit | None = unit
    while current is not None:
        names.append(current.name)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return names


def activity_survey(ctx: DemoContext) -> None:
    for slug, council in ctx.councils.items():
        rng = ctx.rng("activity", slug)
        processes = process_snapshot(council)
        ensure_illustrative_comparators(council)
        now = timezone.now()
        survey = Survey.objects.create(
            council=council,
            title="How we spend our time: spring survey",
            introduction="Tell us how a typical week splits across the council's processes.",
            status=Survey.Status.CLOSED,
            processes=processes,
            full_time_hours=FULL_TIME,
            closes_on=(now - dt.timedelta(days=20)).date(),
            opened_at=now - dt.timedelta(days=40),
            closed_at=now - dt.timedelta(days=20),
        )
        units = {u.pk: u for u in OrgUnit.objects.filter(council=council)}
        codes = [p["code"] for p in processes]
        home = {p["code"]: p["home_function"] for p in processes}
        profiles: dict[int, dict[str, float]] = {}
        respondents = []
        submitted_at = now - dt.timedelta(days=25)
        posts = Post.objects.filter(council=council, vacant=False).order_by("post_ref")
        for post in posts.values_list("pk", "post_ref", "org_unit_id", "job_title", "fte"):
            pk, ref, unit_id, title, fte = post
            contracted = (FULL_TIME * fte).quantize(Decimal("0.01"))
            answered = rng.random() < RESPONSE_RATE
            answers: dict[str, str] = {}
            if answered:
                if unit_id not in profiles:
                    function = function_of_unit(_path_names(units[unit_id], units))
                    profiles[unit_id] = _profile(rng, codes, home, function)
                answers = _answers(rng, profiles[unit_id], contracted)
            respondents.append(
                Respondent(
                    survey=survey,
                    ref=ref,
                    post_id=pk,
                    org_unit_id=unit_id,
                    job_title=title,
                    contracted_hours=contracted,
                    token=None,
                    status=Respondent.Status.SUBMITTED if answered else Respondent.Status.NOT_STARTED,
                    answers=answers,
                    saved_at=submitted_at if answered else None,
                    submitted_at=submitted_at if answered else None,
                )
            )
        Respondent.objects.bulk_create(respondents, batch_size=1000)
        answered_count = sum(r.status == Respondent.Status.SUBMITTED for r in respondents)
        ctx.log(f"{council.name}: activity survey, {answered_count:,} of {len(respondents):,} answered.")


def _profile(rng: random.Random, codes: list[str], home: dict[str, str], function: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for code in codes:
        if home[code] == function:
            weights[code] = rng.uniform(3.0, 9.0)
        elif home[code] == ANYWHERE:
            weights[code] = rng.uniform(0.8, 1.6)
    strays = rng.sample(codes, k=min(4, len(codes)))
    for code in strays:
        weights.setdefault(code, rng.uniform(0.4, 1.5))
    if not any(home[c] == function for c in codes):
        for code in rng.sample(codes, k=min(5, len(codes))):
            weights[code] = weights.get(code, 0) + rng.uniform(2.0, 6.0)
    return weights


def _answers(rng: random.Random, profile: dict[str, float], contracted: Decimal) -> dict[str, str]:
    noisy = {code: w * rng.uniform(0.4, 1.6) for code, w in profile.items()}
    kept = dict(sorted(noisy.items(), key=lambda kv: -kv[1])[: rng.randint(4, 9)])
    total = sum(kept.values())
    halves = int(contracted * 2)
    parts = {code: int(v / total * halves) for code, v in kept.items()}
    biggest = max(parts, key=lambda c: parts[c])
    parts[biggest] += halves - sum(parts.values())
    remainder = contracted - Decimal(halves) / 2
    answers = {code: Decimal(n) / 2 for code, n in parts.items() if n > 0}
    answers[biggest] = answers.get(biggest, Decimal(0)) + remainder
    return {code: str(v.normalize() if v == v.to_integral() else v) for code, v in answers.items()}
