"""The demo zone's supervision of 2023's second half: the seed's “7个新” with their measures.

The seven tasks are worded as paragraph 5 of the seed sets them (以X为Y，在Z上实现新W). Their
分管领导, departments, measures, milestones and the departments' reports are 示例数据, chosen so
that on the half-year's last day (the date a past period is shown at) the board has every
colour because of the data: a chain's output behind 序时进度 (yellow), a count of confirmed
substantive starts short of its target (red), a milestone missed by weeks (red), measures
closed after the office's review (green), deadlines falling due (blue). A claim of a
substantive start awaits confirmation: confirming it (项目 → 开工认定) brings the count from
red to yellow on the next page load, and the colour history shows the change.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.accounts.demo import DEMO_PASSWORD
from yuanqu.accounts.roles import Role
from yuanqu.accounts.services import roles_ensure
from yuanqu.chains.models import ProgrammeTask
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.periods import Period
from yuanqu.projects.models import Category, Project, Stage, StartClaim, StartRequirement
from yuanqu.projects.services import EvidenceItem, ProjectRefused, start_claim_submit
from yuanqu.supervision.models import Measure, Reminder, Task
from yuanqu.supervision.selectors import month_ends, period_dates, task_statuses
from yuanqu.supervision.services import (
    ACCEPT,
    MilestoneInput,
    colours_record,
    measure_assign,
    reminders_issue,
    report_review,
    report_submit,
    task_create,
)
from yuanqu.supervision.stages import stage_items_sync

ZONE = "yz-etdz"
PERIOD = Period(2023, 7, 12)
LEADERS = [
    # user name, display name (the accounts demo's “leader” 王主任 leads two tasks)
    ("vice-chen", "陈副主任"),
    ("vice-zhou", "周副主任"),
    ("vice-sun", "孙副主任"),
]
# Departments the other demos do not create.
DEPARTMENTS = [
    ("etdz-construction", "建设局"),
    ("etdz-social", "社会事业局"),
    ("etdz-safety", "安全生产监督管理局"),
    ("etdz-office", "党政办公室"),
]
STAFF = [
    # user name, display name, department (the accounts demo's “department” 钱经发 is in 经济发展局)
    ("department", "钱经发", "etdz-economy"),
    ("dept-investment", "黄招商", "etdz-investment"),
    ("dept-approval", "林审批", "etdz-approval"),
    ("dept-planning", "高规划", "etdz-planning"),
    ("dept-tech", "许科创", "etdz-tech"),
    ("dept-finance", "罗财金", "etdz-finance"),
    ("dept-talent", "梁人社", "etdz-talent"),
    ("dept-construction", "马建设", "etdz-construction"),
    ("dept-social", "何社事", "etdz-social"),
    ("dept-safety", "宋安监", "etdz-safety"),
    ("dept-office", "唐党政", "etdz-office"),
]
SUPERVISOR = "supervisor"


@dataclass
class Report:
    on: date
    text: str
    pct: str | None = None
    close: bool = False  # asks to close, with evidence
    accepted: bool = True  # the office accepts it (False: left for the office to review)
    milestones: list[str] = field(default_factory=list)


@dataclass
class DemoMeasure:
    title: str
    department: str
    deadline: date
    target: str = ""
    target_value: str | None = None
    link: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    milestones: list[tuple[date, str]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    cycle: str = Measure.Cycle.MONTHLY


@dataclass
class DemoTask:
    area: str
    lever: str
    outcome: str
    leader: str
    lead: str
    co: list[str]
    measures: list[DemoMeasure]
    tracks_project_stages: bool = False


D = date
TASKS = [
    DemoTask(
        "产业集群",
        "以强链补链为重点",
        "在产业集群上再现新跨越",
        "vice-chen",
        "etdz-economy",
        ["etdz-investment", "etdz-tech"],
        [
            DemoMeasure(
                "新能源（含基础能源）产业年内力争达到600亿元规模",
                "etdz-economy",
                D(2023, 12, 31),
                "产值600亿元",
                link="chain_output",
                params={"chain": "new-energy", "year": 2023},
            ),
            DemoMeasure(
                "高档轻工产业年内达到100亿元规模",
                "etdz-economy",
                D(2023, 12, 31),
                "产值100亿元",
                link="chain_output",
                params={"chain": "light-industry", "year": 2023},
            ),
            DemoMeasure(
                "围绕新能源产业链缺失节点开展专题招商2次",
                "etdz-investment",
                D(2023, 11, 30),
                "专题招商2次",
                link="chain_task",
                params={"task_title": "围绕缺失节点开展专题招商2次", "chain": "new-energy"},
            ),
            DemoMeasure(
                "工业开票销售完成年度目标",
                "etdz-economy",
                D(2023, 12, 31),
                "全年1180亿元",
                link="indicator",
                params={"indicator": "industrial_invoiced_sales", "year": 2023},
            ),
        ],
    ),
    DemoTask(
        "项目建设",
        "以要素保障为抓手",
        "在项目建设上涌现新突破",
        "leader",
        "etdz-investment",
        ["etdz-planning", "etdz-construction", "etdz-approval"],
        [
            DemoMeasure(
                "下半年新开工亿元以上先进制造业项目43个",
                "etdz-investment",
                D(2023, 12, 31),
                "实质性开工43个",
                "43",
                link="projects",
                params={"category": Category.ADVANCED_MANUFACTURING, "min_investment_yi": "1"},
            ),
            DemoMeasure(
                "下半年新开工亿元以上技改项目12个",
                "etdz-economy",
                D(2023, 12, 31),
                "实质性开工12个",
                "12",
                link="projects",
                params={"category": Category.TECHNICAL_RENOVATION, "min_investment_yi": "1"},
            ),
            DemoMeasure(
                "重点工业项目用地报批和供地",
                "etdz-planning",
                D(2023, 12, 31),
                "供地3宗",
                milestones=[(D(2023, 9, 30), "完成土地组卷报批"), (D(2023, 11, 30), "完成3宗工业用地供地")],
                reports=[
                    Report(D(2023, 7, 28), "完成3宗拟供地块选址和规划条件核定。", "15"),
                    Report(D(2023, 8, 25), "已完成3宗地块勘测定界和土地权属调查。", "40"),
                    Report(D(2023, 9, 26), "3宗地块组卷材料已报市局审查。", "60", milestones=["完成土地组卷报批"]),
                    Report(D(2023, 10, 30), "组卷已获批复，1宗地块进入挂牌程序，另2宗待征收补偿协议签订。", "70"),
                ],
            ),
            DemoMeasure(
                "推行“拿地即开工”审批服务",
                "etdz-approval",
                D(2023, 10, 31),
                "服务重点项目10个",
                reports=[
                    Report(D(2023, 7, 28), "制定工作方案，梳理可并联审批事项清单。", "30"),
                    Report(D(2023, 10, 25), "10个重点项目实现拿地即开工，形成经验做法。", close=True),
                ],
            ),
        ],
        tracks_project_stages=True,
    ),
    DemoTask(
        "科技自强",
        "以创新驱动为引擎",
        "在科技自强上显现新优势",
        "vice-zhou",
        "etdz-tech",
        ["etdz-finance"],
        [
            DemoMeasure(
                "组织企业申报高新技术企业30家",
                "etdz-tech",
                D(2023, 12, 31),
                "申报30家",
                reports=[
                    Report(D(2023, 7, 25), "完成摸底，建立申报培育库68家。", "20"),
                    Report(D(2023, 8, 30), "组织申报辅导2场，9家完成材料准备。", "30"),
                    Report(D(2023, 10, 31), "已提交申报20家。", "65"),
                    Report(D(2023, 12, 25), "已提交申报28家，2家补充材料中。", "92"),
                ],
            ),
            DemoMeasure(
                "新建省级以上研发机构2个",
                "etdz-tech",
                D(2023, 11, 30),
                "2个",
                reports=[
                    Report(D(2023, 7, 26), "确定2家申报企业，完成申报材料初稿。", "20"),
                    Report(D(2023, 9, 28), "1家企业工程技术研究中心通过省级认定。", "50"),
                    Report(D(2023, 11, 20), "第2家通过省级认定，两个研发机构均已挂牌。", close=True),
                ],
            ),
            DemoMeasure(
                "兑现科技创新券和研发费用奖补",
                "etdz-finance",
                D(2023, 12, 31),
                "兑现率100%",
                reports=[
                    Report(D(2023, 7, 28), "发布申报通知，受理企业申请46家。", "20"),
                    Report(D(2023, 9, 30), "完成上半年申报审核。", "50"),
                    Report(D(2023, 12, 28), "奖补资金已全部拨付到企业。", close=True, accepted=False),
                ],
            ),
        ],
    ),
    DemoTask(
        "产城融合",
        "以片区开发为核心",
        "在产城融合上呈现新气象",
        "vice-sun",
        "etdz-construction",
        ["etdz-planning"],
        [
            DemoMeasure(
                "临江片区控制性详细规划报批",
                "etdz-planning",
                D(2023, 10, 31),
                "获批",
                reports=[
                    Report(D(2023, 7, 27), "完成现状调研和规划初步方案。", "25"),
                    Report(D(2023, 8, 31), "规划成果完成专家评审。", "50"),
                    Report(D(2023, 10, 20), "控制性详细规划已获市政府批复。", close=True),
                ],
            ),
            DemoMeasure(
                "片区道路和管网工程完工",
                "etdz-construction",
                D(2023, 12, 31),
                "完工通车",
                milestones=[(D(2023, 8, 31), "完成管网铺设"), (D(2023, 10, 31), "完成路基施工")],
                reports=[
                    Report(D(2023, 7, 28), "管网施工进场，完成沟槽开挖40%。", "15"),
                    Report(D(2023, 8, 30), "管网铺设完成。", "40", milestones=["完成管网铺设"]),
                    Report(D(2023, 10, 28), "路基施工完成，开始路面施工。", "65", milestones=["完成路基施工"]),
                    Report(D(2023, 12, 20), "路面施工完成80%，受雨雪天气影响。", "80"),
                ],
            ),
            DemoMeasure(
                "人才公寓主体结构封顶",
                "etdz-construction",
                D(2023, 12, 15),
                "封顶",
                reports=[
                    Report(D(2023, 7, 25), "主体结构施工至6层。", "30"),
                    Report(D(2023, 9, 30), "主体结构施工至12层。", "60"),
                    Report(D(2023, 12, 10), "主体结构已封顶。", close=True),
                ],
            ),
        ],
    ),
    DemoTask(
        "赋能发展",
        "以改革攻坚为契机",
        "在赋能发展上展现新作为",
        "vice-chen",
        "etdz-approval",
        ["etdz-finance", "etdz-office"],
        [
            DemoMeasure(
                "动态调整政务服务事项“应进必进”清单",
                "etdz-approval",
                D(2023, 9, 30),
                "清单动态调整",
                reports=[Report(D(2023, 9, 28), "清单已调整发布，进驻事项全部实现集中办理。", close=True)],
            ),
            DemoMeasure(
                "综合窗口“无差别受理”办件占比达到90%",
                "etdz-approval",
                D(2023, 12, 31),
                "综合窗口受理占比90%",
                "90",
                link="service",
                params={"code": "any_window_share"},
            ),
            DemoMeasure(
                "新增“一件事一次办”改革事项10项",
                "etdz-approval",
                D(2023, 12, 31),
                "10项",
                reports=[
                    Report(D(2023, 7, 28), "梳理改革事项清单，确定首批4项。", "15"),
                    Report(D(2023, 9, 30), "已上线4项。", "40"),
                    Report(D(2023, 12, 22), "已上线9项，第10项联调中。", "95"),
                ],
            ),
            DemoMeasure(
                "推动平台公司市场化转型",
                "etdz-finance",
                D(2023, 12, 31),
                "完成转型方案并实施",
                milestones=[(D(2023, 7, 20), "完成转型方案初稿")],
                reports=[
                    Report(D(2023, 8, 31), "转型方案起草完成。", "30", milestones=["完成转型方案初稿"]),
                    Report(D(2023, 11, 30), "方案经党工委会议审议，资产划转推进中。", "75"),
                ],
            ),
        ],
    ),
    DemoTask(
        "增进福祉",
        "以民生改善为根本",
        "在增进福祉上体现新担当",
        "vice-zhou",
        "etdz-social",
        ["etdz-talent", "etdz-construction"],
        [
            DemoMeasure(
                "新建改扩建学校2所秋季开学投用",
                "etdz-social",
                D(2023, 8, 31),
                "2所投用",
                milestones=[(D(2023, 8, 5), "完成竣工验收")],
                reports=[
                    Report(D(2023, 7, 28), "两所学校主体工程完工，进入室内装修。", "60"),
                    Report(D(2023, 8, 4), "两所学校通过竣工验收。", "85", milestones=["完成竣工验收"]),
                    Report(D(2023, 8, 28), "两所学校完成设备配置，秋季学期如期开学。", close=True),
                ],
            ),
            DemoMeasure(
                "新增城镇就业岗位3000个",
                "etdz-talent",
                D(2023, 12, 31),
                "3000个",
                reports=[
                    Report(D(2023, 7, 26), "新增就业岗位620个。", "20"),
                    Report(D(2023, 9, 30), "新增就业岗位1600个。", "53"),
                    Report(D(2023, 12, 20), "新增就业岗位2910个。", "97"),
                ],
            ),
            DemoMeasure(
                "老旧小区改造6个",
                "etdz-construction",
                D(2023, 12, 31),
                "6个小区",
                milestones=[(D(2023, 12, 25), "完成竣工验收")],
                reports=[Report(D(2023, 12, 20), "6个小区改造工程完工，待竣工验收。", "90")],
            ),
        ],
    ),
    DemoTask(
        "社会治理",
        "以安全稳定为底线",
        "在社会治理上实现新提升",
        "leader",
        "etdz-safety",
        ["etdz-office"],
        [
            DemoMeasure(
                "安全生产专项整治三年行动收官",
                "etdz-safety",
                D(2023, 12, 31),
                "隐患整改率100%",
                reports=[
                    Report(D(2023, 7, 28), "完成重点行业领域隐患排查第一轮。", "60"),
                    Report(D(2023, 9, 30), "排查隐患1260项，整改1102项。", "80"),
                    Report(D(2023, 12, 26), "隐患全部整改销号，通过市级验收。", close=True),
                ],
            ),
            DemoMeasure(
                "化解信访积案",
                "etdz-office",
                D(2023, 11, 30),
                "积案清零",
                reports=[Report(D(2023, 11, 25), "12件积案已化解10件，2件进入司法程序。", "85")],
            ),
            DemoMeasure(
                "推行“网格化+”社会治理",
                "etdz-office",
                D(2023, 12, 31),
                "网格全覆盖",
                cycle=Measure.Cycle.WEEKLY,
                reports=[
                    Report(D(2023, 7, 28), "制定网格划分方案。", "20"),
                    Report(D(2023, 10, 31), "划分网格86个，配齐专职网格员。", "70"),
                    Report(D(2023, 12, 22), "网格治理平台上线运行。", "95"),
                ],
            ),
        ],
    ),
]


def _user(username: str, display_name: str, group: Group, password: str) -> User:
    """A demo user; ``password`` is the demo password already hashed (hashing is slow on purpose)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, first_name=display_name, password=password)
    user.groups.add(group)
    return user


