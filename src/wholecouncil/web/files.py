"""Files users upload as evidence (gate documents, benefit actuals): which types are kept, how large they may
be, and how they are handed back — always as a download, never rendered by the browser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.http import HttpResponse
from django.utils.http import content_disposition_header

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
    ".msg": "application/vnd.ms-outlook",
    ".eml": "message/rfc822",
}


class UploadRefused(ValueError):
    """The file cannot be kept; the message names it and says why."""


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes

    @property
    def file_name(self) -> str:
        """The name without any folder a browser sent with it, at most 200 characters."""
        return PurePath(self.name.replace("\\", "/")).name[:200] or "document"


def upload_type(upload: Upload, *, max_bytes: int, label: str = "") -> str:
    """The file's content type, or UploadRefused naming the file (after `label`) and the reason."""
    name = upload.file_name
    prefix = f"{label}: " if label else ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in FILE_TYPES:
        kinds = ", ".join(sorted(FILE_TYPES))
        raise UploadRefused(f"{prefix}{name} is not a file type the council keeps; use one of {kinds}.")
    if not upload.content:
        raise UploadRefused(f"{prefix}{name} is empty.")
    if len(upload.content) > max_bytes:
        raise UploadRefused(f"{prefix}{name} is larger than {size_label(max_bytes)}.")
    return FILE_TYPES[suffix]


def size_label(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def stored_file_response(content: bytes | memoryview, name: str, content_type: str) -> HttpResponse:
    """A kept file as a download: never shown inline, and the browser told not to guess its type."""
    response = HttpResponse(bytes(content), content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
