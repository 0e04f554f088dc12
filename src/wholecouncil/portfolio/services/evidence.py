"""Evidence for a gate's required documents: an uploaded file (type and size checked) or a web link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from wholecouncil.portfolio.services.common import PortfolioDomainError
from wholecouncil.web.files import Upload, UploadRefused, upload_type

MAX_FILE_BYTES = 10 * 1024 * 1024
_LINK = URLValidator(schemes=["https", "http"])
Attachment = Upload


def file_type(attachment: Attachment, label: str) -> str:
    """The file's content type, or a refusal naming the document and the file."""
    try:
        return upload_type(attachment, max_bytes=MAX_FILE_BYTES, label=label)
    except UploadRefused as exc:
        raise PortfolioDomainError(str(exc)) from exc


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
