"""The workspace pages of the indicators: dashboard, provenance, imports, drill-down, big screen."""

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu.accounts.access import client_ip, landing_url, require_role
from yuanqu.accounts.roles import AGGREGATE_READERS, ENTERPRISE_READERS, IMPORTERS, has_role
from yuanqu.core.models import Place
from yuanqu.disclosed import Reader, scorecard_for
from yuanqu.exports import download, export_file_name
from yuanqu.indicators import dashboard
from yuanqu.indicators.drilldown import (
    SORTS,
    EnterpriseFilter,
    enterprise_figures,
    enterprise_figures_export,
    enterprise_totals,
    enterprises_filtered,
    industry_choices,
)
from yuanqu.indicators.drilldown import export_name as drilldown_export_name
from yuanqu.indicators.forms import REPLACE_MONTH, ImportUploadForm, ObservationCorrectionForm, ReportUploadForm
from yuanqu.indicators.import_diff import ImportReport, import_diff_workbook
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.models import Enterprise, Indicator, Observation
from yuanqu.indicators.selectors import cached_by_data, completeness, scorecard
from yuanqu.indicators.services import (
    enterprise_months_import,
    new_production_mark,
    new_production_unmark,
    observations_import,
)
from yuanqu.indicators.spreadsheets import write_template
from yuanqu.indicators.uploads import upload_discard, upload_keep, upload_path
from yuanqu.indicators.writing import explain, paragraph
from yuanqu.periods import Period, PeriodError
from yuanqu.reading.selectors import pending_observations, review_rows, reviewed_observations
from yuanqu.reading.services import IngestError, observation_review, report_ingest

PENDING_IMPORT = "pending_import"


@dataclass
class Selection:
    """The zone and period a page is about, as chosen in the query string."""

    zones: list[Place]
    zone: Place | None = None
    periods: list[Period] = field(default_factory=list)
    period: Period | None = None
    error: str = ""

    @property
    def query(self) -> str:
        if self.zone is None or self.period is None:
            return ""
        return f"zone={self.zone.code}&period={self.period.code}"


def _selection(request: HttpRequest) -> Selection:
    zones = list(Place.objects.filter(level=Place.Level.ZONE))
    selection = Selection(zones=zones)
    code = request.GET.get("zone", "").strip() or settings.YUANQU_DEFAULT_ZONE
    selection.zone = next((zone for zone in zones if zone.code == code), None)
    if selection.zone is None:
        selection.error = f"未找到园区“{code[:40]}”" if zones else "尚无园区数据，请先运行 yuanqu demo load"
        return selection
    selection.periods = dashboard.available_periods(selection.zone)
    raw = request.GET.get("period", "").strip()
    if raw:
        try:
            selection.period = Period.parse(raw[:40])
        except PeriodError as exc:
            selection.error = str(exc)
    else:
        selection.period = dashboard.default_period(selection.zone)
        if selection.period is None:
            selection.error = f"{selection.zone.display_name}尚无数据"
    return selection


def _render(request: HttpRequest, template: str, context: dict[str, Any], selection: Selection) -> HttpResponse:
    if selection.zone is not None and selection.period is not None and "completeness_label" not in context:
        context["completeness_label"] = completeness(selection.zone, selection.period).label
    return render(request, template, context, status=400 if selection.error else 200)


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The home page: the scorecard, or an administrator's own tool (they see no business data)."""
    if request.user.is_authenticated and not has_role(request.user, *AGGREGATE_READERS):
        landing = landing_url(request.user)
        if landing is not None:
            return redirect(landing)
    return _dashboard(request)


def _scorecard_html(zone: Place, period: Period, *, reader: Reader) -> str:
    """The scorecard part of the dashboard: summary, cards, charts' data and tables.

    It depends on the figures (the data version), the zone and period, whether the user may
    drill down to enterprises, and on how links and numbers are written (URLconf, script prefix,
    language) — all of them in the cache key — and on nothing else of the request or the user,
    so it is rendered without the request.
    """

    can_drill = reader.everything

    def build() -> str:
        card = scorecard_for(scorecard(zone=zone, period=period), zone=zone, reader=reader)
        trend = dashboard.cumulative_trend(zone, period)
        data = dashboard.page_data(card, trend)
        context = {
            "selection": Selection(zones=[], zone=zone, period=period),
            "cards": [dashboard.card(figure) for figure in card.figures],
            "paragraph": paragraph(card),
            "data": data,
            "ranking_choices": [(code, item["name"]) for code, item in data["ranking"].items()],
            "can_drill": can_drill,
            "completeness": card.completeness,
        }
        return render_to_string("indicators/_scorecard.html", context)

    place = hashlib.sha256(f"{zone.code}\n{zone.display_name}".encode()).hexdigest()[:16]
    writing = f"{get_urlconf() or settings.ROOT_URLCONF}:{get_script_prefix()}:{get_language()}"
    key = f"dashboard-scorecard:{zone.pk}:{place}:{period.code}:{reader.cache_key}:{writing}"
    return mark_safe(cached_by_data(key, build))  # escaped by the template engine when it was rendered


