"""State changes of investment projects: creation, stage moves, start claims, credit, the ledger.

Each public function is atomic, keyword-only, and writes its audit row. A refusal raises
``ProjectRefused`` with a message for the user, in Chinese, and writes nothing.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.chains.models import ChainEnterprise
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.importing import ImportIssue, ImportRejected
from yuanqu.indicators.services import file_digest
from yuanqu.indicators.tabular import UnreadableFile, read_table
from yuanqu.projects.ledger import DATE_KEYS, LedgerRow, parse_ledger
from yuanqu.projects.models import (
    ALLOWED_MOVES,
    MAIN_LINE,
    REASON_REQUIRED,
    STAGE_DATE_FIELDS,
    PipelineRules,
    Project,
    ProjectCredit,
    Stage,
    StageEvent,
    StageEvidence,
    StageLimit,
    StartClaim,
    StartEvidence,
    StartRequirement,
    TierThreshold,
    field_label,
)
from yuanqu.projects.rules import DEFAULT_STAGE_LIMITS, DEFAULT_START_REQUIREMENTS, start_requirements
from yuanqu.projects.spreadsheets import ledger_workbook
from yuanqu.projects.tiers import DEFAULT_THRESHOLDS_YI

Actor = User | AnonymousUser | None


class ProjectRefused(ValueError):
    """A change the rules do not allow; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class CreditShare:
    officer: User | None
    department: Department | None
    share_pct: Decimal


@dataclass(frozen=True)
class EvidenceItem:
    """Evidence for one checklist item: an uploaded file, a reference (证书编号), or both."""

    requirement: StartRequirement
    file: File | None = None
    reference: str = ""


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _who(actor: Actor) -> str:
    user = _user(actor)
    if user is None:
        return "命令行"
    return user.get_full_name() or user.get_username()


def _today() -> date:
    return timezone.localdate()


# -- configuration ------------------------------------------------------------------------


@transaction.atomic
def rules_ensure_defaults(*, zone: Place) -> int:
    """Write the default thresholds, stage limits and start checklists a zone lacks; returns rows added."""
    added = 0
    _, created = PipelineRules.objects.get_or_create(zone=zone)
    added += created
    if not TierThreshold.objects.filter(zone=zone).exists():
        TierThreshold.objects.bulk_create(
            [TierThreshold(zone=zone, amount_yi=amount) for amount in DEFAULT_THRESHOLDS_YI]
        )
        added += len(DEFAULT_THRESHOLDS_YI)
    for stage, (yellow, red) in DEFAULT_STAGE_LIMITS.items():
        _, created = StageLimit.objects.get_or_create(
            zone=zone, stage=stage, defaults={"yellow_after_days": yellow, "red_after_days": red}
        )
        added += created
    for category, items in DEFAULT_START_REQUIREMENTS.items():
        for order, (name, kind, share) in enumerate(items):
            _, created = StartRequirement.objects.get_or_create(
                zone=zone,
                category=category,
                name=name,
                defaults={"kind": kind, "min_share_pct": share, "sort_order": order},
            )
            added += created
    return added


# -- projects and stages ------------------------------------------------------------------

CREATE_FIELDS = {
    "investor_nature",
    "investor_region",
    "is_fortune_500",
    "is_listed",
    "is_specialised",
    "industry_code",
    "chain_node",
    "adds_new_node",
    "foreign_investment_wan_usd",
    "fixed_asset_investment_yi",
    "equipment_investment_yi",
    "land_mu",
    "land_kind",
    "expected_sales_yi",
    "expected_tax_wan",
    "expected_jobs",
    "lead_source",
    "contacts",
}


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            label = field_label(name) if name != "__all__" else ""
            parts.append(f"{label}：{'；'.join(messages)}" if label else "；".join(messages))
        return "；".join(parts)
    return "；".join(error.messages)


