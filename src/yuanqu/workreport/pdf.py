"""The report as PDF, rendered by WeasyPrint from the print template with the server's CJK fonts.

The same layout as the Word document (A4, the GB/T 9704 margins, 28 × 22, “— 1 —” at the foot).
The fonts named first are the offices' own (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) where the
server has them; otherwise the free fonts the project installs from Debian: Noto Serif CJK SC
(宋体 style, for the title and the body), Noto Sans CJK SC (黑体 style) and AR PL UKai CN (楷体).
"""

import shutil
import subprocess
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from yuanqu.workreport.document import Document
from yuanqu.workreport.formats import RenderError
from yuanqu.workreport.presenting import present

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "yuanqu" / "report-document.css"

CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN")


@lru_cache(maxsize=1)
def installed_cjk_families() -> frozenset[str]:
    """The font families fontconfig knows for Chinese (empty without fontconfig)."""
    command = shutil.which("fc-list")
    if command is None:
        return frozenset()
    found = subprocess.run([command, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30)
    return frozenset(name.strip() for line in found.stdout.splitlines() for name in line.split(","))


def pdf_document(document: Document, *, moment: datetime) -> bytes:
    if not installed_cjk_families() & set(CJK_FONTS):
        raise RenderError(
            "服务器没有中文字体，无法生成 PDF（请安装 fonts-noto-cjk 和 fonts-arphic-ukai，见 README“工作报告”一节）"
        )
    from weasyprint import CSS, HTML

    html = render_to_string(
        "workreport/print.html",
        {
            "document": document,
            "sections": present(document),
            "moment": timezone.localtime(moment) if timezone.is_aware(moment) else moment,
        },
    )
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
