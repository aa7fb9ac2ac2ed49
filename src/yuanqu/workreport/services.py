"""Drafting, rewriting, accepting changed numbers, issuing and exporting the work report.

Every change goes through one of these functions, in one transaction with its audit row.
A draft's numbers are fields: the author rewrites the words around them, never the numbers
themselves (a figure typed into a sentence is refused). When the data change after drafting,
``pending_changes`` names exactly the numbers whose text would now differ, and the tables whose
rows or plain cells would (a measure, chain or node added); the author accepts the new figure or
table or keeps the old one, and a draft with undecided changes cannot be issued.
"""

import copy
import hashlib
import json
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.core.models import Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.selectors import cached_by_data
from yuanqu.periods import Period
from yuanqu.workreport.document import TABLE, Block, Document, Section, Segment
from yuanqu.workreport.formats import AUDIENCES, FORMATS, digest, render
from yuanqu.workreport.models import ReportDraft, ReportVersion
from yuanqu.workreport.selectors import report_document

logger = logging.getLogger(__name__)
GONE = "__gone__"
TABLE_KEY = "table:"  # a table's change: table:<section>:<table name>
MAX_BLOCK_CHARS = 2000
DIGESTED_FORMATS = ("docx", "xlsx", "md")  # the PDF embeds the server's fonts; see formats.py
_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


class ReportRefused(ValueError):
    """A change the report cannot take; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    old_text: str
    new_text: str  # "" when the data no longer give this number
    gone: bool = False
    new_cell: str = ""  # as a table writes the new number
    table: bool = False  # a table whose rows or plain cells differ (accepting replaces it)
    signature: str = ""  # of the fresh table: what keeping the old one settles


def fresh_document(*, zone: Place, period: Period, as_of: datetime | None) -> Document:
    """The report as the engines write it now, kept until the data change."""
    moment = as_of.isoformat() if as_of else ""
    return cached_by_data(
        f"workreport:{zone.pk}:{period.code}:{moment}",
        lambda: report_document(zone=zone, period=period, as_of=as_of),
    )


def pending_changes(draft: ReportDraft, fresh: Document | None = None) -> list[Change]:
    """The draft's numbers and tables that the data now write differently, and that the author has not kept."""
    current = fresh or fresh_document(zone=draft.zone, period=draft.period_obj, as_of=draft.as_of)
    document = draft.doc()
    decisions: dict[str, str] = draft.decisions or {}
    changes = []
    for key in sorted(document.used_keys()):
        old = document.fields.get(key)
        if old is None:
            continue
        new = current.fields.get(key)
        if new is None:
            if decisions.get(key) != GONE:
                changes.append(Change(key, old.label, old.text, "", gone=True))
        else:
            # A figure the disclosure plan now withholds from other readers (or now shows) is a change too.
            shown = new.text
            if new.withheld != old.withheld:
                shown += "（对其他角色保密）" if new.withheld else "（对其他角色公开）"
            if (shown != old.text or new.cell_text != old.cell_text) and decisions.get(key) != shown:
                changes.append(Change(key, old.label, old.text, shown, new_cell=new.cell_text))
    return changes + _table_changes(document, current, decisions)


def _tables(document: Document) -> dict[str, tuple[Section, Block]]:
    """The document's tables by a key that survives the data: section and table name, not block ids."""
    return {
        f"{TABLE_KEY}{section.key}:{block.name or block.title}": (section, block)
        for section in document.sections
        for block in section.blocks
        if block.kind == TABLE
    }


def _shape(block: Block) -> dict[str, Any]:
    """What a table is apart from its fields' figures: title, columns, rows, plain cells, which field where."""
    data = block.to_data()
    data.pop("id")
    return data


