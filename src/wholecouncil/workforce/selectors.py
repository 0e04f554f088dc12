"""Every read of the establishment that a view, command or report needs. Each takes the council.

The organisation tree is built from three queries whatever its size: the shares that concern the council,
the units of the councils involved, and post totals grouped by unit. Roll-ups are done in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from wholecouncil.council.engine import SharesError, split_by_shares
from wholecouncil.council.models import Council, OrgUnit, OrgUnitShare, Partnership
from wholecouncil.council.selectors import partnership_get
from wholecouncil.tabular import Table, read_table
from wholecouncil.workforce.models import EstablishmentImport, Post

KIND_LABELS = dict(OrgUnit.Kind.choices)


@dataclass
class Stats:
    posts: int = 0
    fte: Decimal = Decimal("0")
    vacant: int = 0
    annual_cost: Decimal = Decimal("0")
    uncosted: int = 0  # posts with no annual cost

    def add(self, other: Stats) -> None:
        self.posts += other.posts
        self.fte += other.fte
        self.vacant += other.vacant
        self.annual_cost += other.annual_cost
        self.uncosted += other.uncosted


@dataclass(frozen=True)
class Share:
    council_id: int
    council_name: str
    percent: Decimal


@dataclass
class UnitNode:
    id: int
    name: str
    kind: str
    parent_id: int | None
    council_id: int
    host_name: str
    partnership_id: int | None = None  # set when the unit is shared, in its own right, between councils
    shares: list[Share] = field(default_factory=list)
    own: Stats = field(default_factory=Stats)  # posts in this unit itself
    total: Stats = field(default_factory=Stats)  # posts in this unit and every unit below it
    exclusive_cost: Decimal = Decimal("0")  # total cost less units below that are shared in their own right
    children: list[UnitNode] = field(default_factory=list)
    depth: int = 0
    share_percent: Decimal | None = None  # the viewing council's share, when the unit is shared
    share_cost: Decimal | None = None  # the viewing council's part of exclusive_cost

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_shared(self) -> bool:
        return self.partnership_id is not None or bool(self.shares)

    def walk(self) -> Iterator[UnitNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class OrgTree:
    roots: list[UnitNode]  # the council's own top-level units
    shared_roots: list[UnitNode]  # units hosted by other councils in which this council has a share
    totals: Stats  # the council's own establishment
    by_id: dict[int, UnitNode]

    def rows(self) -> list[UnitNode]:
        return [node for root in self.roots for node in root.walk()]

    def shared_rows(self) -> list[UnitNode]:
        return [node for root in self.shared_roots for node in root.walk()]

    def ancestors(self, node: UnitNode) -> list[UnitNode]:
        chain = []
        current = self.by_id.get(node.parent_id) if node.parent_id else None
        while current is not None:
            chain.append(current)
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return list(reversed(chain))


def _stats_by_unit(council_ids: set[int]) -> dict[int, Stats]:
    rows = (
        Post.objects.filter(council_id__in=council_ids)
        .values("org_unit_id")
        .annotate(
            posts=Count("id"),
            fte=Sum("fte"),
            vacant=Count("id", filter=Q(vacant=True)),
            cost=Sum("annual_cost"),
            costed=Count("annual_cost"),
        )
        .order_by()
    )
    return {
        r["org_unit_id"]: Stats(
            posts=r["posts"],
            fte=r["fte"] or Decimal("0"),
            vacant=r["vacant"],
            annual_cost=r["cost"] or Decimal("0"),
            uncosted=r["posts"] - r["costed"],
        )
        for r in rows
    }


def _nodes(council_ids: set[int]) -> dict[int, UnitNode]:
    units = OrgUnit.objects.filter(council_id__in=council_ids).values(
        "id", "name", "kind", "parent_id", "council_id", "council__name", "partnership_id"
    )
    return {
        u["id"]: UnitNode(
            id=u["id"],
            name=u["name"],
            kind=u["kind"],
            parent_id=u["parent_id"],
            council_id=u["council_id"],
            host_name=u["council__name"],
            partnership_id=u["partnership_id"],
        )
        for u in units
    }


def _link_and_roll_up(nodes: dict[int, UnitNode], stats: dict[int, Stats]) -> list[UnitNode]:
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)

    def finish(node: UnitNode, depth: int) -> None:
        node.depth = depth
        node.children.sort(key=lambda n: n.name.casefold())
        node.own = stats.get(node.id, Stats())
        node.total = Stats()
        node.total.add(node.own)
        node.exclusive_cost = node.own.annual_cost
        for child in node.children:
            finish(child, depth + 1)
            node.total.add(child.total)
            if not child.is_shared:
                node.exclusive_cost += child.exclusive_cost

    roots.sort(key=lambda n: n.name.casefold())
    for root in roots:
        finish(root, 0)
    return roots


def _split(node: UnitNode) -> dict[int, Decimal] | None:
    try:
        return split_by_shares(node.exclusive_cost, {s.council_id: s.percent for s in node.shares})
    except SharesError:
        return None


def org_tree(council: Council) -> OrgTree:
    """The council's directorates, services and teams with rolled-up posts, FTE, vacancies and cost, plus
    the units other councils host in which this council has a share (with each council's share)."""
    mine = OrgUnitShare.objects.filter(council=council).values("org_unit_id")
    shares = OrgUnitShare.objects.filter(Q(org_unit__council=council) | Q(org_unit_id__in=mine)).values(
        "org_unit_id", "org_unit__council_id", "council_id", "council__name", "percent"
    )
    shares_by_unit: dict[int, list[Share]] = {}
    hosts: set[int] = set()
    for s in shares:
        shares_by_unit.setdefault(s["org_unit_id"], []).append(
            Share(s["council_id"], s["council__name"], s["percent"])
        )
        hosts.add(s["org_unit__council_id"])
    council_ids = {council.pk} | hosts
    nodes = _nodes(council_ids)
    for unit_id, unit_shares in shares_by_unit.items():
        if unit_id in nodes:
            nodes[unit_id].shares = sorted(unit_shares, key=lambda s: (-s.percent, s.council_name))
    roots = _link_and_roll_up(nodes, _stats_by_unit(council_ids))
    own_roots = [r for r in roots if r.council_id == council.pk]
    shared_roots = []
    for root in roots:
        if root.council_id != council.pk:
            shared_roots.extend(_top_shared_with(root, council.pk))
    visible: dict[int, UnitNode] = {}
    for root in own_roots + shared_roots:
        for node in root.walk():
            visible[node.id] = node
            mine_pct = next((s.percent for s in node.shares if s.council_id == council.pk), None)
            if mine_pct is not None:
                node.share_percent = mine_pct
                split = _split(node)
                node.share_cost = split.get(council.pk) if split else None
    totals = Stats()
    for root in own_roots:
        totals.add(root.total)
    return OrgTree(roots=own_roots, shared_roots=shared_roots, totals=totals, by_id=visible)


def _top_shared_with(node: UnitNode, council_id: int) -> list[UnitNode]:
    if any(s.council_id == council_id for s in node.shares):
        return [node]
    return [found for child in node.children for found in _top_shared_with(child, council_id)]


@dataclass
class UnitDetail:
    unit: UnitNode
    ancestors: list[UnitNode]
    posts: QuerySet[Post]  # posts in the unit and every unit below it, for paginating


def unit_detail(council: Council, unit_id: int) -> UnitDetail:
    """One unit the council can see, its place in the tree, and its posts (including units below it).

    Raises OrgUnit.DoesNotExist for a unit the council cannot see.
    """
    tree = org_tree(council)
    node = tree.by_id.get(unit_id)
    if node is None:
        raise OrgUnit.DoesNotExist(f"No unit {unit_id} visible to {council}")
    unit_ids = [n.id for n in node.walk()]
    posts = (
        Post.objects.filter(council_id=node.council_id, org_unit_id__in=unit_ids)
        .select_related("org_unit")
        .order_by("org_unit__name", "job_title", "post_ref")
    )
    return UnitDetail(unit=node, ancestors=tree.ancestors(node), posts=posts)


@dataclass
class UnitCost:
    unit: UnitNode
    parts: list[tuple[Decimal | None, Decimal | None]]  # (share %, amount) per partnership council
    problem: str = ""


@dataclass
class PartnershipCosts:
    partnership: Partnership
    councils: list[Council]
    units: list[UnitCost]
    totals: list[Decimal]  # per council, in the order of `councils`
    total: Decimal


def partnership_costs(council: Council, partnership: Partnership | int) -> PartnershipCosts:
    """Each unit shared in the partnership, its establishment cost and that cost split by council shares.

    A unit's cost is its posts and those of the units below it, less any unit below that is shared in its
    own right (split separately), so nothing is counted twice. Splits are to the penny and add up exactly.
    Raises Partnership.DoesNotExist when the council is not in the partnership.
    """
    pk = partnership.pk if isinstance(partnership, Partnership) else partnership
    found = partnership_get(council, pk)
    councils = sorted(found.councils.all(), key=lambda c: c.name)
    shared = OrgUnitShare.objects.filter(org_unit__partnership=found).values(
        "org_unit_id", "org_unit__council_id", "council_id", "council__name", "percent"
    )
    shares_by_unit: dict[int, list[Share]] = {}
    for s in shared:
        shares_by_unit.setdefault(s["org_unit_id"], []).append(
            Share(s["council_id"], s["council__name"], s["percent"])
        )
    hosts = {c.pk for c in councils}
    nodes = _nodes(hosts)
    for unit_id, unit_shares in shares_by_unit.items():
        if unit_id in nodes:
            nodes[unit_id].shares = unit_shares
    _link_and_roll_up(nodes, _stats_by_unit(hosts))
    rows: list[UnitCost] = []
    totals = [Decimal("0")] * len(councils)
    shared_nodes = sorted(
        (nodes[i] for i in shares_by_unit if i in nodes), key=lambda n: (n.host_name, n.name.casefold())
    )
    for node in shared_nodes:
        split = _split(node)
        percents = {s.council_id: s.percent for s in node.shares}
        if split is None:
            rows.append(
                UnitCost(node, [(percents.get(c.pk), None) for c in councils], "shares do not add to 100%")
            )
            continue
        parts: list[tuple[Decimal | None, Decimal | None]] = [
            (percents.get(c.pk), split.get(c.pk, Decimal("0.00"))) for c in councils
        ]
        for i, (_, amount) in enumerate(parts):
            totals[i] += amount or Decimal("0")
        rows.append(UnitCost(node, parts))
    total = sum((r.unit.exclusive_cost for r in rows if not r.problem), Decimal("0"))
    return PartnershipCosts(partnership=found, councils=councils, units=rows, totals=totals, total=total)


# --- the establishment page --------------------------------------------------------------------------


def establishment_stats(council: Council) -> Stats:
    row = Post.objects.filter(council=council).aggregate(
        posts=Count("id"),
        fte=Sum("fte"),
        vacant=Count("id", filter=Q(vacant=True)),
        cost=Sum("annual_cost"),
        costed=Count("annual_cost"),
    )
    return Stats(
        posts=row["posts"] or 0,
        fte=row["fte"] or Decimal("0"),
        vacant=row["vacant"] or 0,
        annual_cost=row["cost"] or Decimal("0"),
        uncosted=(row["posts"] or 0) - (row["costed"] or 0),
    )


def imports_for(council: Council) -> QuerySet[EstablishmentImport]:
    """The council's imports, newest first, without the stored files."""
    return EstablishmentImport.objects.filter(council=council).select_related("uploaded_by").defer("content")


def import_get(council: Council, pk: int) -> EstablishmentImport:
    """One of the council's imports. Raises EstablishmentImport.DoesNotExist for another council's."""
    return EstablishmentImport.objects.filter(council=council).select_related("uploaded_by").get(pk=pk)


def import_table(imp: EstablishmentImport) -> Table:
    """The uploaded file of `imp`, read again (it is kept so an import can be re-checked)."""
    sheet = (imp.options or {}).get("sheet") or None
    return read_table(imp.file_name, bytes(imp.content), sheet=sheet)


def column_examples(imp: EstablishmentImport, count: int = 3) -> list[tuple[str, list[str]]]:
    """Each column of the uploaded file with its first few distinct non-empty values."""
    table = import_table(imp)
    out = []
    for i, header in enumerate(table.headers):
        seen: list[str] = []
        for row in table.rows:
            value = row.values[i]
            if value and value not in seen:
                seen.append(value if len(value) <= 60 else value[:57] + "...")
                if len(seen) == count:
                    break
        out.append((header, seen))
    return out
