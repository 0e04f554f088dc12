"""Supplier names: one key for every way of writing a name, and clusters of names that are one supplier.

`supplier_key` folds case, accents, punctuation, '&'/'and', legal forms (Ltd, Limited, PLC, LLP, ...), a
leading "The" and any trading name ("t/a ...", "trading as ...") into one key, so "ACME LTD", "Acme Limited"
and "ACME LIMITED (T/A ACME CARE)" all read as "acme". Names with the same key are the same supplier.

`propose_merges` finds suppliers whose keys differ but which are probably one supplier, each pair with the
evidence: the same VAT number, the same company number, the same finance-system supplier reference, the
same name apart from generic words ("UK", "Group", "Services"), or names that differ by a typing slip.
People accept or reject each proposal; `cluster_suppliers` groups names using the keys, accepted merges
and rejected pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_TRADING = re.compile(r"\(?\s*\b(?:t/a|t\.a\.|trading\s+as|tradingas)\b.*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_ALNUM = re.compile(r"[\W_]+")  # letters and digits of any script are kept
LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "plc",
        "llp",
        "lp",
        "cic",
        "cio",
        "inc",
        "incorporated",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "sa",
        "bv",
        "cyf",  # Welsh: cyfyngedig, limited
        "cyfyngedig",
        "ccc",  # Welsh: cwmni cyfyngedig cyhoeddus, plc
    }
)
# Words that often distinguish two records of one supplier, compared in the looser key only.
GENERIC_WORDS = frozenset({"uk", "gb", "group", "services", "service", "holdings", "international", "the"})
SIMILAR_NAMES = 0.92  # SequenceMatcher ratio at or above which two keys are proposed as one supplier
_VAT_PREFIX = re.compile(r"^(?:gb|xi)", re.IGNORECASE)


def _fold(text: str) -> str:
    """Case and accents folded: 'Siân' and 'SIAN' read alike, 'Siôn' does not."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(name: str) -> list[str]:
    text = _fold(name).replace("&", " and ").replace("+", " and ")
    text = _TRADING.sub(" ", text)
    text = _BRACKETS.sub(" ", text)
    text = text.replace("'", "").replace("\u2019", "")
    return [w for w in _NOT_ALNUM.sub(" ", text).split() if w]


def supplier_key(name: str) -> str:
    """The supplier's name reduced to what identifies it: 'The ACME Co. Ltd (t/a Acme Care)' -> 'acme'.

    Legal forms and "and" are dropped only at the end, so "Co-operative Society" keeps its "co"; a name
    made of nothing but such words keeps them.
    """
    words = _words(name)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    end = len(words)
    while end > 1 and (words[end - 1] in LEGAL_FORMS or words[end - 1] == "and"):
        end -= 1
    core = words[:end] if end else words
    return " ".join(core)


def loose_key(key: str) -> str:
    """The key without generic words ("UK", "Group", "Services"): 'acme uk services' -> 'acme'."""
    words = [w for w in key.split() if w not in GENERIC_WORDS]
    return " ".join(words) if words else key


def normalise_vat(value: str) -> str:
    """A UK VAT registration number as its nine (or twelve) digits: 'GB 812 3112 85' -> '812311285'.

    Anything that is not 9 or 12 digits once spaces and the GB prefix are removed reads as "" (not known).
    """
    text = _VAT_PREFIX.sub("", re.sub(r"[\s.\-]", "", value.strip()))
    return text if text.isdigit() and len(text) in (9, 12) and text.strip("0") else ""


def normalise_company_number(value: str) -> str:
    """A Companies House number as 8 characters: '123456' -> '00123456', 'sc 12345' -> 'SC012345'.

    "" when the value is not a company number.
    """
    text = re.sub(r"[\s.\-]", "", value.strip()).upper()
    if text.isdigit() and 1 <= len(text) <= 8 and text.strip("0"):
        return text.zfill(8)
    m = re.fullmatch(r"([A-Z]{2})(\d{1,6})", text)
    return f"{m[1]}{m[2].zfill(6)}" if m else ""


@dataclass(frozen=True)
class SupplierRecord:
    """What one file says about a supplier name: the name and any identifiers written beside it."""

    name: str
    vat_numbers: frozenset[str] = frozenset()
    company_numbers: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MergeProposal:
    """Two supplier keys that are probably one supplier; `evidence` says why, strongest first."""

    first: str
    second: str
    evidence: tuple[str, ...]
    score: int  # 0-100: how sure the evidence makes us

    @property
    def pair(self) -> tuple[str, str]:
        return (self.first, self.second)


def pair_of(a: str, b: str) -> tuple[str, str]:
    """The two keys in a fixed order, so a decision about (a, b) also applies to (b, a)."""
    return (a, b) if a <= b else (b, a)


@dataclass
class _KeyFacts:
    names: set[str] = field(default_factory=set)
    vat: set[str] = field(default_factory=set)
    company: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)


