"""Every output of a report from its document alone, the same bytes each time.

An issued version regenerates byte-identically: the renderers read nothing but the document
and the moment they are given (the version's issue time), Word's and Excel's core properties
are set from that moment, and the zip members of .docx and .xlsx get fixed timestamps and
attributes (``normalise_zip``). WeasyPrint writes no date of its own; the PDF's metadata are
the document's. The PDF embeds subsets of the CJK fonts the server has, so its bytes hold as
long as those fonts are unchanged; the digests kept with a version tell if they ever differ.
"""

import hashlib
import io
import re
import zipfile
from datetime import UTC, datetime

from django.utils import timezone

from yuanqu.exports import DOCX, PDF, XLSX, export_file_name
from yuanqu.workreport.document import Document

MARKDOWN = "text/markdown; charset=utf-8"
FORMATS = {"docx": DOCX, "pdf": PDF, "xlsx": XLSX, "md": MARKDOWN}
FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel 附表", "md": "Markdown"}
AUDIENCES = ("full", "aggregate")


class RenderError(Exception):
    """An output that cannot be made on this server (e.g. no CJK font for the PDF); the message is Chinese."""


def render(document: Document, fmt: str, *, moment: datetime) -> bytes:
    """The document in a format; ``moment`` stamps the file (a version's issue time)."""
    if fmt == "docx":
        from yuanqu.workreport.word import word_document

        return normalise_zip(word_document(document, moment=moment), moment)
    if fmt == "xlsx":
        from yuanqu.workreport.annex import annex_workbook

        return normalise_zip(annex_workbook(document, moment=moment), moment)
    if fmt == "pdf":
        from yuanqu.workreport.pdf import pdf_document

        return pdf_document(document, moment=moment)
    if fmt == "md":
        from yuanqu.workreport.markdown import markdown_text

        return markdown_text(document).encode()
    raise ValueError(f"unknown report format {fmt!r}")


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_name(document: Document, fmt: str, *, version: int | None = None, short_zone: str = "") -> str:
    """扬州经开区_工作报告_2023年上半年_第1版.docx."""
    parts = [short_zone or document.zone_name, "工作报告", document.period_label]
    if version is not None:
        parts.append(f"第{version}版")
    if document.audience == "aggregate":
        parts.append("汇总版")
    return export_file_name(*parts, suffix=f".{fmt}")


def fallback_name(document: Document, fmt: str, *, version: int | None = None) -> str:
    return (
        f"work-report-{document.zone_code}-{document.period_code.replace('~', '-')}"
        + (f"-v{version}" if version is not None else "")
        + f".{fmt}"
    )


CORE_PROPERTIES = "docProps/core.xml"
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalise_zip(content: bytes, moment: datetime) -> bytes:
    """The same archive with every member stamped ``moment`` and fixed attributes, in the same order.

    The core properties' created and modified dates become ``moment`` too: openpyxl writes the
    time of saving into ``modified`` whatever the workbook says.
    """
    utc = (moment.astimezone(UTC) if timezone.is_aware(moment) else moment).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            data = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                data = _CORE_DATES.sub(lambda found: found.group(1) + utc + found.group(2), data)
            target.writestr(member, data)
    return buffer.getvalue()
