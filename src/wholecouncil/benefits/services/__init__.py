"""Every write to the benefits register: keyword-only, atomic and audited."""

from wholecouncil.benefits.services.actuals import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    actual_delete,
    actual_record,
)
from wholecouncil.benefits.services.common import BenefitError, NeedsRevalidation, authorities_of
from wholecouncil.benefits.services.from_case import FromCase, benefits_from_case, proposed_benefits
from wholecouncil.benefits.services.lifecycle import benefit_transition, collision_message, validation_missing
from wholecouncil.benefits.services.register import (
    BenefitInput,
    benefit_create,
    benefit_update,
    budget_line_save,
    partners_of,
    savings_required_set,
)

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "Attachment",
    "BenefitError",
    "BenefitInput",
    "FromCase",
    "NeedsRevalidation",
    "actual_delete",
    "actual_record",
    "authorities_of",
    "benefit_create",
    "benefit_transition",
    "benefit_update",
    "benefits_from_case",
    "budget_line_save",
    "collision_message",
    "partners_of",
    "proposed_benefits",
    "savings_required_set",
    "validation_missing",
]
