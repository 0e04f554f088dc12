"""Matching a file's column headers to the fields an importer wants, by synonyms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Synonyms shorter than this are matched only exactly, never as part of a longer header.
_MIN_CONTAINED = 5


def normalise_header(text: str) -> str:
    """Lower case, '&' read as 'and', everything but letters and digits removed: 'Job Title' -> 'jobtitle'."""
    return _NOT_ALNUM.sub("", text.casefold().replace("&", "and"))


def suggest_fields(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """For each field, the header that best matches one of its synonyms (the field's name counts as one).

    An exact match (after normalising) wins; then a header containing a synonym of five or more letters,
    preferring the longest synonym. Each header is suggested for one field at most; fields are served in
    the order given, so put the more specific fields first.
    """
    normalised = {h: normalise_header(h) for h in headers}
    used: set[str] = set()
    found: dict[str, str] = {}
    keys = {
        field: [normalise_header(field), *(normalise_header(s) for s in syns)]
        for field, syns in synonyms.items()
    }
    for field, words in keys.items():
        for word in words:
            match = next((h for h in headers if h not in used and normalised[h] == word and word), None)
            if match is not None:
                found[field] = match
                used.add(match)
                break
    for field, words in keys.items():
        if field in found:
            continue
        best: tuple[int, int, str] | None = None
        for header in headers:
            if header in used:
                continue
            for word in words:
                if len(word) >= _MIN_CONTAINED and word in normalised[header]:
                    score = (len(word), -len(normalised[header]), header)
                    if best is None or score[:2] > best[:2]:
                        best = score
        if best is not None:
            found[field] = best[2]
            used.add(best[2])
    return {field: found[field] for field in synonyms if field in found}