@transaction.atomic
def project_create(
    *,
    zone: Place,
    code: str,
    name: str,
    investor: str,
    category: str,
    total_investment_yi: Decimal,
    on: date,
    actor: Actor = None,
    credits: Sequence[CreditShare] = (),
    ip_address: str | None = None,
    **details: Any,
) -> Project:
    """A new project in 在谈 (the first talk dated ``on``), with its credit if given."""
    unknown = set(details) - CREATE_FIELDS
    if unknown:
        raise TypeError(f"project_create() got unexpected fields: {sorted(unknown)}")
    if on > _today():
        raise ProjectRefused("日期不能晚于今天")
    project = Project(
        zone=zone,
        code=code.strip(),
        name=name.strip(),
        investor=investor.strip(),
        category=category,
        total_investment_yi=total_investment_yi,
        stage=Stage.NEGOTIATING,
        stage_since=on,
        created_by=_user(actor),
        **details,
    )
    try:
        project.full_clean()
    except ValidationError as exc:
        raise ProjectRefused(_validation_message(exc)) from exc
    project.save()
    StageEvent.objects.create(project=project, from_stage="", to_stage=Stage.NEGOTIATING, on=on, moved_by=_user(actor))
    if credits:
        _credits_replace(project, credits)
    audit_record(
        action="project.create",
        summary=f"登记招商项目 {project.code} {project.name}",
        actor=actor,
        detail={"project": project.pk, "zone": zone.code, "investment_yi": str(total_investment_yi)},
        ip_address=ip_address,
    )
    return project


EDITABLE_FIELDS = CREATE_FIELDS | {"name", "investor", "category", "total_investment_yi"}


