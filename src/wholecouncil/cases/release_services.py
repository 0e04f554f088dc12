"""Writes to a case's releases: keyword-only, atomic, audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from wholecouncil.cases.models import BusinessCase, OptionLine, Release
from wholecouncil.cases.services import CaseInputError
from wholecouncil.council.audit import Actor, audit_record, snapshot

RELEASE_FIELDS = ("code", "name", "go_live_year")


def _check(case: BusinessCase, release: Release) -> None:
    release.code = release.code.strip()
    release.name = release.name.strip()
    if not release.code:
        raise CaseInputError("Enter a short code for the release, like R1.", "code")
    if not release.name:
        raise CaseInputError("Enter the release's name.", "name")
    clash = Release.objects.filter(case=case, code=release.code).exclude(pk=release.pk)
    if clash.exists():
        raise CaseInputError(f"The code '{release.code}' is already used by another release.", "code")
    years = case.year_labels
    if not years[0].start_year <= release.go_live_year <= years[-1].start_year:
        raise CaseInputError(
            f"Choose a go-live year within the case's years, {years[0]} to {years[-1]}.", "go_live_year"
        )


@transaction.atomic
def release_create(*, case: BusinessCase, code: str, name: str, go_live_year: int, actor: Actor) -> Release:
    release = Release(council=case.council, case=case, code=code, name=name, go_live_year=go_live_year)
    _check(case, release)
    top = case.releases.aggregate(m=Max("position"))["m"]
    release.position = 0 if top is None else top + 1
    release.save()
    audit_record(
        council=case.council,
        actor=actor,
        action="case_release.create",
        obj=release,
        after=snapshot(release, RELEASE_FIELDS),
    )
    return release


@transaction.atomic
def release_update(*, release: Release, actor: Actor, code: str, name: str, go_live_year: int) -> Release:
    release = Release.objects.select_for_update().select_related("case__council").get(pk=release.pk)
    before = snapshot(release, RELEASE_FIELDS)
    release.code, release.name, release.go_live_year = code, name, go_live_year
    _check(release.case, release)
    release.save()
    after = snapshot(release, RELEASE_FIELDS)
    if before != after:
        audit_record(
            council=release.council,
            actor=actor,
            action="case_release.update",
            obj=release,
            before=before,
            after=after,
        )
    return release


def lines_using(release: Release) -> list[str]:
    """'Option: opportunity code' for every chosen line phased with a share of this release."""
    key = str(release.pk)
    lines = OptionLine.objects.filter(option__case_id=release.case_id).select_related("option", "opportunity")
    return sorted(
        f"{ln.option.name}: {ln.opportunity.code}" for ln in lines if key in (ln.release_shares or {})
    )


@transaction.atomic
def release_delete(*, release: Release, actor: Actor) -> None:
    used = lines_using(release)
    if used:
        raise CaseInputError(
            f"{release.code} delivers part of {'; '.join(used)}. Phase those opportunities without it first."
        )
    audit_record(
        council=release.council,
        actor=actor,
        action="case_release.delete",
        obj=release,
        before=snapshot(release, RELEASE_FIELDS),
    )
    release.delete()
