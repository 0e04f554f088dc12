"""Demo business case: opportunities sized from the demo baselines, and a five-year case with three options.

The staff-cost baselines are the activity analysis's (the demo survey's) where it has a figure for a layer;
where it has none, a share of the establishment's cost is entered instead, labelled illustrative. Spend
opportunities draw on the demo spend analysis's categories; a category it lacks gets an entered,
illustrative figure. Every opportunity is illustrative. Options: do nothing; enough to meet the MTFP;
full ambition, which is recommended, with three of its opportunities phased by the programme's releases.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from wholecouncil.cases import release_services
from wholecouncil.cases import selectors as case_selectors
from wholecouncil.cases import services as case_services
from wholecouncil.cases.baselines import Baselines, council_baselines
from wholecouncil.cases.models import BaselineFigure, CostLine, Opportunity
from wholecouncil.council.models import Council, Layer, Lever
from wholecouncil.workforce.selectors import establishment_stats

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext

D = Decimal
FIRST_YEAR = 2025
YEARS = 5
SOURCE = "Demo: illustrative"

# Share of the establishment's cost in each layer, used only when the activity analysis gives no figure.
LAYER_SHARES = {
    "pre-front-door": D("0.05"),
    "customer-management": D("0.07"),
    "customer-assessment": D("0.22"),
    "provision-cycle": D("0.38"),
    "enabling-support": D("0.18"),
    "strategic-capability": D("0.05"),
    "business-intelligence": D("0.05"),
}
# Spend by category as a share of the establishment's cost, entered only when the spend analysis has no
# figure for the category (the demo's supplier-spend step normally provides them).
SPEND = {
    "Facilities: energy": D("0.08"),
    "Social care: residential": D("0.10"),
    "Highways: maintenance": D("0.06"),
    "Agency staff": D("0.005"),
}


@dataclass(frozen=True)
class Idea:
    code: str
    name: str
    layer: str
    lever: str
    low: str
    high: str
    rationale: str
    source: str
    spend: str = ""  # a spend category, for spend levers
    staff_pct: str | None = None


IDEAS = (
    Idea(
        "CM-1",
        "One customer service centre with online self-service",
        "customer-management",
        "automation-technology",
        "15",
        "25",
        "Much customer-management effort is chasing progress and re-keying that self-service removes.",
        "Activity analysis: customer-management processes",
    ),
    Idea(
        "CM-2",
        "Standard triage and scripts at every contact point",
        "customer-management",
        "consolidation-standardisation",
        "8",
        "15",
        "Customer contact is handled in many teams, each in its own way.",
        "Activity analysis: fragmentation by process",
    ),
    Idea(
        "PF-1",
        "Information and advice before the front door",
        "pre-front-door",
        "demand-management",
        "10",
        "20",
        "Avoidable contact is a fifth of all contact.",
        "Contact logs (illustrative)",
    ),
    Idea(
        "CA-1",
        "Digital assessments and automated eligibility checks",
        "customer-assessment",
        "automation-technology",
        "6",
        "12",
        "Financial assessments are re-keyed between systems.",
        "Activity analysis; comparator profile",
    ),
    Idea(
        "CA-2",
        "Strengths-based assessment done once",
        "customer-assessment",
        "ways-of-working",
        "3",
        "7",
        "Residents are assessed several times by different teams.",
        "Process walkthroughs",
    ),
    Idea(
        "PC-1",
        "One case-management approach across provision teams",
        "provision-cycle",
        "consolidation-standardisation",
        "4",
        "8",
        "Case administration is duplicated across directorates.",
        "Activity analysis",
    ),
    Idea(
        "ES-1",
        "Consolidated enabling services",
        "enabling-support",
        "consolidation-standardisation",
        "10",
        "18",
        "A large share of enabling effort sits outside the central functions.",
        "Activity analysis: effort outside the owning layer",
    ),
    Idea(
        "ES-2",
        "Automated transactional finance and HR",
        "enabling-support",
        "automation-technology",
        "5",
        "10",
        "Invoice matching and starters and leavers are largely manual.",
        "Process walkthroughs",
    ),
    Idea(
        "SC-1",
        "A smaller strategic core",
        "strategic-capability",
        "ways-of-working",
        "10",
        "20",
        "Policy and planning roles are spread across every directorate.",
        "Activity analysis",
    ),
    Idea(
        "BI-1",
        "One business intelligence team",
        "business-intelligence",
        "consolidation-standardisation",
        "10",
        "20",
        "Performance reports are produced by many teams.",
        "Activity analysis",
    ),
    Idea(
        "SP-1",
        "Energy bought on one consolidated contract",
        "enabling-support",
        "spend-income",
        "5",
        "10",
        "Energy is bought by several services on separate contracts.",
        "Spend analysis: supplier spend by category",
        spend="Facilities: energy",
    ),
    Idea(
        "SP-2",
        "Demand management in residential care placements",
        "provision-cycle",
        "demand-management",
        "3",
        "7",
        "Earlier help and strengths-based reviews reduce long-term placements.",
        "Spend analysis; comparator councils' published outcomes",
        spend="Social care: residential",
    ),
    Idea(
        "SP-3",
        "Category management of highways maintenance",
        "provision-cycle",
        "spend-income",
        "4",
        "8",
        "Many small maintenance orders go to many suppliers, much of it off contract.",
        "Spend analysis: supplier spend by category",
        spend="Highways: maintenance",
    ),
    Idea(
        "SP-4",
        "Agency staff through one managed service",
        "enabling-support",
        "spend-income",
        "10",
        "20",
        "Agency workers are hired directly by teams at different rates.",
        "Spend analysis: supplier spend by category",
        spend="Agency staff",
    ),
)

# Phasing (fractions of the full-year saving first delivered in each year) for the full-ambition option.
FULL_PHASING = {
    "CM-1": ("0", "0.4", "0.6"),
    "CM-2": ("0.2", "0.5", "0.3"),
    "PF-1": ("0", "0", "0.5", "0.5"),
    "CA-1": ("0", "0.3", "0.5", "0.2"),
    "CA-2": ("0", "0", "0.5", "0.5"),
    "PC-1": ("0", "0", "0.5", "0.5"),
    "ES-1": ("0.25", "0.5", "0.25"),
    "ES-2": ("0", "0.5", "0.5"),
    "SC-1": ("0.5", "0.5"),
    "BI-1": ("0", "1"),
    "SP-1": ("0.2", "0.4", "0.4"),
    "SP-2": ("0", "0.2", "0.3", "0.3", "0.2"),
    "SP-3": ("0", "0.5", "0.5"),
    "SP-4": ("0.5", "0.5"),
}
# Releases of the programme, and the full-ambition lines phased by them (shares of the full-year saving
# each release delivers); the same shares as FULL_PHASING, so the profile is as phased by year.
RELEASES = (
    ("R1", "Release 1: digital front door", 2026),
    ("R2", "Release 2: one assessment and case management", 2027),
    ("R3", "Release 3: provision redesign", 2028),
)
FULL_RELEASES = {
    "CM-1": {"R1": "40", "R2": "60"},
    "CA-1": {"R1": "30", "R2": "50", "R3": "20"},
    "PC-1": {"R2": "50", "R3": "50"},
}
# Meeting the MTFP: every opportunity except the two that need the most redesign.
MTFP_CHOICE = {code: p for code, p in FULL_PHASING.items() if code not in {"PF-1", "CA-2"}}


COSTS = (
    (
        "Programme and design team",
        CostLine.Kind.IMPLEMENTATION,
        (1_800_000, 2_200_000, 1_500_000, 600_000),
        90,
        130,
    ),
    ("Customer platform and automation", CostLine.Kind.TECHNOLOGY, (2_400_000, 2_000_000, 800_000), 95, 150),
    (
        "Training and change support",
        CostLine.Kind.CHANGE_SUPPORT,
        (900_000, 1_100_000, 600_000, 200_000),
        80,
        120,
    ),
    (
        "Platform licences and support",
        CostLine.Kind.RECURRING,
        (0, 350_000, 550_000, 550_000, 550_000),
        90,
        125,
    ),
)


def _amounts(*values: int) -> list[str]:
    return [str(v) for v in values]


def _baselines(council: Council) -> None:
    """Enter what the demo has no analysis for: staff cost by layer (if the survey gives none) and spend."""
    found = council_baselines(council)
    stats = establishment_stats(council)
    figures = []
    for code, share in LAYER_SHARES.items():
        if found.staff(code) is None and Layer.objects.filter(council=council, code=code).exists():
            figures.append(
                case_services.BaselineInput(
                    BaselineFigure.Kind.STAFF,
                    code,
                    (stats.annual_cost * share).quantize(D("1")),
                    (stats.fte * share).quantize(D("0.01")),
                    "Demo: share of the establishment's cost",
                    True,
                )
            )
    for category, ratio in SPEND.items():
        if found.spend(category) is None:
            amount = (stats.annual_cost * ratio).quantize(D("1000"))
            figures.append(
                case_services.BaselineInput(BaselineFigure.Kind.SPEND, category, amount, None, SOURCE, True)
            )
    case_services.baselines_set(council=council, figures=figures, actor=None)


def _opportunities(council: Council, baselines: Baselines) -> dict[str, Opportunity]:
    layers = {x.code: x for x in Layer.objects.filter(council=council)}
    levers = {x.code: x for x in Lever.objects.filter(council=council)}
    made = {}
    for idea in IDEAS:
        if idea.layer not in layers or idea.lever not in levers:
            continue
        made[idea.code] = case_services.opportunity_create(
            council=council,
            actor=None,
            baselines=baselines,
            code=idea.code,
            name=idea.name,
            layer=layers[idea.layer],
            lever=levers[idea.lever],
            basis=Opportunity.Basis.SPEND if idea.spend else Opportunity.Basis.ACTIVITY,
            spend_category=idea.spend,
            saving=Opportunity.Saving.PERCENT,
            low_pct=D(idea.low),
            high_pct=D(idea.high),
            staff_pct=D(idea.staff_pct) if idea.staff_pct else None,
            rationale=idea.rationale,
            source=idea.source,
            illustrative=True,
        )
    return made


def business_case(ctx: DemoContext) -> None:
    council = ctx.councils.get("exampleshire")
    if council is None:
        return
    rng = ctx.rng("cases", council.slug)
    _baselines(council)
    baselines = council_baselines(council)  # computed once: the activity baseline takes a while
    opps = _opportunities(council, baselines)
    stats = establishment_stats(council)
    leavers = [str((stats.fte * D(str(rng.uniform(0.085, 0.105)))).quantize(D("1"))) for _ in range(YEARS)]
    case = case_services.case_create(
        council=council,
        name="Whole-council transformation: full business case",
        first_year=FIRST_YEAR,
        actor=None,
        years=YEARS,
        optimism_bias_pct=D("15"),
        mtfp_gap=_amounts(4_200_000, 9_100_000, 13_700_000, 17_700_000, 20_000_000),
        turnover_fte=leavers,
        turnover_capture_pct=D("40"),
        redeployment_pct=D("30"),
        average_redundancy_cost=D("26500"),
        strategic_context=(
            "Exampleshire (a fictional council) faces a widening budget gap over the Medium Term "
            "Financial Plan. The activity analysis shows effort spread thinly across many teams doing the "
            "same processes in different ways. Redesigning the council around its operating-model layers "
            "lets it do each process once, online where residents can, and meet need earlier."
        ),
        commercial_approach=(
            "Design and change support is led by an in-house programme team. The customer platform and "
            "automation are bought through an existing public-sector framework; category management of "
            "third-party spend is run by the procurement team with the service leads."
        ),
        management_arrangements=(
            "The transformation board, chaired by the chief executive, acts as design authority. Each "
            "project passes through five stage gates. Savings enter the MTFP only when signed off as in "
            "delivery, and are reported to cabinet each quarter against this profile."
        ),
    )
    nothing = case_services.option_create(
        case=case, name="Do nothing", actor=None, description="Carry on as now: no change programme, no cost."
    )
    mtfp = case_services.option_create(
        case=case,
        name="Meet the MTFP",
        actor=None,
        description="Enough of the opportunities to close the MTFP gap, leaving out the hardest redesigns.",
    )
    full = case_services.option_create(
        case=case,
        name="Full ambition",
        actor=None,
        description="Every opportunity, at the midpoint of its range: the whole-council redesign.",
    )

    releases = {
        code: release_services.release_create(case=case, code=code, name=name, go_live_year=year, actor=None)
        for code, name, year in RELEASES
    }

    def lines(
        choice: dict[str, tuple[str, ...]], by_release: dict[str, dict[str, str]]
    ) -> list[case_services.LineInput]:
        return [
            case_services.LineInput(
                opps[c],
                [] if c in by_release else [D(f) for f in p],
                release_shares={releases[r]: D(v) for r, v in by_release.get(c, {}).items()},
            )
            for c, p in choice.items()
            if c in opps
        ]

    case_services.option_lines_set(option=mtfp, lines=lines(MTFP_CHOICE, {}), actor=None, baselines=baselines)
    case_services.option_lines_set(
        option=full, lines=lines(FULL_PHASING, FULL_RELEASES), actor=None, baselines=baselines
    )
    for option, scale in ((mtfp, D("0.8")), (full, D("1"))):
        for name, kind, amounts, low, high in COSTS:
            case_services.cost_create(
                option=option,
                actor=None,
                name=name,
                kind=kind,
                amounts=[str((D(a) * scale).quantize(D("1"))) for a in amounts],
                low_pct=D(low),
                high_pct=D(high),
            )
    figures = case_selectors.case_figures(case, baselines=baselines, with_risk=False)
    npv = {o.option.pk: o.result.npv for o in figures.options if o.result is not None}
    final = {o.option.pk: o.result.years[-1] for o in figures.options if o.result is not None}
    at_risk = {o.option.pk: o.result.redundancy_fte for o in figures.options if o.result is not None}
    reasons = (
        f"Full ambition has the highest net present value ({_m(npv.get(full.pk))}, against "
        f"{_m(npv.get(mtfp.pk))} for meeting the MTFP and {_m(npv.get(nothing.pk))} for doing nothing) and "
        f"closes {final[full.pk].gap_coverage_pct if full.pk in final else '—'}% of the MTFP gap by "
        f"{case.year_labels[-1]}, leaving headroom if some savings slip. It puts more posts at risk: about "
        f"{at_risk.get(full.pk, D(0)):.0f} FTE that turnover and redeployment would not absorb, against "
        f"{at_risk.get(mtfp.pk, D(0)):.0f} for meeting the MTFP. Doing nothing leaves the whole gap to be "
        "met by cuts to services."
    )
    case_services.case_recommend(case=case, option=full, reasons=reasons, actor=None)
    ctx.log(f"{council.name}: {len(opps)} opportunities and a business case with three options.")


def _m(value: Decimal | None) -> str:
    if value is None:
        return "—"
    sign = "\N{MINUS SIGN}" if value < 0 else ""
    return f"{sign}£{abs(value) / 1_000_000:,.1f}m"