@transaction.atomic
def project_update(
    *, project: Project, changes: dict[str, Any], actor: Actor = None, ip_address: str | None = None
) -> list[str]:
    """Change a project's own fields (never its code, stage or dates: those have their own ways).

    Returns the names of the fields that changed; nothing is written, audited or not, when
    nothing did. A project already signed gets its chain role again from its (new) node.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"project_update() got fields it does not change: {sorted(unknown)}")
    project = Project.objects.select_for_update().get(pk=project.pk)
    changed = [key for key, value in changes.items() if getattr(project, key) != value]
    if not changed:
        return []
    for key in changed:
        setattr(project, key, changes[key])
    if {"chain_node", "adds_new_node"} & set(changed) and project.signed_on is not None:
        project.chain_role = chain_role_at(project, project.signed_on)
        changed.append("chain_role")
    try:
        project.full_clean()
    except ValidationError as exc:
        raise ProjectRefused(_validation_message(exc)) from exc
    project.save(update_fields=changed)
    audit_record(
        action="project.update",
        summary=f"修改招商项目 {project.code} {project.name}：{'、'.join(field_label(key) for key in changed)}",
        actor=actor,
        detail={"project": project.pk, "fields": changed},
        ip_address=ip_address,
    )
    return changed


def chain_role_at(project: Project, on: date) -> str:
    """补链 when the node had no local enterprise on the day, 强链 when it had, 延链 for a new node."""
    if project.chain_node_id is None:
        return ""
    if project.adds_new_node:
        return Project.ChainRole.EXTEND
    placed = ChainEnterprise.objects.filter(node_id=project.chain_node_id).filter(
        Q(since__isnull=True) | Q(since__lte=on)
    )
    return Project.ChainRole.STRENGTHEN if placed.exists() else Project.ChainRole.FILL


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def _check_move(project: Project, to_stage: str, on: date, reason: str) -> None:
    if to_stage not in Stage.values:
        raise ProjectRefused(f"未知阶段“{to_stage}”")
    allowed = ALLOWED_MOVES[project.stage]
    if to_stage not in allowed:
        options = "、".join(_stage_label(stage) for stage in Stage.values if stage in allowed) or "无"
        raise ProjectRefused(
            f"项目处于“{_stage_label(project.stage)}”阶段，不能变更为“{_stage_label(to_stage)}”（可变更为：{options}）"
        )
    if project.stage == Stage.ON_HOLD and to_stage != Stage.TERMINATED and to_stage != project.held_from:
        raise ProjectRefused(f"搁置的项目只能恢复到搁置前的“{_stage_label(project.held_from)}”阶段")
    if to_stage in REASON_REQUIRED and not reason.strip():
        raise ProjectRefused(f"变更为“{_stage_label(to_stage)}”须说明原因")
    if on > _today():
        raise ProjectRefused("日期不能晚于今天")
    if on < project.stage_since:
        raise ProjectRefused(f"日期不能早于进入“{_stage_label(project.stage)}”阶段的日期（{project.stage_since}）")


def _move(
    project: Project,
    to_stage: str,
    on: date,
    *,
    actor: Actor,
    reason: str = "",
    note: str = "",
    origin: str = StageEvent.Origin.WORKSPACE,
) -> StageEvent:
    _check_move(project, to_stage, on, reason)
    from_stage = project.stage
    changed = ["stage", "stage_since", "held_from", "status_reason"]
    if to_stage == Stage.ON_HOLD:
        project.held_from = from_stage
        project.status_reason = reason.strip()[:300]
    elif to_stage == Stage.TERMINATED:
        project.held_from = ""
        project.status_reason = reason.strip()[:300]
    else:
        project.held_from = ""
        project.status_reason = ""
        date_field = STAGE_DATE_FIELDS.get(to_stage)
        if date_field and getattr(project, date_field) is None:
            setattr(project, date_field, on)
            changed.append(date_field)
        if to_stage == Stage.SIGNED and from_stage == Stage.NEGOTIATING:
            project.signed_investment_yi = project.total_investment_yi
            project.chain_role = chain_role_at(project, on)
            changed += ["signed_investment_yi", "chain_role"]
    project.stage = to_stage
    project.stage_since = on
    project.save(update_fields=changed)
    return StageEvent.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        on=on,
        reason=reason.strip()[:300],
        note=note,
        origin=origin,
        moved_by=_user(actor),
    )


@transaction.atomic
def project_advance_stage(
    *,
    project: Project,
    to_stage: str,
    on: date,
    actor: Actor = None,
    reason: str = "",
    note: str = "",
    evidence: Iterable[File] = (),
    ip_address: str | None = None,
) -> StageEvent:
    """Move a project along the allowed map; the move, its date, evidence and mover are kept."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_stage == Stage.STARTED and project.stage != Stage.ON_HOLD:
        raise ProjectRefused("开工须经实质性开工认定：请提交实质性开工申报，经另一人认定后自动进入“开工”阶段")
    from_stage = project.stage
    event = _move(project, to_stage, on, actor=actor, reason=reason, note=note)
    for upload in evidence:
        StageEvidence.objects.create(event=event, file=upload, title=Path(upload.name or "").name[:200])
    audit_record(
        action="project.stage",
        summary=f"项目 {project.code} {project.name}：{_stage_label(from_stage)} → {_stage_label(to_stage)}（{on}）",
        actor=actor,
        detail={"project": project.pk, "event": event.pk, "from": from_stage, "to": to_stage, "on": on.isoformat()},
        ip_address=ip_address,
    )
    return event


# -- 实质性开工 claims ----------------------------------------------------------------------

CLAIMABLE_STAGES = {Stage.REGISTERED, Stage.LAND}


