"""The indicators API: catalogue, observations, the scorecard, enterprise figures, imports."""

import tempfile
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.accounts.api import API_AUTH
from yuanqu.accounts.roles import AGGREGATE_READERS, ENTERPRISE_READERS, IMPORTERS, has_role
from yuanqu.core.models import Place
from yuanqu.disclosed import Reader
from yuanqu.indicators.dashboard import default_period
from yuanqu.indicators.drilldown import enterprise_figures
from yuanqu.indicators.forms import SUFFIXES
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.models import Indicator, Observation
from yuanqu.indicators.services import enterprise_months_import, observations_import
from yuanqu.indicators.writing import scorecard_json
from yuanqu.periods import Period, PeriodError

router = Router(tags=["指标"])


def _period(text: str) -> Period:
    try:
        return Period.parse(text[:40])
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc


def _zone(code: str) -> Place:
    zone = Place.objects.filter(code=code).first()
    if zone is None:
        raise HttpError(404, f"未找到地区“{code[:40]}”")
    return zone


def _as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise HttpError(400, f"无法识别日期“{text[:40]}”（应为 2023-07-15 或 2023-07-15T10:00）")
        moment = datetime.combine(day, time.max)  # as the figures stood at the end of that day
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    price_basis: str
    origin: str
    reporting: str
    rank_by: str
    in_scorecard: bool


class ObservationOut(Schema):
    id: int
    indicator: str
    place: str
    period: str
    value: Decimal | None
    unit: str
    growth_pct: Decimal | None
    price_basis: str
    vintage: str
    is_sample: bool
    source: str
    source_locator: str
    recorded_at: datetime
    superseded_at: datetime | None


class EnterpriseFigureOut(Schema):
    uscc: str
    name: str
    industry: str
    industry_name: str
    current_yuan: int
    base_yuan: int
    has_base: bool
    base_label: str  # 上年实际 / 企业填报上年同期 / 新投产（上年无生产） / 缺上年数据
    new_entrant: bool
    growth_pct: Decimal | None
    contribution_pp: Decimal | None  # None: left out of the growth (no base)


class MonthImportOut(Schema):
    period: str
    in_file: int
    stored: int
    added: int
    changed: int
    removed: int
    unchanged: int
    kept: int
    expected: int
    reported_of_expected: int
    warnings: list[str]


class ImportOut(Schema):
    dry_run: bool
    summary: str


class EnterpriseImportOut(ImportOut):
    replace_month: bool
    months: list[MonthImportOut]
    warnings: list[str]


class IssueOut(Schema):
    row: int
    column: str
    message: str


class RejectedOut(Schema):
    detail: str
    issues: list[IssueOut]


@router.get("/indicators", response=list[IndicatorOut], summary="指标目录")
def indicators(request: HttpRequest) -> list[Indicator]:
    api_require_role(request, *AGGREGATE_READERS)
    return list(Indicator.objects.all())


@router.get("/observations", response=list[ObservationOut], summary="发布数据（可按某日重现）")
def observations(
    request: HttpRequest,
    indicator: str | None = None,
    place: str | None = None,
    period: str | None = None,
    as_of: str | None = None,
) -> list[ObservationOut]:
    api_require_role(request, *AGGREGATE_READERS)
    rows = Observation.objects.accepted().as_of(_as_of(as_of)).select_related("indicator", "place", "source")
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if place:
        rows = rows.filter(place__code=place)
    if period:
        rows = rows.filter(period=_period(period).code)
    return [
        ObservationOut(
            id=row.pk,
            indicator=row.indicator.code,
            place=row.place.code,
            period=row.period,
            value=row.value,
            unit=row.unit,
            growth_pct=row.growth_pct,
            price_basis=row.price_basis,
            vintage=row.vintage,
            is_sample=row.is_sample,
            source=row.source.title,
            source_locator=row.source_locator,
            recorded_at=row.recorded_at,
            superseded_at=row.superseded_at,
        )
        for row in rows.order_by("indicator__sort_order", "place__sort_order", "period")[:5000]
    ]


