"""The work report API: issued versions (list, document, download) and a build from the current data.

The same rules as the pages: every reader of aggregates reads issued versions; building a
report from the current data is for those who write or issue it; enterprise-level tables
only for the roles that may see enterprise statistics, in every format and in the JSON.
"""

from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.core.models import Place
from yuanqu.exports import download
from yuanqu.periods import Period, PeriodError
from yuanqu.workreport.access import REPORT_ISSUERS, REPORT_READERS, sees_enterprise_tables
from yuanqu.workreport.formats import FORMATS, RenderError, fallback_name, file_name
from yuanqu.workreport.models import ReportVersion
from yuanqu.workreport.selectors import report_document
from yuanqu.workreport.services import ReportRefused, report_export

router = Router(tags=["工作报告"])


def _user(request: HttpRequest) -> Any:
    return request.auth or request.user  # type: ignore[attr-defined]


class VersionOut(Schema):
    id: int
    zone: str
    period: str
    number: int
    title: str
    issued_at: datetime
    issued_by: str
    as_of: datetime
    downloads: dict[str, str]


def _version_out(version: ReportVersion) -> VersionOut:
    return VersionOut(
        id=version.pk,
        zone=version.zone.code,
        period=version.period,
        number=version.number,
        title=version.title,
        issued_at=version.issued_at,
        issued_by=version.issued_by_name,
        as_of=version.as_of,
        downloads={fmt: f"/api/v1/reports/{version.pk}/download?format={fmt}" for fmt in FORMATS},
    )


class BuildIn(Schema):
    zone: str
    period: str
    format: str = "docx"
    as_of: date | None = None


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise HttpError(400, f"不支持的格式“{fmt[:10]}”（可选：{'、'.join(FORMATS)}）")
    return fmt


@router.get("/reports", response=list[VersionOut], summary="签发的工作报告")
def versions(request: HttpRequest, zone: str | None = None, period: str | None = None) -> list[VersionOut]:
    api_require_role(request, *REPORT_READERS)
    found = ReportVersion.objects.select_related("zone").order_by("-issued_at", "-id")
    if zone:
        found = found.filter(zone__code=zone[:40])
    if period:
        try:
            found = found.filter(period=Period.parse(period[:40]).code)
        except PeriodError as exc:
            raise HttpError(400, str(exc)) from exc
    return [_version_out(version) for version in found[:500]]


# Before the routes with {pk}: "build" would otherwise be read as a version id.
@router.post("/reports/build", summary="由当前数据生成工作报告（不签发）")
def build(request: HttpRequest, payload: BuildIn) -> HttpResponse:
    api_require_role(request, *REPORT_ISSUERS)
    fmt = _format(payload.format)
    zone = Place.objects.filter(code=payload.zone[:40]).first()
    if zone is None:
        raise HttpError(404, f"未找到园区“{payload.zone[:40]}”")
    try:
        period = Period.parse(payload.period[:40])
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if payload.as_of is not None and payload.as_of > timezone.localdate():
        raise HttpError(400, "as_of 不能晚于今天")
    as_of = timezone.make_aware(datetime.combine(payload.as_of, time.max)) if payload.as_of else None
    document = report_document(zone=zone, period=period, as_of=as_of)
    try:
        shown, content = report_export(
            document=document,
            fmt=fmt,
            enterprise=sees_enterprise_tables(_user(request)),
            actor=_user(request),
            moment=timezone.now().replace(microsecond=0),
            ip_address=client_ip(request),
        )
    except (RenderError, ReportRefused) as exc:
        raise HttpError(503, str(exc)) from exc
    return download(
        content,
        file_name=file_name(shown, fmt, short_zone=zone.display_name),
        fallback=fallback_name(shown, fmt),
        content_type=FORMATS[fmt],
    )


def _version(pk: int) -> ReportVersion:
    version = ReportVersion.objects.select_related("zone").filter(pk=pk).first()
    if version is None:
        raise HttpError(404, "未找到这份签发稿")
    return version


@router.get("/reports/{pk}", summary="签发稿的文稿：各节、段落、表格和每个数字的来源")
def version_document(request: HttpRequest, pk: int) -> dict[str, Any]:
    api_require_role(request, *REPORT_READERS)
    version = _version(pk)
    shown = version.doc().for_audience(enterprise=sees_enterprise_tables(_user(request)))
    return {"version": _version_out(version).dict(), "document": shown.to_data()}


@router.get("/reports/{pk}/download", summary="下载签发稿（docx、pdf、xlsx、md；每次逐字节相同）")
def version_download(request: HttpRequest, pk: int, format: str = "docx") -> HttpResponse:
    api_require_role(request, *REPORT_READERS)
    version = _version(pk)
    fmt = _format(format)
    try:
        shown, content = report_export(
            document=version.doc(),
            fmt=fmt,
            enterprise=sees_enterprise_tables(_user(request)),
            actor=_user(request),
            moment=version.issued_at,
            version=version,
            ip_address=client_ip(request),
        )
    except (RenderError, ReportRefused) as exc:
        raise HttpError(503, str(exc)) from exc
    return download(
        content,
        file_name=file_name(shown, fmt, version=version.number, short_zone=version.zone.display_name),
        fallback=fallback_name(shown, fmt, version=version.number),
        content_type=FORMATS[fmt],
    )