@require_role(*AGGREGATE_READERS)
def _dashboard(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    context: dict[str, Any] = {"selection": selection}
    if selection.zone is not None and selection.period is not None:
        context["scorecard_html"] = _scorecard_html(
            selection.zone, selection.period, reader=Reader.of(request.user, selection.zone)
        )
    is_fragment = request.headers.get("HX-Request") == "true"
    template = "indicators/dashboard_panel.html" if is_fragment else "indicators/dashboard.html"
    return _render(request, template, context, selection)


@require_GET
@require_role(*AGGREGATE_READERS)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of the scorecard, the drill-down and the imports."""
    context = {"help_title": _("成绩单与数据"), "back_url": "/", "back_label": _("成绩单")}
    return render(request, "help/indicators.html", context)


@require_GET
@require_role(*AGGREGATE_READERS)
def screen_page(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    context: dict[str, Any] = {"selection": selection}
    if selection.zone is not None and selection.period is not None:
        reader = Reader.of(request.user, selection.zone)
        card = scorecard_for(
            scorecard(zone=selection.zone, period=selection.period), zone=selection.zone, reader=reader
        )
        data = dashboard.page_data(card, {"labels": [], "series": []})
        context.update(
            cards=[dashboard.card(figure) for figure in card.figures if figure.value or figure.growth_pct],
            paragraph=paragraph(card),
            data=data,
        )
    return _render(request, "indicators/screen.html", context, selection)


@require_GET
@require_role(*AGGREGATE_READERS)
def provenance_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    selection = _selection(request)
    context: dict[str, Any] = {"selection": selection, "indicator": indicator}
    if selection.zone is not None and selection.period is not None:
        card = scorecard_for(
            scorecard(zone=selection.zone, period=selection.period, indicators=[indicator]),
            zone=selection.zone,
            reader=Reader.of(request.user, selection.zone),
        )
        context.update(
            lines=explain(card)[1:],
            figure=card.figures[0],
            history=Observation.objects.filter(indicator=indicator, place=selection.zone, period=selection.period.code)
            .select_related("source", "recorded_by")
            .order_by("-recorded_at"),
        )
    return _render(request, "indicators/provenance.html", context, selection)


DRILLDOWN_PAGE_SIZE = 50


def _enterprise_filter(request: HttpRequest) -> EnterpriseFilter:
    return EnterpriseFilter(
        query=request.GET.get("q", "").strip()[:60],
        industry=request.GET.get("industry", "").strip()[:3],
        new_only=request.GET.get("new") == "1",
    )


@require_GET
@require_role(*ENTERPRISE_READERS)
def drilldown_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code, origin=Indicator.Origin.ENTERPRISE)
    selection = _selection(request)
    sort = request.GET.get("sort", "contribution")
    sort = sort if sort in SORTS else "contribution"
    chosen = _enterprise_filter(request)
    context: dict[str, Any] = {"selection": selection, "indicator": indicator, "sort": sort, "chosen": chosen}
    if selection.zone is not None and selection.period is not None:
        if request.GET.get("format") == "xlsx":
            content = enterprise_figures_export(
                zone=selection.zone,
                indicator=indicator,
                period=selection.period,
                actor=request.user,
                ip_address=client_ip(request),
                sort=sort,
                chosen=chosen,
            )
            name, fallback = drilldown_export_name(selection.zone, indicator, selection.period)
            return download(content, file_name=name, fallback=fallback)
        card = scorecard_for(
            scorecard(zone=selection.zone, period=selection.period, indicators=[indicator]),
            zone=selection.zone,
            reader=Reader.of(request.user, selection.zone),
        )
        every = enterprise_figures(zone=selection.zone, indicator=indicator, period=selection.period, sort=sort)
        industries = industry_choices(every)
        if chosen.industry not in industries:
            chosen = EnterpriseFilter(query=chosen.query, new_only=chosen.new_only)
        rows = enterprises_filtered(every, chosen)
        page = Paginator(rows, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
        filters = {"q": chosen.query, "industry": chosen.industry, "new": "1" if chosen.new_only else ""}
        kept = urlencode({key: value for key, value in filters.items() if value})
        context.update(
            chosen=chosen,
            figure=card.figures[0],
            card=dashboard.card(card.figures[0]),
            industries=dashboard.industry_rows(card.figures[0]),
            industry_choices=industries,
            enterprises=rows,
            every_count=len(every),
            page=page,
            totals=enterprise_totals(rows),
            filter_query=f"&{kept}" if kept else "",
        )
    return _render(request, "indicators/drilldown.html", context, selection)


@require_POST
@require_role(*ENTERPRISE_READERS)
def new_production_page(request: HttpRequest, code: str) -> HttpResponse:
    """Mark (or unmark) an enterprise without a base as 新投产（上年无生产）, with a reason."""
    indicator = get_object_or_404(Indicator, code=code, origin=Indicator.Origin.ENTERPRISE)
    enterprise = get_object_or_404(Enterprise, uscc=request.POST.get("uscc", "")[:18])
    back = request.POST.get("back", "")
    back = back if back.startswith("?") else ""
    target = redirect(reverse("indicators:drilldown", args=[indicator.code]) + back)
    year_text = request.POST.get("year", "")
    if not (year_text.isdigit() and 1990 <= int(year_text) <= 2999):
        messages.error(request, "年份无效")
        return target
    year = int(year_text)
    try:
        if request.POST.get("action") == "unmark":
            new_production_unmark(enterprise=enterprise, year=year, actor=request.user)
            messages.success(request, f"已取消{enterprise.name}的{year}年新投产标记")
        else:
            new_production_mark(
                enterprise=enterprise, year=year, reason=request.POST.get("reason", "")[:400], actor=request.user
            )
            messages.success(request, f"{enterprise.name}已标记为{year}年新投产，上年同期按零计入同口径增速")
    except ValueError as exc:  # the service's messages are for the user
        messages.error(request, str(exc))
    return target


# -- imports ---------------------------------------------------------------------------


@require_GET
@require_role(*IMPORTERS)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in {"enterprise-monthly", "observations"}:
        raise Http404
    name = {"enterprise-monthly": "企业月度数据导入模板", "observations": "发布数据导入模板"}[kind]
    return download(write_template(kind), file_name=export_file_name(name), fallback=f"{kind}-template.xlsx")


def _run_import(
    kind: str,
    path: Path,
    zone: Place | None,
    request: HttpRequest,
    *,
    dry_run: bool,
    file_name: str,
    replace_month: bool = False,
) -> tuple[str, ImportReport | None]:
    """Call the import service; returns the summary (and an enterprise import's report) or raises ImportRejected."""
    if kind == "enterprise-monthly":
        assert zone is not None
        report = enterprise_months_import(
            path=path,
            zone=zone,
            actor=request.user,
            dry_run=dry_run,
            replace_month=replace_month,
            file_name=file_name,
            ip_address=client_ip(request),
        )
        return report.summary, report
    summary = observations_import(
        path=path, actor=request.user, dry_run=dry_run, file_name=file_name, ip_address=client_ip(request)
    ).summary
    return summary, None


def _import_render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The import page; its report section is on every rendering."""
    context.setdefault("report_form", ReportUploadForm())
    return render(request, "indicators/import.html", context, status=status)


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_IMPORT, None)
    if pending:
        upload_discard(upload_path(pending.get("token", ""), pending.get("suffix", "")))


@require_http_methods(["GET", "POST"])
@require_role(*IMPORTERS)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (dry run: every error by row and column, nothing written) → confirm."""
    if request.method == "GET":
        form = ImportUploadForm(initial={"zone": Place.objects.home_zone_of(request.user)})
        return _import_render(request, {"form": form})
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_render(request, {"form": form}, status=400)
    _forget_pending(request)
    upload = form.cleaned_data["file"]
    kind, zone = form.cleaned_data["kind"], form.cleaned_data["zone"]
    replace_month = kind == "enterprise-monthly" and form.cleaned_data["mode"] == REPLACE_MONTH
    file_name = Path(upload.name or "").name[:200]
    token, path = upload_keep(upload)
    try:
        summary, report = _run_import(
            kind, path, zone, request, dry_run=True, file_name=file_name, replace_month=replace_month
        )
    except ImportRejected as exc:
        upload_discard(path)
        context = {
            "form": ImportUploadForm(initial={"kind": kind, "zone": zone, "mode": form.cleaned_data["mode"]}),
            "rejected": exc,
            "file_name": file_name,
        }
        return _import_render(request, context, status=400)
    request.session[PENDING_IMPORT] = {
        "token": token,
        "suffix": path.suffix,
        "kind": kind,
        "zone": zone.code if zone else "",
        "file_name": file_name,
        "replace_month": replace_month,
    }
    return _import_render(
        request,
        {"preview": summary, "report": report, "file_name": file_name, "token": token, "zone": zone},
    )


@require_POST
@require_role(*IMPORTERS)
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_IMPORT) or {}
    path = upload_path(pending.get("token", ""), pending.get("suffix", ""))
    if path is None or request.POST.get("token") != pending.get("token"):
        return _import_render(
            request, {"form": ImportUploadForm(), "error": "待确认的文件已失效，请重新上传"}, status=400
        )
    zone = Place.objects.filter(code=pending.get("zone")).first()
    try:
        summary, report = _run_import(
            pending["kind"],
            path,
            zone,
            request,
            dry_run=False,
            file_name=pending["file_name"],
            replace_month=bool(pending.get("replace_month")),
        )
    except ImportRejected as exc:
        # The data changed between preview and confirmation (another import, say).
        return _import_render(request, {"form": ImportUploadForm(), "rejected": exc}, status=400)
    finally:
        _forget_pending(request)
    return _import_render(request, {"done": summary, "report": report, "form": ImportUploadForm()})


@require_GET
@require_role(*IMPORTERS)
def import_diff(request: HttpRequest) -> HttpResponse:
    """The whole preview of the pending import as an Excel workbook (every row added, changed, removed)."""
    pending = request.session.get(PENDING_IMPORT) or {}
    path = upload_path(pending.get("token", ""), pending.get("suffix", ""))
    zone = Place.objects.filter(code=pending.get("zone")).first()
    if path is None or request.GET.get("token") != pending.get("token") or zone is None:
        return _import_render(
            request, {"form": ImportUploadForm(), "error": "待确认的文件已失效，请重新上传"}, status=400
        )
    try:
        report = enterprise_months_import(
            path=path,
            zone=zone,
            actor=request.user,
            dry_run=True,
            replace_month=bool(pending.get("replace_month")),
            file_name=pending["file_name"],
        )
    except ImportRejected as exc:
        return _import_render(request, {"form": ImportUploadForm(), "rejected": exc}, status=400)
    stem = Path(pending["file_name"]).stem
    return download(
        import_diff_workbook(report, zone=zone),
        file_name=export_file_name(zone.display_name, f"导入预览_{stem}"),
        fallback=f"import-preview-{zone.code}.xlsx",
    )


@require_POST
@require_role(*IMPORTERS)
def import_cancel(request: HttpRequest) -> HttpResponse:
    _forget_pending(request)
    return redirect("indicators:import")


# -- published reports -----------------------------------------------------------------


@require_POST
@require_role(*IMPORTERS)
def report_upload(request: HttpRequest) -> HttpResponse:
    """A report's facts become unreviewed observations; the statistician reviews them next."""
    form = ReportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_render(request, {"form": ImportUploadForm(), "report_form": form}, status=400)
    upload = form.cleaned_data["file"]
    # The report is kept under a fixed name (the user's may be longer than the file system allows);
    # its own name becomes the source document's title.
    name = Path(upload.name or "").name or "report.txt"
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as kept:
        path = Path(kept) / "report.txt"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            report = report_ingest(
                path=path,
                zone=form.cleaned_data["zone"],
                year=form.cleaned_data["year"],
                actor=request.user,
                name=name,
            )
        except IngestError as exc:
            return _import_render(
                request, {"form": ImportUploadForm(), "report_form": form, "report_error": str(exc)}, status=400
            )
    messages.success(request, report.summary)
    if report.skipped:
        more = f"等 {len(report.skipped)} 条" if len(report.skipped) > 5 else ""
        messages.warning(request, f"已跳过：{'；'.join(report.skipped[:5])}{more}")
    return redirect("indicators:report_review")


@require_GET
@require_role(*IMPORTERS)
def report_review(request: HttpRequest) -> HttpResponse:
    context = {"pending": review_rows(pending_observations()), "reviewed": review_rows(reviewed_observations())}
    return render(request, "indicators/report_review.html", context)


@require_POST
@require_role(*IMPORTERS)
def observation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_object_or_404(Observation.objects.select_related("indicator", "place"), pk=pk)
    decision = request.POST.get("decision", "")
    value = growth = None
    if decision == "correct":
        form = ObservationCorrectionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"观测值#{observation.pk}：{error}")
            return redirect("indicators:report_review")
        value, growth = form.cleaned_data["value"], form.cleaned_data["growth"]
    try:
        result = observation_review(
            observation=observation, decision=decision, actor=request.user, value=value, growth_pct=growth
        )
    except IngestError as exc:
        messages.error(request, str(exc))
    else:
        done = {"accept": "已确认", "correct": f"已更正（新观测值#{result.pk}）", "reject": "已驳回"}[decision]
        messages.success(request, f"观测值#{observation.pk}（{observation.indicator.name} {observation.place}）{done}")
    return redirect("indicators:report_review")