@router.get("/scorecard", summary="成绩单：累计值、增速、全市排位、目标进度和成绩单段落")
def scorecard_data(
    request: HttpRequest, zone: str, period: str | None = None, as_of: str | None = None
) -> HttpResponse:
    """Without ``period``: the zone's newest complete period, as the pages open on."""
    api_require_role(request, *AGGREGATE_READERS)
    when = _period(period) if period else default_period(_zone(zone))
    if when is None:
        raise HttpError(404, f"“{zone[:40]}”尚无数据")
    response = _scorecard_response(request.auth, zone, when, _as_of(as_of))  # type: ignore[attr-defined]
    if response is None:
        raise HttpError(404, f"未找到地区“{zone[:40]}”")
    return response


# The query of the calls scorecard_fast_path answers itself.
FAST_QUERY_REQUIRED = {"zone", "period"}
FAST_QUERY_ALLOWED = {"zone", "period", "as_of"}


def scorecard_fast_path(ninja_view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``scorecard_data``'s URL, answered from the cached bytes before ninja's machinery where that is safe.

    The common call of a machine client — a GET with a valid Bearer token of a user who may read
    the scorecard, and ``zone``, ``period`` and perhaps ``as_of`` each given once and valid — costs
    ninja's parameter parsing and validation more than the cached answer itself. That call is
    answered here with the very checks and bytes of ``scorecard_data``. Anything else (no token or
    a bad one, a session, a missing role, bad or unexpected parameters, an unknown zone, another
    method) goes to ninja's own view unchanged, so every error answer stays ninja's. A check
    added to the scorecard's operation later (a throttle, another authentication) must be added
    here as well.
    """
    token_auth = API_AUTH[0]

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = _scorecard_from_cache(request, token_auth) if not args and not kwargs else None
        return response if response is not None else ninja_view(request, *args, **kwargs)

    view.csrf_exempt = True  # type: ignore[attr-defined]  # as ninja's views; a token request needs no CSRF
    return view


def _scorecard_from_cache(request: HttpRequest, token_auth: Callable[[HttpRequest], object]) -> HttpResponse | None:
    query = request.GET
    if (
        request.method != "GET"
        or "HTTP_AUTHORIZATION" not in request.META
        or not FAST_QUERY_REQUIRED <= query.keys() <= FAST_QUERY_ALLOWED
        or any(len(query.getlist(name)) != 1 for name in query)
    ):
        return None
    user = token_auth(request)  # ApiTokenAuth: sets request.user as in ninja's authentication
    if user is None or not has_role(user, *AGGREGATE_READERS):  # type: ignore[arg-type]
        return None
    try:
        period = _period(query["period"])
        as_of = _as_of(query.get("as_of"))
    except HttpError:
        return None
    request.auth = user  # type: ignore[attr-defined]
    return _scorecard_response(user, query["zone"], period, as_of)


def _scorecard_response(user: Any, zone: str, period: Period, as_of: datetime | None) -> HttpResponse | None:
    # An industry's contribution can be one enterprise's figure: each reader gets what
    # yuanqu.disclosed lets them see.
    body = scorecard_json(zone_code=zone, period=period, as_of=as_of, reader=Reader.of(user, zone))
    if body is None:
        return None
    # Serialised once per change of the data and sent as it is.
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/enterprise-figures", response=list[EnterpriseFigureOut], summary="分企业同口径数据（仅统计员）")
def enterprise_figures_data(
    request: HttpRequest, zone: str, indicator: str, period: str, sort: str = "contribution"
) -> list[Any]:
    api_require_role(request, *ENTERPRISE_READERS)
    item = Indicator.objects.filter(code=indicator, origin=Indicator.Origin.ENTERPRISE).first()
    if item is None:
        raise HttpError(404, f"“{indicator[:40]}”不是由企业数据汇总的指标")
    return list(enterprise_figures(zone=_zone(zone), indicator=item, period=_period(period), sort=sort))


ImportAnswer = TypeVar("ImportAnswer", bound=ImportOut)


def import_refused(status: int, column: str, message: str) -> Status[RejectedOut]:
    """A malformed import request, answered in the shape of a rejected file: nothing is written."""
    return Status(status, RejectedOut(detail=message, issues=[IssueOut(row=0, column=column, message=message)]))


REQUEST_ERRORS = {
    "missing": "缺少参数 {name}",
    "bool_parsing": "参数 {name} 应为 true 或 false",
    "bool_type": "参数 {name} 应为 true 或 false",
    "string_type": "参数 {name} 应为文本",
}


def import_request_rejected(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's validation errors of an import request as a RejectedOut, each naming its parameter."""
    issues: list[IssueOut] = []
    for error in errors:
        name = str(error.get("loc", ("", ""))[-1])[:40]
        template = REQUEST_ERRORS.get(str(error.get("type", "")), "参数 {name} 的值无效")
        issues.append(IssueOut(row=0, column=name, message=template.format(name=name)))
    detail = "请求有误，未写入任何数据：" + "；".join(issue.message for issue in issues)
    return RejectedOut(detail=detail, issues=issues).model_dump()


def _import(
    request: HttpRequest, upload: UploadedFile, run: Callable[[Path, str], ImportAnswer]
) -> ImportAnswer | Status[RejectedOut]:
    api_require_role(request, *IMPORTERS)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        return import_refused(400, "file", "只接受 .xlsx 或 .csv 文件")
    if (upload.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
        return import_refused(400, "file", f"文件超过 {settings.YUANQU_UPLOAD_MAX_MB}MB")
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            return run(Path(handle.name), Path(upload.name or "").name[:200])
        except ImportRejected as exc:
            issues = [IssueOut(row=issue.row, column=issue.column, message=issue.message) for issue in exc.issues]
            return Status(422, RejectedOut(detail=str(exc), issues=issues))


# An import answers a malformed request (a missing file, a bad parameter, an unknown zone) in the
# shape of a rejected file; authentication and role errors stay the API's own (ErrorOut).
IMPORT_RESPONSES: dict[int, Any] = {200: ImportOut, 400: RejectedOut, 404: RejectedOut, 422: RejectedOut}
ENTERPRISE_IMPORT_RESPONSES: dict[int, Any] = {**IMPORT_RESPONSES, 200: EnterpriseImportOut}


@router.post(
    "/imports/enterprise-monthly",
    response=ENTERPRISE_IMPORT_RESPONSES,
    summary="导入企业月度数据（仅统计员；dry_run 只检查不写入；默认增量，replace_month 整月替换）",
)
def import_enterprise_monthly(
    request: HttpRequest,
    file: File[UploadedFile],
    zone: Form[str],
    dry_run: Form[bool] = True,
    replace_month: Form[bool] = False,
) -> EnterpriseImportOut | Status[RejectedOut]:
    """Additive unless ``replace_month``: then each month the file covers is replaced in full."""
    api_require_role(request, *IMPORTERS)
    place = Place.objects.filter(code=zone[:40]).first()
    if place is None:
        return import_refused(404, "zone", f"未找到园区“{zone[:40]}”")

    def run(path: Path, file_name: str) -> EnterpriseImportOut:
        report = enterprise_months_import(
            path=path,
            zone=place,
            actor=request.user,
            dry_run=dry_run,
            replace_month=replace_month,
            file_name=file_name,
            ip_address=client_ip(request),
        )
        months = [
            MonthImportOut(
                period=diff.period,
                in_file=diff.in_file,
                stored=diff.stored,
                added=diff.added,
                changed=diff.changed,
                removed=diff.removed,
                unchanged=diff.unchanged,
                kept=diff.kept,
                expected=diff.expected,
                reported_of_expected=diff.reported_of_expected,
                warnings=diff.warnings,
            )
            for diff in report.month_diffs
        ]
        return EnterpriseImportOut(
            dry_run=dry_run,
            summary=report.summary,
            replace_month=replace_month,
            months=months,
            warnings=report.warnings,
        )

    return _import(request, file, run)


@router.post(
    "/imports/observations",
    response=IMPORT_RESPONSES,
    summary="导入发布数据（仅统计员；dry_run 只检查不写入）",
)
def import_observations(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True
) -> ImportOut | Status[RejectedOut]:
    def run(path: Path, file_name: str) -> ImportOut:
        report = observations_import(
            path=path, actor=request.user, dry_run=dry_run, file_name=file_name, ip_address=client_ip(request)
        )
        return ImportOut(dry_run=dry_run, summary=report.summary)

    return _import(request, file, run)
