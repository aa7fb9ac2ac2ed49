from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from tests import factories
from tests.projects.factory import a_department, a_zone, an_officer
from yuanqu.chains.models import Chain, ChainEnterprise, ChainNode
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.models import Enterprise
from yuanqu.projects.models import Category, Project, ProjectCredit, Stage, StageEvent, StartClaim, StartRequirement
from yuanqu.projects.services import (
    CreditShare,
    EvidenceItem,
    ProjectRefused,
    credit_assign,
    project_advance_stage,
    project_create,
    start_claim_confirm,
    start_claim_submit,
)

pytestmark = pytest.mark.django_db


def new_project(zone, code="P-1", **fields) -> Project:  # type: ignore[no-untyped-def]
    return project_create(
        zone=zone,
        code=code,
        name="新能源电池项目",
        investor="某电池公司",
        category=Category.ADVANCED_MANUFACTURING,
        total_investment_yi=Decimal("12.5"),
        on=date(2023, 1, 10),
        **fields,
    )


def registered(zone, code="P-1") -> Project:  # type: ignore[no-untyped-def]
    project = new_project(zone, code)
    project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2023, 2, 1))
    project_advance_stage(project=project, to_stage=Stage.REGISTERED, on=date(2023, 3, 1))
    return Project.objects.get(pk=project.pk)


def evidence_for(project: Project, *names: str) -> list[EvidenceItem]:
    requirements = StartRequirement.objects.filter(zone=project.zone, category=project.category, name__in=names)
    return [EvidenceItem(requirement, reference=f"{requirement.name}编号001") for requirement in requirements]


def test_a_new_project_starts_in_talks_with_its_history_and_audit_row() -> None:
    project = new_project(a_zone())
    assert project.stage == Stage.NEGOTIATING
    assert list(project.events.values_list("to_stage", flat=True)) == [Stage.NEGOTIATING]
    assert AuditEntry.objects.filter(action="project.create").count() == 1


def test_a_move_the_map_forbids_is_refused_and_nothing_changes() -> None:
    project = new_project(a_zone())
    with pytest.raises(ProjectRefused, match="项目处于“在谈”阶段，不能变更为“注册”（可变更为：签约、搁置、终止）"):
        project_advance_stage(project=project, to_stage=Stage.REGISTERED, on=date(2023, 2, 1))
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and project.registered_on is None
    assert project.events.count() == 1


def test_starting_construction_needs_a_confirmed_claim_not_a_plain_move() -> None:
    project = registered(a_zone())
    with pytest.raises(ProjectRefused, match="实质性开工认定"):
        project_advance_stage(project=project, to_stage=Stage.STARTED, on=date(2023, 4, 1))


def test_signing_records_the_date_the_investment_and_the_evidence() -> None:
    officer = an_officer("zhang", "张招商")
    project = new_project(a_zone())
    event = project_advance_stage(
        project=project,
        to_stage=Stage.SIGNED,
        on=date(2023, 2, 1),
        actor=officer,
        evidence=[ContentFile(b"%PDF-1.4 contract", name="投资协议.pdf")],
    )
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.signed_investment_yi) == (
        Stage.SIGNED,
        date(2023, 2, 1),
        Decimal("12.5"),
    )
    assert (event.from_stage, event.to_stage, event.moved_by) == (Stage.NEGOTIATING, Stage.SIGNED, officer)
    stored = event.evidence.get()
    assert stored.title == "投资协议.pdf" and stored.file.read() == b"%PDF-1.4 contract"


def test_holding_needs_a_reason_and_resuming_goes_back_to_the_stage_left() -> None:
    project = registered(a_zone())
    with pytest.raises(ProjectRefused, match="须说明原因"):
        project_advance_stage(project=project, to_stage=Stage.ON_HOLD, on=date(2023, 4, 1))
    project_advance_stage(project=project, to_stage=Stage.ON_HOLD, on=date(2023, 4, 1), reason="融资未到位")
    with pytest.raises(ProjectRefused, match="只能恢复到搁置前的“注册”阶段"):
        project_advance_stage(project=project, to_stage=Stage.LAND, on=date(2023, 5, 1))
    project_advance_stage(project=project, to_stage=Stage.REGISTERED, on=date(2023, 5, 1))
    project.refresh_from_db()
    assert project.stage == Stage.REGISTERED and project.registered_on == date(2023, 3, 1)
    assert [event.to_stage for event in project.events.all()] == [
        Stage.NEGOTIATING,
        Stage.SIGNED,
        Stage.REGISTERED,
        Stage.ON_HOLD,
        Stage.REGISTERED,
    ]


