from wholecouncil.council.models.audit import AuditEvent
from wholecouncil.council.models.operating_model import DesignPrinciple, Layer, Lever, OperatingModel
from wholecouncil.council.models.organisation import OrgUnit, OrgUnitShare, Service
from wholecouncil.council.models.tenancy import Council, Membership, Partnership

__all__ = [
    "AuditEvent",
    "Council",
    "DesignPrinciple",
    "Layer",
    "Lever",
    "Membership",
    "OperatingModel",
    "OrgUnit",
    "OrgUnitShare",
    "Partnership",
    "Service",
]
