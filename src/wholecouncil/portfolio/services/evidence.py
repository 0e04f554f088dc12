"""Evidence for a gate's required documents: an uploaded file (type and size checked) or a web link."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from wholecouncil.portfolio.services.common import PortfolioDomainError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_LABEL = "10 MB"
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
_LINK = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes

    @property
    def file_name(self) -> str:
        return PurePath(self.name.replace("\\", "/")).name[:200] or "document"


def file_type(attachment: Attachment, label: str) -> str:
    """The file's content type, or a refusal naming the document and the file."""
    name = attachment.file_name
    suffix = PurePath(name).suffix.lower()
    if suffix not in FILE_TYPES:
        kinds = ", ".join(sorted(FILE_TYPES))
        raise PortfolioDomainError(
            f"{label}: {name} is not a file type the council keeps; use one of {kinds}."
        )
    if not attachment.content:
        raise PortfolioDomainError(f"{label}: {name} is empty.")
    if len(attachment.content) > MAX_FILE_BYTES:
        raise PortfolioDomainError(f"{label}: {name} is larger than {MAX_FILE_LABEL}.")
    return FILE_TYPES[suffix]


def clean_link(link: str, label: str) -> str:
    link = link.strip()
    if not link:
        return ""
    try:
        _LINK(link)
    except ValidationError as exc:
        raise PortfolioDomainError(
            f"{label}: the link must be a full web address starting https://, for example "
            "https://documents.example.gov.uk/outline-business-case"
        ) from exc
    if len(link) > 500:
        raise PortfolioDomainError(f"{label}: the link is longer than 500 characters.")
    return link