def test_a_move_dated_before_the_current_stage_is_refused() -> None:
    project = registered(a_zone())
    with pytest.raises(ProjectRefused, match="日期不能早于"):
        project_advance_stage(project=project, to_stage=Stage.LAND, on=date(2023, 2, 15))


def test_a_start_claim_without_the_required_evidence_is_refused() -> None:
    project = registered(a_zone())
    officer = an_officer("zhang", "张招商")
    with pytest.raises(ProjectRefused) as refused:
        start_claim_submit(
            project=project,
            started_on=date(2023, 4, 1),
            evidence=evidence_for(project, "施工许可证"),
            completed_investment_pct=Decimal(5),
            actor=officer,
        )
    assert str(refused.value) == "实质性开工证明不全：桩基施工；已完成投资比例须不低于10%（申报为5%）"
    assert not StartClaim.objects.exists()


def test_a_claim_confirmed_by_its_claimant_is_refused_and_a_second_person_confirms_it() -> None:
    project = registered(a_zone())
    claimant, reviewer = an_officer("zhang", "张招商"), an_officer("sun", "孙招商")
    claim = start_claim_submit(
        project=project,
        started_on=date(2023, 4, 1),
        evidence=evidence_for(project, "施工许可证", "桩基施工"),
        completed_investment_pct=Decimal(12),
        actor=claimant,
    )
    with pytest.raises(ProjectRefused, match="申报人不能认定自己的申报"):
        start_claim_confirm(claim=claim, actor=claimant)
    claim.refresh_from_db()
    assert claim.status == StartClaim.Status.SUBMITTED

    start_claim_confirm(claim=claim, actor=reviewer)
    project.refresh_from_db()
    assert (project.stage, project.started_on, project.substantive_start_on) == (
        Stage.STARTED,
        date(2023, 4, 1),
        date(2023, 4, 1),
    )
    moved = project.events.get(to_stage=Stage.STARTED)
    assert moved.origin == StageEvent.Origin.START_CLAIM and moved.moved_by == reviewer
    with pytest.raises(ProjectRefused, match="状态为“已认定”，不能重复处理"):
        start_claim_confirm(claim=claim, actor=reviewer)


def test_credit_is_split_between_two_officers_and_must_sum_to_one_hundred() -> None:
    zone = a_zone()
    project = new_project(zone)
    bureau = a_department(zone)
    zhang, sun = an_officer("zhang", "张招商"), an_officer("sun", "孙招商")
    with pytest.raises(ProjectRefused, match="业绩比例之和为90%，应为100%"):
        credit_assign(
            project=project,
            shares=[CreditShare(zhang, bureau, Decimal(60)), CreditShare(sun, bureau, Decimal(30))],
        )
    credit_assign(
        project=project, shares=[CreditShare(zhang, bureau, Decimal(60)), CreditShare(sun, bureau, Decimal(40))]
    )
    assert sorted(ProjectCredit.objects.values_list("officer__username", "share_pct")) == [
        ("sun", Decimal(40)),
        ("zhang", Decimal(60)),
    ]


@pytest.mark.parametrize(
    ("placed_since", "adds_node", "role"),
    [
        (None, False, Project.ChainRole.STRENGTHEN),  # an enterprise already on the node
        (date(2023, 6, 1), False, Project.ChainRole.FILL),  # it arrived only after the signing
        (None, True, Project.ChainRole.EXTEND),  # the project adds a node to the chain
    ],
)
def test_the_chain_role_is_read_from_the_node_on_the_signing_day(
    placed_since: date | None, adds_node: bool, role: str
) -> None:
    zone = a_zone()
    chain = Chain.objects.create(code="battery", name="新能源", zone=zone)
    node = ChainNode.objects.create(chain=chain, name="电芯", segment=ChainNode.Segment.MIDSTREAM)
    enterprise = Enterprise.objects.create(uscc=factories.enterprise_code(1), name="某电芯公司", zone=zone)
    ChainEnterprise.objects.create(node=node, enterprise=enterprise, since=placed_since)
    project = new_project(zone, chain_node=node, adds_new_node=adds_node)
    project_advance_stage(project=project, to_stage=Stage.SIGNED, on=date(2023, 2, 1))
    project.refresh_from_db()
    assert project.chain_role == role