def _signature(block: Block) -> str:
    return hashlib.sha256(json.dumps(_shape(block), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _rows(block: Block) -> list[list[Any]]:
    return [*block.rows, *([block.total] if block.total is not None else [])]


def _table_change(key: str, old: Block | None, new: Block | None) -> Change:
    title = (new or old).title  # type: ignore[union-attr]
    label = _("表格已变化：%(title)s") % {"title": title}
    if old is None:
        assert new is not None
        return Change(key, label, _("无"), _("%(rows)s行") % {"rows": len(new.rows)}, table=True,
                      signature=_signature(new))  # fmt: skip
    before = _("%(rows)s行") % {"rows": len(old.rows)}
    if new is None:
        return Change(key, label, before, "", gone=True, table=True)
    if len(old.rows) != len(new.rows):
        after = _("%(rows)s行") % {"rows": len(new.rows)}
    else:
        cells = sum(
            1
            for old_row, new_row in zip(_rows(old), _rows(new), strict=False)
            for index in range(max(len(old_row), len(new_row)))
            if (old_row[index] if index < len(old_row) else None) != (new_row[index] if index < len(new_row) else None)
        )
        after = (
            _("%(rows)s行，%(cells)s处单元格不同") % {"rows": len(new.rows), "cells": cells}
            if cells
            else _("%(rows)s行，标题或表头不同") % {"rows": len(new.rows)}
        )
    return Change(key, label, before, after, table=True, signature=_signature(new))


def _table_changes(document: Document, current: Document, decisions: dict[str, str]) -> list[Change]:
    """The tables whose shape the data now give differently: rows added or gone, a plain cell changed,
    a field in another place; and tables that appeared or are gone. A kept table stays settled until the
    data change it again."""
    drafted, fresh = _tables(document), _tables(current)
    changes = []
    for key in [*drafted, *(key for key in fresh if key not in drafted)]:
        old = drafted[key][1] if key in drafted else None
        new = fresh[key][1] if key in fresh else None
        if old is not None and new is not None and _shape(old) == _shape(new):
            continue
        change = _table_change(key, old, new)
        if decisions.get(key) != (GONE if change.gone else change.signature):
            changes.append(change)
    return changes


def _take_table(document: Document, fresh: Document, key: str) -> None:
    """The fresh table in place of the draft's (or inserted where the data now put it, or removed).

    Fields the fresh table brings that the draft does not have are taken with it; a field the draft
    already has keeps its drafted figure, and its own change (if any) is decided on its own.
    """
    drafted, fresh_tables = _tables(document), _tables(fresh)
    if key not in fresh_tables:
        section, block = drafted[key]
        section.blocks.remove(block)
        return
    fresh_section, new = fresh_tables[key]
    new = copy.deepcopy(new)
    for field_key in new.field_keys():
        if field_key not in document.fields:
            document.fields[field_key] = copy.deepcopy(fresh.fields[field_key])
    if key in drafted:
        section, old = drafted[key]
        new.id = old.id
        section.blocks[section.blocks.index(old)] = new
        return
    target = next((item for item in document.sections if item.key == fresh_section.key), None)
    if target is None:
        # The whole section is new (e.g. the next period's tasks registered after drafting).
        added = copy.deepcopy(fresh_section)
        for block in added.blocks:
            for field_key in block.field_keys():
                document.fields.setdefault(field_key, copy.deepcopy(fresh.fields[field_key]))
        order = [item.key for item in fresh.sections]
        at = sum(1 for item in document.sections if item.key in order[: order.index(added.key)])
        document.sections.insert(at, added)
        document.notes = list(fresh.notes)
        return
    ids = {block.id for block in document.blocks()}
    while new.id in ids:
        new.id += "n"
    # After the nearest table before it that the draft has, else before the nearest after it, else at the end.
    fresh_keys = [k for k, (s, _b) in fresh_tables.items() if s.key == target.key]
    index = fresh_keys.index(key)
    before = [drafted[k][1] for k in fresh_keys[:index] if k in drafted]
    after = [drafted[k][1] for k in fresh_keys[index + 1 :] if k in drafted]
    if before:
        target.blocks.insert(target.blocks.index(before[-1]) + 1, new)
    elif after:
        target.blocks.insert(target.blocks.index(after[0]), new)
    else:
        target.blocks.append(new)


def _name(actor: User | AnonymousUser | None) -> str:
    if isinstance(actor, User):
        return actor.get_full_name() or actor.get_username()
    return "命令行"


@transaction.atomic
def draft_create(
    *,
    zone: Place,
    period: Period,
    actor: User,
    as_of: datetime | None = None,
    ip_address: str | None = None,
) -> ReportDraft:
    """The draft of a zone's period, generated from the engines; the existing one if there is one."""
    existing = ReportDraft.objects.filter(zone=zone, period=period.code).first()
    if existing is not None:
        return existing
    document = fresh_document(zone=zone, period=period, as_of=as_of)
    now = timezone.now()
    draft = ReportDraft.objects.create(
        zone=zone,
        period=period.code,
        title=document.title,
        document=document.to_data(),
        as_of=as_of,
        generated_at=now,
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
    )
    audit_record(
        action="report.draft",
        summary=f"起草{document.title}",
        actor=actor,
        detail={
            "draft": draft.pk,
            "zone": zone.code,
            "period": period.code,
            "as_of": as_of.isoformat() if as_of else "",
        },
        ip_address=ip_address,
    )
    return draft


def _clean_segments(document: Document, block_label: str, raw: Any, allowed_digits: Counter[str]) -> list[Segment]:
    """The author's segments, checked: fields that exist, no control characters, and no number typed.

    The words of the original sentence may hold numbers of their own (50亿元以上, 1—6月): each may stay
    as often as the original has it, no more, so that “50” cannot be retyped as a figure elsewhere.
    """
    if not isinstance(raw, list):
        raise ReportRefused(f"{block_label}：内容格式不正确")
    result: list[Segment] = []
    for item in raw:
        if isinstance(item, dict):
            key = item.get("field")
            if not isinstance(key, str) or key not in document.fields:
                raise ReportRefused(f"{block_label}：引用了不存在的数字字段")
            result.append({"field": key})
        elif isinstance(item, str):
            text = item.replace("\r", "").replace("\n", "").replace("\u00a0", " ")
            if any(unicodedata.category(char) == "Cc" for char in text):
                raise ReportRefused(f"{block_label}：含有控制字符")
            if text:
                if result and isinstance(result[-1], str):
                    result[-1] += text
                else:
                    result.append(text)
        else:
            raise ReportRefused(f"{block_label}：内容格式不正确")
    # Counted in the joined text: “5” and “0个” sent apart would read “50个”.
    remaining = Counter(allowed_digits)
    for text in (item for item in result if isinstance(item, str)):
        for run in _DIGITS.findall(text):
            if run not in allowed_digits:
                raise ReportRefused(
                    f"{block_label}：数字“{run}”是手工输入的。报告中的数字只能是关联字段（灰底的数字），"
                    "请从原句保留或撤销后重新编辑"
                )
            if remaining[run] <= 0:
                raise ReportRefused(
                    _(
                        "%(block)s：数字“%(number)s”在原句中只出现%(count)s次，多出的一处是手工输入的。"
                        "报告中的数字只能是关联字段（灰底的数字），请从原句保留或撤销后重新编辑"
                    )
                    % {"block": block_label, "number": run, "count": allowed_digits[run]}
                )
            remaining[run] -= 1
    if sum(len(document.field_text(s)) if isinstance(s, dict) else len(s) for s in result) > MAX_BLOCK_CHARS:
        raise ReportRefused(f"{block_label}：超过{MAX_BLOCK_CHARS}字")
    return result


@transaction.atomic
def draft_rewrite(
    *, draft: ReportDraft, blocks: dict[str, Any], actor: User, ip_address: str | None = None
) -> list[str]:
    """The author's sentences, block by block; numbers stay fields. Returns the ids of the blocks changed."""
    locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    document = locked.doc()
    changed: list[str] = []
    for block_id, raw in blocks.items():
        block = document.block(str(block_id))
        if block is None or not block.editable:
            raise ReportRefused(f"段落“{str(block_id)[:40]}”不存在或不可编辑")
        section = next(s for s in document.sections if block in s.blocks)
        label = f"{section.heading}第{section.blocks.index(block) + 1}段"
        allowed = Counter(run for item in block.segments if isinstance(item, str) for run in _DIGITS.findall(item))
        segments = _clean_segments(document, label, raw, allowed)
        if segments != block.segments:
            block.segments = segments
            changed.append(block.id)
    if not changed:
        return []
    now = timezone.now()
    locked.document = document.to_data()
    locked.updated_by, locked.updated_at = actor, now
    locked.save(update_fields=["document", "updated_by", "updated_at"])
    audit_record(
        action="report.rewrite",
        summary=f"修改{locked.title}的{len(changed)}段文字",
        actor=actor,
        detail={"draft": locked.pk, "blocks": changed},
        ip_address=ip_address,
    )
    draft.refresh_from_db()
    return changed


@transaction.atomic
def draft_decide(*, draft: ReportDraft, key: str, accept: bool, actor: User, ip_address: str | None = None) -> Change:
    """Accept the changed number (the field takes the new figure and provenance) or keep the old one."""
    locked = ReportDraft.objects.select_for_update().select_related("zone").get(pk=draft.pk)
    fresh = fresh_document(zone=locked.zone, period=locked.period_obj, as_of=locked.as_of)
    change = next((item for item in pending_changes(locked, fresh) if item.key == key), None)
    if change is None:
        raise ReportRefused("这个数字没有待确认的变化（可能已处理，或数据又已恢复）")
    document = locked.doc()
    decisions = dict(locked.decisions or {})
    if accept and change.table:
        _take_table(document, fresh, key)
        decisions.pop(key, None)
        locked.document = document.to_data()
    elif accept:
        if change.gone:
            raise ReportRefused(f"“{change.label}”在当前数据中已没有对应的数字，只能保留原数")
        document.fields[key] = copy.deepcopy(fresh.fields[key])
        decisions.pop(key, None)
        locked.document = document.to_data()
    else:
        decisions[key] = GONE if change.gone else (change.signature or change.new_text)
    locked.decisions = decisions
    locked.updated_by, locked.updated_at = actor, timezone.now()
    locked.save(update_fields=["document", "decisions", "updated_by", "updated_at"])
    verb = ("采用新表" if change.table else "采用新数") if accept else ("保留原表" if change.table else "保留原数")
    audit_record(
        action="report.accept" if accept else "report.keep",
        summary=f"{locked.title}：{change.label}{verb}（{change.old_text} → {change.new_text or '无'}）",
        actor=actor,
        detail={
            "draft": locked.pk,
            "field": key,
            "old": change.old_text,
            "new": change.new_text,
            "table": change.table,
        },
        ip_address=ip_address,
    )
    draft.refresh_from_db()
    return change


def _frozen(draft: ReportDraft, as_of: datetime) -> Document:
    document = draft.doc()
    decisions: dict[str, str] = draft.decisions or {}
    for key, kept in decisions.items():
        item = document.fields.get(key)
        if item is not None:
            now = "当前数据中已无此数" if kept == GONE else f"签发时数据为{kept}"
            item.provenance = [*item.provenance, f"作者保留起草时的数字（{now}）"]
    document.as_of = as_of.isoformat()
    return document


def version_digests(document: Document, moment: datetime) -> dict[str, str]:
    return {
        f"{fmt}:{audience}": digest(render(document.for_audience(enterprise=audience == "full"), fmt, moment=moment))
        for fmt in DIGESTED_FORMATS
        for audience in AUDIENCES
    }


def draft_issue(
    *, draft: ReportDraft, actor: User, ip_address: str | None = None, moment: datetime | None = None
) -> ReportVersion:
    """签发: freeze the draft as a new version, as of the moment of issue (or the draft's own as-of)."""
    issued_at = (moment or timezone.now()).replace(microsecond=0)
    pending = pending_changes(draft)
    if pending:
        tables = sum(1 for change in pending if change.table)
        numbers = len(pending) - tables
        counted = "、".join(
            part
            for part in (
                _("%(count)s个数字") % {"count": numbers} if numbers else "",
                _("%(count)s个表格") % {"count": tables} if tables else "",
            )
            if part
        )
        raise ReportRefused(
            _("有%(counted)s的数据已变化（如“%(label)s”：%(old)s → %(new)s），请逐一采用新数或保留原数后再签发")
            % {
                "counted": counted,
                "label": pending[0].label,
                "old": pending[0].old_text,
                "new": pending[0].new_text or _("无"),
            }
        )
    document = _frozen(draft, draft.as_of or issued_at)
    digests = version_digests(document, issued_at)  # rendered before the transaction: the draft is not locked meanwhile
    with transaction.atomic():
        locked = ReportDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.updated_at != draft.updated_at:
            raise ReportRefused("草稿在签发过程中被修改，请刷新后重新签发")
        number = (
            ReportVersion.objects.filter(zone_id=locked.zone_id, period=locked.period).aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        version = ReportVersion.objects.create(
            draft=locked,
            zone_id=locked.zone_id,
            period=locked.period,
            number=number,
            title=document.title,
            document=document.to_data(),
            as_of=locked.as_of or issued_at,
            issued_at=issued_at,
            issued_by=actor,
            issued_by_name=_name(actor),
            digests=digests,
        )
        audit_record(
            action="report.issue",
            summary=f"签发{document.title}（第{number}版）",
            actor=actor,
            detail={"draft": locked.pk, "version": version.pk, "number": number, "digests": digests},
            ip_address=ip_address,
        )
    return version


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ReportRefused(f"不支持的格式“{fmt[:10]}”（可选：{'、'.join(FORMATS)}）")


@transaction.atomic
def report_export(
    *,
    document: Document,
    fmt: str,
    enterprise: bool,
    actor: User | AnonymousUser | None,
    moment: datetime,
    version: ReportVersion | None = None,
    ip_address: str | None = None,
) -> tuple[Document, bytes]:
    """The report in a format for a reader (enterprise-level tables only with ``enterprise``), with its audit row."""
    _check_format(fmt)
    shown = document.for_audience(enterprise=enterprise)
    content = render(shown, fmt, moment=moment)
    detail: dict[str, Any] = {
        "format": fmt,
        "audience": shown.audience,
        "zone": document.zone_code,
        "period": document.period_code,
    }
    if version is not None:
        detail.update(version=version.pk, number=version.number)
        expected = (version.digests or {}).get(f"{fmt}:{shown.audience}")
        if expected is not None:
            detail["digest_matches"] = expected == digest(content)
            if not detail["digest_matches"]:
                logger.warning("work report version %s %s differs from the file issued", version.pk, fmt)
    audit_record(
        action="export.work_report",
        summary=f"导出{document.title}（{fmt}{'，第' + str(version.number) + '版' if version else ''}）",
        actor=actor if isinstance(actor, User) else None,
        actor_name="" if isinstance(actor, User) else "命令行",
        detail=detail,
        ip_address=ip_address,
    )
    return shown, content
