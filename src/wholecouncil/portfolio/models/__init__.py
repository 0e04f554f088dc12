"""Models of portfolio and governance: structure, gates, RAID, plans, status reports and reviews."""

from wholecouncil.portfolio.models.gates import (
    BoardMeeting,
    Condition,
    DesignPrinciplesAssessment,
    GateDecision,
    GateSubmission,
    PrincipleRating,
    SubmissionArtefact,
)
from wholecouncil.portfolio.models.plan import (
    HighlightReport,
    Milestone,
    MilestoneRebaseline,
    ProjectImport,
    ReprioritisationReview,
    ResourceAllocation,
    ReviewItem,
)
from wholecouncil.portfolio.models.raid import (
    Assumption,
    Decision,
    Dependency,
    Issue,
    MilestoneDependency,
    Risk,
)
from wholecouncil.portfolio.models.structure import GateCriterion, Programme, Project, Stage, Workstream

__all__ = [
    "Assumption",
    "BoardMeeting",
    "Condition",
    "Decision",
    "Dependency",
    "DesignPrinciplesAssessment",
    "GateCriterion",
    "GateDecision",
    "GateSubmission",
    "HighlightReport",
    "Issue",
    "Milestone",
    "MilestoneDependency",
    "MilestoneRebaseline",
    "PrincipleRating",
    "Programme",
    "Project",
    "ProjectImport",
    "ReprioritisationReview",
    "ResourceAllocation",
    "ReviewItem",
    "Risk",
    "Stage",
    "SubmissionArtefact",
    "Workstream",
]
