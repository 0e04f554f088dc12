"""Every write to the council spine goes through here: keyword-only, typed, atomic and audited."""

from wholecouncil.council.services.catalogue import (
    CatalogueError,
    read_lgsl,
    services_assign,
    services_import,
)
from wholecouncil.council.services.errors import DomainError
from wholecouncil.council.services.operating_model import (
    LAYER_FIELDS,
    LEVER_FIELDS,
    PRINCIPLE_FIELDS,
    item_move,
    layer_create,
    layer_delete,
    layer_update,
    lever_create,
    lever_delete,
    lever_update,
    operating_model_apply_template,
    principle_create,
    principle_delete,
    principle_update,
)
from wholecouncil.council.services.organisation import org_unit_create, org_unit_share, partnership_create
from wholecouncil.council.services.tenancy import council_create, membership_set

__all__ = [
    "LAYER_FIELDS",
    "LEVER_FIELDS",
    "PRINCIPLE_FIELDS",
    "CatalogueError",
    "DomainError",
    "council_create",
    "item_move",
    "layer_create",
    "layer_delete",
    "layer_update",
    "lever_create",
    "lever_delete",
    "lever_update",
    "membership_set",
    "operating_model_apply_template",
    "org_unit_create",
    "org_unit_share",
    "partnership_create",
    "principle_create",
    "principle_delete",
    "principle_update",
    "read_lgsl",
    "services_assign",
    "services_import",
]
