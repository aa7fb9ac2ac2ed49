"""The work report pages: the list, the editor of a draft, an issued version, downloads."""

import json
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuanqu.accounts.access import client_ip, require_role
from yuanqu.core.models import Place
from yuanqu.exports import download
from yuanqu.indicators.dashboard import available_periods, default_period
from yuanqu.periods import Period, PeriodError
from yuanqu.workreport.access import (
    REPORT_ISSUERS,
    REPORT_READERS,
    REPORT_WRITERS,
    can_issue,
    can_write,
    sees_enterprise_tables,
)
from yuanqu.workreport.document import Document
from yuanqu.workreport.formats import FORMAT_LABELS, FORMATS, RenderError, fallback_name, file_name
from yuanqu.workreport.models import ReportDraft, ReportVersion
from yuanqu.workreport.presenting import present
from yuanqu.workreport.services import (
    ReportRefused,
    draft_create,
    draft_decide,
    draft_issue,
    draft_rewrite,
    pending_changes,
    report_export,
)


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the role checks have let only signed-in users through)."""
    assert isinstance(request.user, User)
    return request.user


def _zones() -> list[Place]:
    return list(Place.objects.filter(level=Place.Level.ZONE).order_by("sort_order", "code"))


@require_GET
@require_role(*REPORT_READERS)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of the work report: linked numbers, changed numbers, issuing."""
    context = {"help_title": _("工作报告"), "back_url": reverse("workreport:reports"), "back_label": _("工作报告")}
    return render(request, "help/workreport.html", context)


@require_GET
@require_role(*REPORT_READERS)
def reports_page(request: HttpRequest) -> HttpResponse:
    versions = ReportVersion.objects.select_related("zone").order_by("-issued_at", "-id")[:200]
    drafts = ReportDraft.objects.select_related("zone", "updated_by") if can_issue(request.user) else []
    zones = _zones()
    zone = next((item for item in zones if item.code == request.GET.get("zone")), zones[0] if zones else None)
    periods = [item for item in available_periods(zone) if item.is_cumulative] if zone else []
    chosen = default_period(zone) if zone else None
    return render(
        request,
        "workreport/reports.html",
        {
            "versions": versions,
            "drafts": drafts,
            "zones": zones,
            "zone": zone,
            "periods": periods,
            "chosen": chosen,
            "can_write": can_write(request.user),
        },
    )


def _as_of(text: str) -> datetime | None:
    if not text.strip():
        return None
    day = parse_date(text.strip()[:10])
    if day is None:
        raise ReportRefused(_("数据截至日期“%(text)s”不是日期（应为 2023-07-15）") % {"text": text[:20]})
    if day > timezone.localdate():
        raise ReportRefused(_("数据截至日期不能晚于今天"))
    return timezone.make_aware(datetime.combine(day, time.max))


@require_POST
@require_role(*REPORT_WRITERS)
def draft_new(request: HttpRequest) -> HttpResponse:
    zone = Place.objects.filter(code=request.POST.get("zone", "")[:40]).first()
    try:
        if zone is None:
            raise ReportRefused(_("请选择园区"))
        try:
            period = Period.parse(request.POST.get("period", "")[:40])
        except PeriodError as exc:
            raise ReportRefused(_("所属期：%(reason)s") % {"reason": exc}) from exc
        draft = draft_create(
            zone=zone,
            period=period,
            actor=_actor(request),
            as_of=_as_of(request.POST.get("as_of", "")),
            ip_address=client_ip(request),
        )
    except ReportRefused as exc:
        messages.error(request, str(exc))
        return redirect("workreport:reports")
    return redirect("workreport:draft", pk=draft.pk)


def _draft(request: HttpRequest, pk: int) -> ReportDraft:
    return get_object_or_404(ReportDraft.objects.select_related("zone", "created_by", "updated_by"), pk=pk)