@transaction.atomic
def start_claim_submit(
    *,
    project: Project,
    started_on: date,
    evidence: Sequence[EvidenceItem],
    actor: Actor,
    completed_investment_pct: Decimal | None = None,
    department: Department | None = None,
    note: str = "",
    ip_address: str | None = None,
) -> StartClaim:
    """A department claims a substantive start, with evidence for every item of the checklist."""
    user = _user(actor)
    if user is None:
        raise ProjectRefused("实质性开工须由登录用户申报")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage not in CLAIMABLE_STAGES:
        raise ProjectRefused(f"只有已注册、尚未开工的项目可以申报实质性开工（当前为“{_stage_label(project.stage)}”）")
    if project.start_claims.filter(status=StartClaim.Status.SUBMITTED).exists():
        raise ProjectRefused("该项目已有待认定的实质性开工申报")
    if started_on > _today():
        raise ProjectRefused("开工日期不能晚于今天")
    if started_on < project.stage_since:
        raise ProjectRefused(f"开工日期不能早于进入“{_stage_label(project.stage)}”阶段的日期（{project.stage_since}）")
    checklist = start_requirements(project.zone, project.category)
    if not checklist:
        raise ProjectRefused(f"尚未配置“{project.get_category_display()}”类项目的实质性开工认定条件")
    given = {item.requirement.pk: item for item in evidence if item.file or item.reference.strip()}
    missing: list[str] = []
    for requirement in checklist:
        if requirement.kind == StartRequirement.Kind.INVESTMENT_SHARE:
            minimum = requirement.min_share_pct or Decimal(0)
            if completed_investment_pct is None:
                missing.append(f"{requirement.name}比例（须不低于{minimum.normalize():f}%）")
            elif completed_investment_pct < minimum:
                missing.append(
                    f"{requirement.name}比例须不低于{minimum.normalize():f}%"
                    f"（申报为{completed_investment_pct.normalize():f}%）"
                )
        elif requirement.pk not in given:
            missing.append(requirement.name)
    if missing:
        raise ProjectRefused("实质性开工证明不全：" + "；".join(missing))
    claim = StartClaim.objects.create(
        project=project,
        department=department,
        started_on=started_on,
        completed_investment_pct=completed_investment_pct,
        note=note,
        claimed_by=user,
    )
    for requirement in checklist:
        item = given.get(requirement.pk)
        if item is not None:
            StartEvidence.objects.create(
                claim=claim, requirement=requirement, file=item.file or "", reference=item.reference.strip()[:200]
            )
    audit_record(
        action="project.start_claim",
        summary=f"项目 {project.code} {project.name} 申报实质性开工（{started_on}）",
        actor=actor,
        detail={"project": project.pk, "claim": claim.pk},
        ip_address=ip_address,
    )
    return claim


def _claim_for_review(claim: StartClaim, actor: Actor) -> tuple[StartClaim, User]:
    user = _user(actor)
    if user is None:
        raise ProjectRefused("实质性开工须由登录用户认定")
    claim = StartClaim.objects.select_for_update().select_related("project").get(pk=claim.pk)
    if claim.status != StartClaim.Status.SUBMITTED:
        raise ProjectRefused(f"该申报状态为“{claim.get_status_display()}”，不能重复处理")
    if claim.claimed_by_id == user.pk:
        raise ProjectRefused("申报人不能认定自己的申报，须由另一人认定")
    return claim, user


@transaction.atomic
def start_claim_confirm(
    *, claim: StartClaim, actor: Actor, note: str = "", ip_address: str | None = None
) -> StartClaim:
    """A second person confirms: the project counts as substantively started and moves to 开工."""
    claim, user = _claim_for_review(claim, actor)
    project = Project.objects.select_for_update().get(pk=claim.project_id)
    claim.status = StartClaim.Status.CONFIRMED
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    claim.review_note = note.strip()[:300]
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    project.substantive_start_on = claim.started_on
    project.save(update_fields=["substantive_start_on"])
    _move(
        project,
        Stage.STARTED,
        claim.started_on,
        actor=user,
        note=f"实质性开工认定（申报人：{_who(claim.claimed_by)}，认定人：{_who(user)}）",
        origin=StageEvent.Origin.START_CLAIM,
    )
    audit_record(
        action="project.start_confirm",
        summary=f"认定项目 {project.code} {project.name} 实质性开工（{claim.started_on}）",
        actor=actor,
        detail={"project": project.pk, "claim": claim.pk},
        ip_address=ip_address,
    )
    return claim


@transaction.atomic
def start_claim_reject(*, claim: StartClaim, actor: Actor, note: str, ip_address: str | None = None) -> StartClaim:
    if not note.strip():
        raise ProjectRefused("退回申报须说明理由")
    claim, user = _claim_for_review(claim, actor)
    claim.status = StartClaim.Status.REJECTED
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    claim.review_note = note.strip()[:300]
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        action="project.start_reject",
        summary=f"退回项目 {claim.project.code} 的实质性开工申报：{claim.review_note}",
        actor=actor,
        detail={"project": claim.project_id, "claim": claim.pk},
        ip_address=ip_address,
    )
    return claim