def _facts(records: Iterable[SupplierRecord]) -> dict[str, _KeyFacts]:
    facts: dict[str, _KeyFacts] = defaultdict(_KeyFacts)
    for record in records:
        key = supplier_key(record.name)
        if not key:
            continue
        f = facts[key]
        f.names.add(record.name)
        f.vat.update(v for v in record.vat_numbers if v)
        f.company.update(c for c in record.company_numbers if c)
        f.refs.update(r for r in record.references if r)
    return facts


def _shared(facts: Mapping[str, _KeyFacts], attr: str) -> dict[tuple[str, str], set[str]]:
    by_value: dict[str, list[str]] = defaultdict(list)
    for key, f in facts.items():
        for value in getattr(f, attr):
            by_value[value].append(key)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for value, keys in by_value.items():
        if 1 < len(keys) <= 20:  # a number shared by more than 20 names is a group's number, not evidence
            ordered = sorted(keys)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs[(a, b)].add(value)
    return pairs


def _similar_pairs(keys: Sequence[str]) -> dict[tuple[str, str], tuple[str, int]]:
    """Pairs of keys with the same loose key, or nearly the same spelling (compared within a first word)."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    by_loose: dict[str, list[str]] = defaultdict(list)
    by_start: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_loose[loose_key(key)].append(key)
        by_start[key[:3]].append(key)
    for loose, group in by_loose.items():
        ordered = sorted(group)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                found[(a, b)] = (f"the same name apart from generic words: '{loose}'", 70)
    for group in by_start.values():
        if len(group) > 400:  # very common starts are compared by their loose key only
            continue
        ordered = sorted(group)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) in found or abs(len(a) - len(b)) > max(2, len(a) // 8):
                    continue
                matcher = SequenceMatcher(None, a, b, autojunk=False)
                if matcher.real_quick_ratio() < SIMILAR_NAMES or matcher.quick_ratio() < SIMILAR_NAMES:
                    continue
                ratio = matcher.ratio()
                if ratio >= SIMILAR_NAMES and not _differ_by_number(a, b):
                    found[(a, b)] = (f"names {round(ratio * 100)}% alike", round(ratio * 60))
    return found


def _differ_by_number(a: str, b: str) -> bool:
    """'School 1' and 'School 2' differ only in a number: different suppliers, not a slip."""
    return re.sub(r"\d+", "#", a) == re.sub(r"\d+", "#", b) and a != b


def propose_merges(
    records: Iterable[SupplierRecord], *, decided: Iterable[tuple[str, str]] = ()
) -> list[MergeProposal]:
    """Pairs of supplier keys that are probably one supplier, most certain first.

    Pairs in `decided` (accepted or rejected before, in either order) are never proposed again. Evidence:
    a shared VAT number (score 90), company number (95) or supplier reference (80) written beside both
    names, the same name apart from generic words (70), or names at least 92% alike in spelling (up to 60).
    """
    facts = _facts(records)
    skip = {pair_of(a, b) for a, b in decided}
    evidence: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for attr, label, score in (
        ("company", "company number", 95),
        ("vat", "VAT number", 90),
        ("refs", "supplier reference", 80),
    ):
        for pair, values in _shared(facts, attr).items():
            shown = ", ".join(sorted(values)[:3])
            evidence[pair].append((score, f"the same {label} ({shown})"))
    for pair, (text, score) in _similar_pairs(sorted(facts)).items():
        evidence[pair].append((score, text))
    proposals = []
    for (a, b), items in evidence.items():
        if (a, b) in skip:
            continue
        items.sort(reverse=True)
        # Independent kinds of evidence add up, but never to certainty.
        score = min(99, items[0][0] + sum(s for s, _ in items[1:]) // 4)
        proposals.append(MergeProposal(first=a, second=b, evidence=tuple(t for _, t in items), score=score))
    proposals.sort(key=lambda p: (-p.score, p.first, p.second))
    return proposals


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key (in sort order) is the root, so the result does not depend on input order.
            low, high = (ra, rb) if ra <= rb else (rb, ra)
            self.parent[high] = low


def cluster_suppliers(
    names: Iterable[str], *, accepted: Iterable[tuple[str, str]] = ()
) -> dict[str, list[str]]:
    """Group names into suppliers: {cluster key: sorted names}.

    Names with the same `supplier_key` are one supplier; each accepted merge (a pair of keys) joins two.
    The cluster key is the smallest key in the cluster. A name with an empty key (only punctuation) is its
    own cluster under the name itself.
    """
    union = _Union()
    members: dict[str, set[str]] = defaultdict(set)
    for name in names:
        key = supplier_key(name) or name
        union.find(key)
        members[key].add(name)
    for a, b in accepted:
        if a in union.parent and b in union.parent:
            union.union(a, b)
    clusters: dict[str, set[str]] = defaultdict(set)
    for key, group in members.items():
        clusters[union.find(key)].update(group)
    return {root: sorted(group) for root, group in sorted(clusters.items())}