@require_GET
@require_role(*REPORT_ISSUERS)
def draft_page(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    changes = pending_changes(draft)
    changed = {change.key: change for change in changes}
    document = draft.doc().for_audience(enterprise=sees_enterprise_tables(request.user))
    return render(
        request,
        "workreport/draft.html",
        {
            "draft": draft,
            "document": document,
            "sections": present(
                document,
                {key: change.new_text or _("（已无此数）") for key, change in changed.items()},
                {key: change.new_cell or _("（已无此数）") for key, change in changed.items()},
            ),
            "changes": changes,
            "editable": can_write(request.user),
            "source_base": reverse("workreport:draft_source", args=[draft.pk, "KEY"]).removesuffix("KEY/"),
            "versions": draft.versions.order_by("-number"),
        },
    )


@require_POST
@require_role(*REPORT_WRITERS)
def draft_save(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        blocks = json.loads(request.POST.get("blocks", "") or "{}")
        if not isinstance(blocks, dict):
            raise ValueError
    except ValueError:
        messages.error(request, _("提交的内容无法读取，请刷新页面后重试"))
        return redirect("workreport:draft", pk=draft.pk)
    try:
        changed = draft_rewrite(draft=draft, blocks=blocks, actor=_actor(request), ip_address=client_ip(request))
    except ReportRefused as exc:
        messages.error(request, str(exc))
        return redirect("workreport:draft", pk=draft.pk)
    if changed:
        messages.success(request, _("已保存%(count)s段修改") % {"count": len(changed)})
    else:
        messages.info(request, _("没有修改"))
    return redirect("workreport:draft", pk=draft.pk)


@require_POST
@require_role(*REPORT_WRITERS)
def draft_decision(request: HttpRequest, pk: int, key: str, accept: bool) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        change = draft_decide(
            draft=draft, key=key[:200], accept=accept, actor=_actor(request), ip_address=client_ip(request)
        )
    except ReportRefused as exc:
        messages.error(request, str(exc))
    else:
        if change.table:
            text = _("已采用新表：%(label)s（%(old)s → %(new)s）") if accept else _("已保留原表：%(label)s（%(old)s）")
        else:
            text = _("已采用新数：%(label)s %(old)s → %(new)s") if accept else _("已保留原数：%(label)s %(old)s")
        messages.success(request, text % {"label": change.label, "old": change.old_text, "new": change.new_text})
    return redirect("workreport:draft", pk=draft.pk)


@require_POST
@require_role(*REPORT_ISSUERS)
def draft_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        version = draft_issue(draft=draft, actor=_actor(request), ip_address=client_ip(request))
    except (ReportRefused, RenderError) as exc:
        messages.error(request, str(exc))
        return redirect("workreport:draft", pk=draft.pk)
    messages.success(request, _("已签发第%(number)s版") % {"number": version.number})
    return redirect("workreport:version", pk=version.pk)


def _source(request: HttpRequest, document: Document, key: str) -> HttpResponse:
    shown = document.for_audience(enterprise=sees_enterprise_tables(request.user))
    found = shown.fields.get(key[:200])
    if found is None:
        raise Http404(_("没有这个数字"))
    return render(request, "workreport/_source.html", {"field": found})


@require_GET
@require_role(*REPORT_ISSUERS)
def draft_source(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _source(request, _draft(request, pk).doc(), key)


@require_GET
@require_role(*REPORT_READERS)
def version_page(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ReportVersion.objects.select_related("zone", "draft"), pk=pk)
    document = version.doc().for_audience(enterprise=sees_enterprise_tables(request.user))
    others = ReportVersion.objects.filter(zone=version.zone, period=version.period).order_by("-number")
    return render(
        request,
        "workreport/version.html",
        {
            "version": version,
            "document": document,
            "sections": present(document),
            "source_base": reverse("workreport:version_source", args=[version.pk, "KEY"]).removesuffix("KEY/"),
            "formats": [(fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS],
            "others": others,
            "can_issue": can_issue(request.user),
        },
    )


@require_GET
@require_role(*REPORT_READERS)
def version_source(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _source(request, get_object_or_404(ReportVersion, pk=pk).doc(), key)


@require_GET
@require_role(*REPORT_READERS)
def version_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = get_object_or_404(ReportVersion.objects.select_related("zone"), pk=pk)
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    try:
        shown, content = report_export(
            document=version.doc(),
            fmt=fmt,
            enterprise=sees_enterprise_tables(request.user),
            actor=_actor(request),
            moment=version.issued_at,
            version=version,
            ip_address=client_ip(request),
        )
    except (RenderError, ReportRefused) as exc:
        messages.error(request, str(exc))
        return redirect("workreport:version", pk=version.pk)
    return download(
        content,
        file_name=file_name(shown, fmt, version=version.number, short_zone=version.zone.display_name),
        fallback=fallback_name(shown, fmt, version=version.number),
        content_type=FORMATS[fmt],
    )