# -- credit -------------------------------------------------------------------------------


def _credits_replace(project: Project, shares: Sequence[CreditShare]) -> list[ProjectCredit]:
    if not shares:
        raise ProjectRefused("至少须有一名招商人员或一个部门")
    seen: set[tuple[int | None, int | None]] = set()
    for share in shares:
        if share.officer is None and share.department is None:
            raise ProjectRefused("每条业绩须注明招商人员或部门")
        if share.share_pct <= 0 or share.share_pct > 100:
            raise ProjectRefused("业绩比例应大于0且不超过100%")
        key = (share.officer.pk if share.officer else None, share.department.pk if share.department else None)
        if key in seen:
            raise ProjectRefused("同一人员（部门）重复分配业绩")
        seen.add(key)
    total = sum((share.share_pct for share in shares), Decimal(0))
    if total != 100:
        raise ProjectRefused(f"业绩比例之和为{total.normalize():f}%，应为100%")
    ProjectCredit.objects.filter(project=project).delete()
    return ProjectCredit.objects.bulk_create(
        [
            ProjectCredit(
                project=project, officer=share.officer, department=share.department, share_pct=share.share_pct
            )
            for share in shares
        ]
    )


@transaction.atomic
def credit_assign(
    *, project: Project, shares: Sequence[CreditShare], actor: Actor = None, ip_address: str | None = None
) -> list[ProjectCredit]:
    """全员招商 credit: replace the project's credit with shares that sum to 100%."""
    credits = _credits_replace(project, shares)
    described = "、".join(
        f"{_who(share.officer) if share.officer else share.department}{share.share_pct.normalize():f}%"
        for share in shares
    )
    audit_record(
        action="project.credit",
        summary=f"项目 {project.code} 招商业绩：{described}",
        actor=actor,
        detail={"project": project.pk, "credits": [credit.pk for credit in credits]},
        ip_address=ip_address,
    )
    return credits


# -- the ledger (台账) ---------------------------------------------------------------------


@dataclass
class LedgerReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    written: bool = False
    changes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        if not (self.created or self.updated):
            return f"{self.file_name}：{self.rows} 个项目，与库中数据相同，无变化"
        return (
            f"{self.file_name}：{self.rows} 个项目，{verb}新增 {self.created}、更新 {self.updated}、"
            f"不变 {self.unchanged}，记录阶段变更 {self.events} 次"
        )


def ledger_import(
    *,
    path: Path,
    zone: Place,
    actor: Actor = None,
    dry_run: bool = False,
    file_name: str | None = None,
    ip_address: str | None = None,
) -> LedgerReport:
    """Validate a ledger file; if it has no error, create or update its projects by 项目编号."""
    name = file_name or path.name
    try:
        table = read_table(path, file_name=name)
    except UnreadableFile as exc:
        raise ImportRejected([ImportIssue(name, 0, "", str(exc))]) from exc
    parsed = parse_ledger(table)
    if parsed.issues:
        raise ImportRejected(parsed.issues)
    return ledger_rows_import(
        rows=parsed.rows,
        zone=zone,
        file_name=table.file_name,
        headers=parsed.headers,
        sha256=file_digest(path),
        actor=actor,
        dry_run=dry_run,
        ip_address=ip_address,
    )


def _people(rows: list[LedgerRow]) -> tuple[dict[str, User], dict[str, str]]:
    """Users named in the credit column, by user name or full name; and problems by name."""
    names = {line.who for row in rows for line in row.credits}
    found: dict[str, User] = {}
    problems: dict[str, str] = {}
    if not names:
        return found, problems
    candidates = list(User.objects.filter(Q(username__in=names) | Q(first_name__in=names)))
    for name in names:
        by_username = [user for user in candidates if user.username == name]
        by_full_name = [user for user in candidates if user.first_name == name]
        matches = by_username or by_full_name
        if len(matches) == 1:
            found[name] = matches[0]
        elif not matches:
            problems[name] = f"未找到用户“{name}”"
        else:
            problems[name] = f"姓名“{name}”对应多个用户，请改填用户名"
    return found, problems