def _evidence(title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{title}.txt", f"{title}（示例数据）".encode(), content_type="text/plain")


def _params(spec: DemoMeasure) -> dict[str, Any]:
    if spec.link != "chain_task":
        return spec.params
    task = ProgrammeTask.objects.filter(
        title=spec.params["task_title"], programme__chain__code=spec.params["chain"]
    ).first()
    return {"task": task.pk if task else 0}


def _start_claim(zone: Place) -> str:
    """A claim of a 2023 substantive start left for a second person to confirm."""
    if StartClaim.objects.filter(
        project__zone=zone, started_on__year=2023, status=StartClaim.Status.SUBMITTED
    ).exists():
        return ""
    project = (
        Project.objects.in_zone(zone)
        .filter(
            category=Category.ADVANCED_MANUFACTURING,
            stage=Stage.REGISTERED,
            stage_since__lte=date(2023, 12, 20),
            total_investment_yi__gte=1,
        )
        .filter(Q(signed_investment_yi__isnull=True) | Q(signed_investment_yi__gte=1))
        .exclude(start_claims__status=StartClaim.Status.SUBMITTED)
        .order_by("code")
        .first()
    )
    claimant = User.objects.filter(username="investment2").first() or User.objects.filter(username="investment").first()
    if project is None or claimant is None:
        return ""
    evidence = [
        EvidenceItem(requirement, reference="示例数据")
        for requirement in StartRequirement.objects.filter(
            zone=zone, category=project.category, kind=StartRequirement.Kind.DOCUMENT
        )
    ]
    try:
        start_claim_submit(
            project=project,
            started_on=date(2023, 12, 20),
            evidence=evidence,
            completed_investment_pct=Decimal(15),
            note="示例数据：供督查演示确认实质性开工",
            actor=claimant,
        )
    except ProjectRefused:
        return ""
    return f"{project.code} {project.name}"


@transaction.atomic
def demo_load() -> list[str]:
    """Load (or leave unchanged) the demo's supervision of 2023's second half."""
    zone = Place.objects.filter(code=ZONE).first()
    if zone is None or not Department.objects.filter(zone=zone, code="etdz-economy").exists():
        return ["督查督办：未找到演示园区或其部门，已跳过（先加载指标和产业链演示数据）"]
    if Task.objects.filter(zone=zone, period=PERIOD.code).exists():
        return [f"督查督办：{PERIOD.full_label}重点任务已存在，未改动"]
    roles_ensure()
    leadership = Group.objects.get(name=Role.LEADERSHIP.value)
    staff_group = Group.objects.get(name=Role.DEPARTMENT_STAFF.value)
    order = Department.objects.filter(zone=zone).count()
    for offset, (code, name) in enumerate(DEPARTMENTS):
        Department.objects.get_or_create(code=code, defaults={"name": name, "zone": zone, "sort_order": order + offset})
    departments = {department.code: department for department in Department.objects.filter(zone=zone)}
    password = make_password(DEMO_PASSWORD)
    leaders = {username: _user(username, name, leadership, password) for username, name in LEADERS}
    leaders["leader"] = User.objects.get(username="leader")
    staff: dict[str, User] = {}
    for username, name, code in STAFF:
        user = _user(username, name, staff_group, password)
        departments[code].members.add(user)
        staff[code] = user
    supervisor = User.objects.get(username=SUPERVISOR)

    first, last = period_dates(PERIOD)
    measures = reports = 0
    for number, spec in enumerate(TASKS, start=1):
        task = task_create(
            zone=zone,
            period=PERIOD,
            number=number,
            area=spec.area,
            lever=spec.lever,
            outcome=spec.outcome,
            leader=leaders[spec.leader],
            lead_department=departments[spec.lead],
            co_departments=[departments[code] for code in spec.co],
            tracks_project_stages=spec.tracks_project_stages,
            # The wording is the seed's; its leader, departments and breakdown are invented.
            is_sample=True,
            actor=supervisor,
        )
        for item in spec.measures:
            measure = measure_assign(
                task=task,
                title=item.title,
                department=departments[item.department],
                deadline=item.deadline,
                target_text=item.target,
                target_value=Decimal(item.target_value) if item.target_value else None,
                report_cycle=item.cycle,
                link=item.link,
                link_params=_params(item),
                milestones=[MilestoneInput(title, due) for due, title in item.milestones],
                is_sample=True,
                actor=supervisor,
            )
            measures += 1
            for entry in item.reports:
                milestone_ids = list(measure.milestones.filter(title__in=entry.milestones).values_list("pk", flat=True))
                report = report_submit(
                    measure=measure,
                    actor=staff[item.department],
                    text=entry.text,
                    reported_on=entry.on,
                    progress_pct=Decimal(entry.pct) if entry.pct else None,
                    requests_completion=entry.close,
                    milestones_reached=milestone_ids,
                    attachments=[_evidence(f"{item.title}验收材料")] if entry.close else [],
                )
                reports += 1
                if entry.accepted:
                    note = "佐证材料齐全，同意办结" if entry.close else ""
                    report_review(report=report, decision=ACCEPT, actor=supervisor, note=note)
    # The July assignments were read long ago.
    Reminder.objects.filter(measure__task__zone=zone, kind=Reminder.Kind.ASSIGNED).update(read_at=timezone.now())
    claim = _start_claim(zone)
    # The colour history at each month's end of the half year, as the office's board would
    # have recorded it (with the projects overdue at a stage on that day), and the reminders
    # due at its close.
    changes = 0
    for day in month_ends(first, last):
        stage_items_sync(zone=zone, period=PERIOD, on=day)
        changes += colours_record(tasks=task_statuses(zone=zone, period=PERIOD, on=day), on=day)
    reminders = reminders_issue(tasks=task_statuses(zone=zone, period=PERIOD, on=last), today=last)
    audit_record(
        action="supervision.demo_load",
        summary=f"加载演示督查任务：{len(TASKS)}项任务，{measures}项举措，{reports}份填报",
        actor_name="演示数据",
    )
    lines = [
        f"督查督办：{PERIOD.full_label}重点任务{len(TASKS)}项、具体举措{measures}项、进展填报{reports}份，"
        f"颜色变化记录{changes}条，督办提醒{reminders}条（示例数据）",
        "  督查人员 supervisor 查看 /supervision/；部门人员（密码同上）："
        + "、".join(f"{username}（{name}）" for username, name, _ in STAFF[:4])
        + f"等{len(STAFF)}人；分管领导：leader、"
        + "、".join(username for username, _ in LEADERS),
    ]
    if claim:
        lines.append(f"  待认定的实质性开工申报：{claim}（由 investment 认定后，举措2.1由红转黄）")
    return lines
