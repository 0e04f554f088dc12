"""What the portfolio views share: finding the council's own objects (and partners' projects it may read)
and the edit check."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils import timezone

from wholecouncil.council.permissions import current_council
from wholecouncil.portfolio import selectors
from wholecouncil.portfolio.models import Project
from wholecouncil.portfolio.services import may_edit_project

M = TypeVar("M", bound=Model)


def today() -> dt.date:
    return timezone.localdate()


def own(request: HttpRequest, model: type[M], pk: Any, **filters: Any) -> M:
    """The council's own row, or 404: another council's ids are never found."""
    try:
        return model._default_manager.get(council=current_council(request), pk=pk, **filters)
    except (model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
        raise Http404("Not found") from exc


def project_or_404(request: HttpRequest, pk: int) -> Project:
    try:
        return selectors.project_get(current_council(request), pk)
    except Project.DoesNotExist as exc:
        raise Http404("No such project") from exc


def readable_project(request: HttpRequest, pk: int) -> Project:
    """The council's own project, or a partner's project that serves it (to read only); else 404."""
    try:
        return selectors.readable_projects(current_council(request)).get(pk=pk)
    except (Project.DoesNotExist, ValueError) as exc:
        raise Http404("No such project") from exc


def hosted_here(request: HttpRequest, project: Project) -> bool:
    """False when the project is run by a partner council: this council reads it but changes nothing."""
    return project.council_id == current_council(request).pk


def editable_project(request: HttpRequest, pk: int) -> Project:
    """The project, if the user may edit it: programme leads any, project managers only their own."""
    project = project_or_404(request, pk)
    if not may_edit_project(getattr(request, "membership", None), project):
        raise PermissionDenied("You can change only the projects you manage.")
    return project


def can_edit(request: HttpRequest, project: Project) -> bool:
    return may_edit_project(getattr(request, "membership", None), project)