@transaction.atomic
def ledger_rows_import(
    *,
    rows: list[LedgerRow],
    zone: Place,
    file_name: str,
    headers: dict[str, str],
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    ip_address: str | None = None,
) -> LedgerReport:
    report = LedgerReport(file_name=file_name, dry_run=dry_run, rows=len(rows))
    people, people_problems = _people(rows)
    departments: dict[str, Department] = {}
    for known in Department.objects.filter(zone=zone):
        departments[known.code] = known
        departments[known.name] = known
    existing = {project.code: project for project in Project.objects.filter(zone=zone, code__in=[r.code for r in rows])}
    credits_of = {
        project_id: sorted(values)
        for project_id, values in _credit_keys(
            ProjectCredit.objects.filter(project__in=list(existing.values())).values_list(
                "project_id", "officer_id", "department_id", "share_pct"
            )
        ).items()
    }

    issues: list[ImportIssue] = []
    plans: list[tuple[LedgerRow, Project | None, list[CreditShare] | None]] = []
    for row in rows:
        row_issues: list[tuple[str, str]] = []
        shares: list[CreditShare] | None = None
        department: Department | None = None
        if row.department:
            department = departments.get(row.department)
            if department is None:
                row_issues.append(("department", f"本园区没有部门“{row.department}”"))
        if row.credits:
            for line in row.credits:
                if line.who in people_problems:
                    row_issues.append(("credits", people_problems[line.who]))
                if line.department and line.department not in departments:
                    row_issues.append(("credits", f"本园区没有部门“{line.department}”"))
            if not row_issues:
                shares = [
                    CreditShare(
                        people[line.who],
                        departments[line.department] if line.department else department,
                        line.share_pct,
                    )
                    for line in row.credits
                ]
        elif department is not None:
            shares = [CreditShare(None, department, Decimal(100))]
        project = existing.get(row.code)
        if project is not None:
            row_issues.extend(_regression(project, row))
        if row_issues:
            issues.extend(
                ImportIssue(file_name, row.row, headers.get(key, key), message) for key, message in row_issues
            )
            continue
        plans.append((row, project, shares))
    if issues:
        raise ImportRejected(issues)

    for row, project, shares in plans:
        share_keys = (
            sorted(
                (
                    share.officer.pk if share.officer else None,
                    share.department.pk if share.department else None,
                    share.share_pct,
                )
                for share in shares
            )
            if shares is not None
            else None
        )
        if project is None:
            report.created += 1
            report.events += sum(1 for day in row.dates.values() if day is not None) + 1
            report.changes.append(f"第{row.row}行 新增 {row.code} {row.fields['name']}")
            continue
        differences = _differences(project, row)
        credit_changed = share_keys is not None and share_keys != credits_of.get(project.pk, [])
        if differences or credit_changed:
            report.updated += 1
            report.events += sum(1 for key in DATE_KEYS if row.dates[key] and getattr(project, key) is None)
            report.events += row.stage != project.stage and row.stage in REASON_REQUIRED
            shown = "、".join(differences + (["招商人员"] if credit_changed else []))
            report.changes.append(f"第{row.row}行 更新 {row.code}：{shown}")
        else:
            report.unchanged += 1

    if not dry_run and (report.created or report.updated):
        for row, project, shares in plans:
            _ledger_row_write(row, project, shares, zone, actor)
        report.written = True
    if not dry_run:
        audit_record(
            action="import.project_ledger",
            summary=report.summary,
            actor=actor,
            detail={
                "file": file_name,
                "sha256": sha256,
                "zone": zone.code,
                "created": report.created,
                "updated": report.updated,
            },
            ip_address=ip_address,
        )
    return report


def _credit_keys(
    values: Iterable[tuple[int, int | None, int | None, Decimal]],
) -> dict[int, list[tuple[int | None, int | None, Decimal]]]:
    grouped: dict[int, list[tuple[int | None, int | None, Decimal]]] = {}
    for project_id, officer_id, department_id, share in values:
        grouped.setdefault(project_id, []).append((officer_id, department_id, share))
    return grouped


