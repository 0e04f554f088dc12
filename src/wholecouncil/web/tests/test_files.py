"""Evidence uploads: kept only when of a known type, not empty and not too large; handed back as downloads."""

from __future__ import annotations

import pytest

from wholecouncil.web.files import Upload, UploadRefused, stored_file_response, upload_type


def test_a_known_type_gives_its_content_type_and_the_name_loses_any_folder() -> None:
    upload = Upload("C:\\Users\\jo\\Evidence\\Payroll.PDF", b"%PDF-1.7")
    assert upload.file_name == "Payroll.PDF"
    assert upload_type(upload, max_bytes=100) == "application/pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            Upload("run.exe", b"MZ"),
            "Outline case: run.exe is not a file type the council keeps; use one of .csv",
        ),
        (Upload("notes.txt", b""), "Outline case: notes.txt is empty."),
        (Upload("big.csv", b"x" * 2049), "Outline case: big.csv is larger than 2 KB."),
    ],
)
def test_refusals_name_the_document_and_the_file(upload: Upload, message: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        upload_type(upload, max_bytes=2048, label="Outline case")
    assert str(refused.value).startswith(message)


def test_a_kept_file_is_always_a_download_and_never_sniffed() -> None:
    response = stored_file_response(memoryview(b"a,b\n"), "résumé.csv", "text/csv")
    assert response.content == b"a,b\n"
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert stored_file_response(b"?", "x", "")["Content-Type"] == "application/octet-stream"
