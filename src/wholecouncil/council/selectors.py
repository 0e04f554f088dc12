"""Every read of the council spine that a view, report or command needs. Each takes the council."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wholecouncil.council.models import (
    AuditEvent,
    Council,
    DesignPrinciple,
    Layer,
    Lever,
    Membership,
    OperatingModel,
    OrgUnit,
    Partnership,
    Service,
)


def memberships_for_user(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("council").order_by("council__name")


def operating_model(
    council: Council,
) -> tuple[OperatingModel, list[Layer], list[Lever], list[DesignPrinciple]]:
    model, _ = OperatingModel.objects.get_or_create(council=council)
    return (
        model,
        list(Layer.objects.filter(council=council)),
        list(Lever.objects.filter(council=council)),
        list(DesignPrinciple.objects.filter(council=council)),
    )


def services_search(council: Council, query: str = "") -> QuerySet[Service]:
    qs = Service.objects.filter(council=council).select_related("org_unit")
    for word in query.split():
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(lgsl_id__iexact=word))
    return qs.order_by("name")


def partnerships_for(council: Council) -> QuerySet[Partnership]:
    return Partnership.objects.filter(councils=council).prefetch_related("councils").order_by("name")


def partnership_get(council: Council, partnership_id: int) -> Partnership:
    return partnerships_for(council).get(pk=partnership_id)


def units_visible_to(council: Council) -> QuerySet[OrgUnit]:
    """The council's own units, plus units another council hosts in which this council has a share."""
    return OrgUnit.objects.filter(Q(council=council) | Q(shares__council=council)).distinct()


def shared_units(partnership: Partnership) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(partnership=partnership)
        .select_related("council", "parent")
        .prefetch_related("shares__council")
        .order_by("council__name", "name")
    )


def audit_events(council: Council, *, action_prefix: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(council=council).select_related("actor")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    return qs


def members(council: Council) -> QuerySet[Membership]:
    return Membership.objects.filter(council=council).select_related("user").order_by("user__username")