def _regression(project: Project, row: LedgerRow) -> list[tuple[str, str]]:
    if project.stage == Stage.TERMINATED and row.stage != Stage.TERMINATED:
        return [("stage", "该项目已终止，台账不能恢复其阶段")]
    if (
        project.stage in MAIN_LINE
        and row.stage in MAIN_LINE
        and MAIN_LINE.index(Stage(row.stage)) < MAIN_LINE.index(Stage(project.stage))
    ):
        now, then = _stage_label(project.stage), _stage_label(row.stage)
        return [("stage", f"系统中该项目已处“{now}”阶段，台账为“{then}”，阶段不能回退")]
    return []


def _differences(project: Project, row: LedgerRow) -> list[str]:
    changed = [field_label(key) for key, value in row.fields.items() if getattr(project, key) != value]
    changed += [field_label(key) for key in DATE_KEYS if getattr(project, key) != row.dates[key]]
    if project.stage != row.stage:
        changed.append("当前阶段")
    return changed


def _ledger_row_write(
    row: LedgerRow, project: Project | None, shares: list[CreditShare] | None, zone: Place, actor: Actor
) -> None:
    user = _user(actor)
    reached = [(key, day) for key in DATE_KEYS if (day := row.dates[key]) is not None]
    last_day = reached[-1][1] if reached else _today()
    if project is None:
        project = Project(zone=zone, code=row.code, stage=Stage.NEGOTIATING, stage_since=last_day, created_by=user)
        previous_stage = ""
        first_event = StageEvent(
            project=project,
            from_stage="",
            to_stage=Stage.NEGOTIATING,
            on=reached[0][1] if reached else last_day,
            origin=StageEvent.Origin.LEDGER,
            moved_by=user,
        )
        events = [first_event]
        previous_stage = Stage.NEGOTIATING
    else:
        events = []
        previous_stage = project.stage
    for key, value in row.fields.items():
        setattr(project, key, value)
    for key, day in reached:
        if getattr(project, key) is None:
            stage = next(stage for stage, date_key in STAGE_DATE_FIELDS.items() if date_key == key)
            events.append(
                StageEvent(
                    project=project,
                    from_stage=previous_stage,
                    to_stage=stage,
                    on=day,
                    origin=StageEvent.Origin.LEDGER,
                    moved_by=user,
                )
            )
            previous_stage = stage
        setattr(project, key, day)
    if row.stage in REASON_REQUIRED and project.stage != row.stage:
        events.append(
            StageEvent(
                project=project,
                from_stage=previous_stage,
                to_stage=row.stage,
                on=last_day,
                reason=row.fields["status_reason"],
                origin=StageEvent.Origin.LEDGER,
                moved_by=user,
            )
        )
        project.held_from = project.stage if row.stage == Stage.ON_HOLD else ""
    if project.stage != row.stage:
        project.stage = row.stage
        project.stage_since = last_day
    if project.signed_on is not None and project.signed_investment_yi is None:
        project.signed_investment_yi = project.total_investment_yi
    project.save()
    for event in events:
        event.project = project
    StageEvent.objects.bulk_create(events)
    if shares is not None:
        _credits_replace(project, shares)


@transaction.atomic
def ledger_export(
    *,
    zone: Place,
    projects: Iterable[Project],
    actor: Actor = None,
    ip_address: str | None = None,
    scope: str = "",
) -> bytes:
    """The ledger of the given projects as an .xlsx in the office's format (audited: data leaves).

    ``scope`` says which projects they are when not all (e.g. a category's name).
    """
    rows = list(projects)
    content = ledger_workbook(zone=zone, projects=rows, exported_at=timezone.localtime(), scope=scope)
    audit_record(
        action="export.project_ledger",
        summary=f"导出{zone.display_name}招商项目台账（{scope + '，' if scope else ''}{len(rows)} 个项目）",
        actor=actor,
        detail={"zone": zone.code, "projects": len(rows), "scope": scope},
        ip_address=ip_address,
    )
    return content
