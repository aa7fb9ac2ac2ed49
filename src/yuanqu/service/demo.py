"""Demo data of the service centre (示例数据): the catalogue, 9 service zones with windows, cases.

The catalogue has 126 items across the seven categories and the nine zones, three of them
经批准不进驻, so the 应进必进 share and the exemptions show. Cases: the first half of 2023 (the
seed's period) and the last weeks before today, so the window's queue has work in every stage.
``generate_cases`` is shared with ``bench/service.py``, which makes 200,000 of them.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from yuanqu import uscc
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.periods import Period
from yuanqu.service.identity import id_complete
from yuanqu.service.models import (
    BAD_RATINGS,
    Case,
    CasePause,
    CaseStep,
    CentreRules,
    Decision,
    Evaluation,
    Item,
    ItemCategory,
    ItemKind,
    Presence,
    Rating,
    ServiceZone,
    Stage,
    StepAction,
    Window,
)
from yuanqu.service.selectors import centre_scorecard, zone_calendar
from yuanqu.service.workdays import WorkingCalendar
from yuanqu.service.writing import centre_sentence

ZONE = "yz-etdz"
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2023, 6, 30)
DEMO_CASES = 1800
RECENT_CASES = 90

DEPARTMENTS = [
    # code, name (the first ones are the chains demo's; get_or_create keeps whichever came first)
    ("etdz-approval", "行政审批局"),
    ("etdz-planning", "自然资源和规划分局"),
    ("etdz-talent", "人力资源和社会保障局"),
    ("etdz-economy", "经济发展局"),
    ("etdz-tech", "科技创新局"),
    ("svc-market", "市场监督管理局"),
    ("svc-tax", "税务局"),
    ("svc-police", "公安分局"),
    ("svc-housing", "住房和城乡建设局"),
    ("svc-realestate", "不动产登记中心"),
    ("svc-medical", "医疗保障局"),
    ("svc-emergency", "应急管理局"),
    ("svc-ecology", "生态环境分局"),
    ("etdz-social", "社会事业局"),
    ("svc-fund", "住房公积金管理部"),
    ("svc-fire", "消防救援大队"),
]
SERVICE_ZONES = [
    # code, name, window letter, dedicated windows' departments
    ("enterprise", "企业开办专区", "A", ["svc-market", "svc-tax"]),
    ("construction", "工程建设项目审批专区", "B", ["etdz-approval", "svc-housing", "etdz-planning"]),
    ("realestate", "不动产登记专区", "C", ["svc-realestate", "svc-tax"]),
    ("social", "社保医保专区", "D", ["etdz-talent", "svc-medical"]),
    ("tax", "税务专区", "E", ["svc-tax"]),
    ("police", "公安专区", "F", ["svc-police"]),
    ("talent", "人才与就业专区", "G", ["etdz-talent"]),
    ("market", "市场监管与许可专区", "H", ["svc-market", "etdz-approval"]),
    ("general", "综合服务专区", "I", ["etdz-social", "svc-fund"]),
]
# Materials that many items ask for.
LICENCE = "营业执照"
ID_CARD = "申请人身份证明"
AGENT = "授权委托书及经办人身份证明"
FORM = "申请表"

LIC, CON, ADJ, PAY, REW, OTH, PUB = (
    ItemCategory.LICENSING,
    ItemCategory.CONFIRMATION,
    ItemCategory.ADJUDICATION,
    ItemCategory.PAYMENT,
    ItemCategory.REWARD,
    ItemCategory.OTHER_POWER,
    ItemCategory.PUBLIC_SERVICE,
)
IMM, PRO = ItemKind.IMMEDIATE, ItemKind.PROMISED
W, AW, EX = Presence.WINDOW, Presence.ANY_WINDOW, Presence.EXEMPT

# zone code → items: (name, category, department, legal days, promised days, kind, fee, materials, presence, weight)
Spec = tuple[str, str, str, int, int, str, str, list[str], str, int]
CATALOGUE: dict[str, list[Spec]] = {
    "enterprise": [
        (
            "有限责任公司设立登记",
            LIC,
            "svc-market",
            15,
            1,
            PRO,
            "0",
            [FORM, "公司章程", "股东主体资格证明", "住所使用证明", AGENT],
            W,
            30,
        ),
        (
            "股份有限公司设立登记",
            LIC,
            "svc-market",
            15,
            2,
            PRO,
            "0",
            [FORM, "公司章程", "发起人主体资格证明", "验资证明", "住所使用证明"],
            W,
            3,
        ),
        (
            "分公司设立登记",
            LIC,
            "svc-market",
            15,
            1,
            PRO,
            "0",
            [FORM, "隶属公司营业执照", "负责人任职文件", "住所使用证明"],
            W,
            6,
        ),
        ("公司变更登记", LIC, "svc-market", 15, 1, PRO, "0", [FORM, LICENCE, "变更决议或决定", "章程修正案"], W, 20),
        ("公司注销登记", LIC, "svc-market", 15, 3, PRO, "0", [FORM, LICENCE, "清算报告", "注销决议"], W, 6),
        (
            "个体工商户设立登记",
            LIC,
            "svc-market",
            15,
            1,
            PRO,
            "0",
            [FORM, "经营者身份证明", "经营场所使用证明"],
            AW,
            14,
        ),
        ("个体工商户变更登记", LIC, "svc-market", 15, 1, PRO, "0", [FORM, LICENCE, "经营者身份证明"], AW, 6),
        (
            "农民专业合作社设立登记",
            LIC,
            "svc-market",
            15,
            2,
            PRO,
            "0",
            [FORM, "合作社章程", "成员名册及身份证明", "住所使用证明"],
            AW,
            1,
        ),
        ("印章刻制备案", OTH, "svc-police", 1, 0, IMM, "0", [LICENCE, "法定代表人身份证明", AGENT], AW, 18),
        (
            "新办纳税人套餐式服务",
            PUB,
            "svc-tax",
            5,
            0,
            IMM,
            "0",
            [LICENCE, "法定代表人身份证明", "财务负责人信息"],
            W,
            16,
        ),
        ("发票领用", PUB, "svc-tax", 5, 0, IMM, "0", [LICENCE, "经办人身份证明"], W, 20),
        ("单位参保登记", CON, "etdz-talent", 15, 1, PRO, "0", [LICENCE, "单位参保登记表"], AW, 12),
        ("住房公积金单位缴存登记", PUB, "svc-fund", 5, 1, PRO, "0", [LICENCE, "缴存登记表", AGENT], AW, 6),
        ("银行预约开户信息推送", PUB, "etdz-approval", 3, 0, IMM, "0", [LICENCE, "法定代表人身份证明"], AW, 5),
    ],
    "construction": [
        (
            "建设项目用地预审与选址意见书核发",
            LIC,
            "etdz-planning",
            20,
            10,
            PRO,
            "0",
            [FORM, "项目建议书或批复文件", "用地位置图", "土地利用情况说明"],
            W,
            3,
        ),
        (
            "建设用地规划许可证核发",
            LIC,
            "etdz-planning",
            20,
            5,
            PRO,
            "0",
            [FORM, "土地出让合同", "宗地图", "规划条件"],
            W,
            4,
        ),
        (
            "建设工程规划许可证核发",
            LIC,
            "etdz-planning",
            20,
            7,
            PRO,
            "0",
            [FORM, "建设用地规划许可证", "设计方案总平面图", "施工图"],
            W,
            5,
        ),
        (
            "建筑工程施工许可证核发",
            LIC,
            "svc-housing",
            15,
            3,
            PRO,
            "0",
            [FORM, "建设工程规划许可证", "施工合同", "质量安全监督手续", "资金落实承诺书"],
            W,
            6,
        ),
        ("建设工程消防设计审查", LIC, "svc-housing", 15, 7, PRO, "0", [FORM, "消防设计文件", "施工图审查意见"], W, 3),
        (
            "建设工程消防验收",
            LIC,
            "svc-housing",
            15,
            10,
            PRO,
            "0",
            [FORM, "工程竣工验收报告", "消防设施检测报告"],
            W,
            3,
        ),
        ("特殊建设工程消防验收备案抽查", OTH, "svc-fire", 15, 10, PRO, "0", [FORM, "竣工验收消防查验报告"], AW, 1),
        ("企业投资项目备案", OTH, "etdz-approval", 3, 1, PRO, "0", [FORM, LICENCE, "项目情况说明"], W, 8),
        (
            "企业投资项目核准",
            LIC,
            "etdz-approval",
            20,
            10,
            PRO,
            "0",
            [FORM, "项目申请报告", "规划选址意见", "用地预审意见"],
            W,
            1,
        ),
        ("节能审查", LIC, "etdz-economy", 20, 10, PRO, "0", [FORM, "节能报告"], AW, 2),
        (
            "建设项目环境影响评价文件审批",
            LIC,
            "svc-ecology",
            60,
            15,
            PRO,
            "0",
            [FORM, "环境影响报告书（表）", "公众参与说明"],
            AW,
            3,
        ),
        ("城市建筑垃圾处置核准", LIC, "svc-housing", 20, 5, PRO, "0", [FORM, "处置方案", "运输车辆证明"], AW, 2),
        ("建设工程竣工联合验收", OTH, "etdz-approval", 15, 7, PRO, "0", [FORM, "竣工验收报告", "各专项验收资料"], W, 2),
        ("市政设施建设类审批", LIC, "svc-housing", 20, 5, PRO, "0", [FORM, "施工方案", "交通组织方案"], AW, 2),
        (
            "放射性同位素与射线装置安全许可",
            LIC,
            "svc-ecology",
            20,
            20,
            PRO,
            "0",
            [FORM, "辐射安全管理制度", "环评批复"],
            EX,
            0,
        ),
    ],
    "realestate": [
        (
            "国有建设用地使用权首次登记",
            CON,
            "svc-realestate",
            30,
            5,
            PRO,
            "0",
            [FORM, ID_CARD, "土地出让合同", "土地出让价款缴纳凭证"],
            W,
            4,
        ),
        (
            "房屋所有权首次登记",
            CON,
            "svc-realestate",
            30,
            5,
            PRO,
            "80",
            [FORM, ID_CARD, "竣工验收材料", "房屋测绘报告"],
            W,
            5,
        ),
        (
            "存量房转移登记",
            CON,
            "svc-realestate",
            30,
            1,
            PRO,
            "80",
            [FORM, ID_CARD, "不动产权证书", "买卖合同", "完税凭证"],
            W,
            30,
        ),
        (
            "新建商品房转移登记",
            CON,
            "svc-realestate",
            30,
            1,
            PRO,
            "80",
            [FORM, ID_CARD, "商品房买卖合同", "完税凭证"],
            W,
            22,
        ),
        (
            "抵押权首次登记",
            CON,
            "svc-realestate",
            30,
            1,
            PRO,
            "80",
            [FORM, ID_CARD, "不动产权证书", "抵押合同", "主债权合同"],
            W,
            24,
        ),
        ("抵押权注销登记", CON, "svc-realestate", 30, 0, IMM, "0", [FORM, ID_CARD, "不动产登记证明"], W, 16),
        (
            "不动产变更登记",
            CON,
            "svc-realestate",
            30,
            1,
            PRO,
            "0",
            [FORM, ID_CARD, "不动产权证书", "变更证明材料"],
            W,
            6,
        ),
        ("预告登记", CON, "svc-realestate", 30, 1, PRO, "0", [FORM, ID_CARD, "商品房买卖合同"], W, 8),
        ("不动产登记资料查询", PUB, "svc-realestate", 5, 0, IMM, "0", [ID_CARD, "查询申请书"], AW, 14),
        ("存量房交易税费申报", OTH, "svc-tax", 5, 0, IMM, "0", [ID_CARD, "买卖合同", "不动产权证书"], W, 20),
        ("更正登记", CON, "svc-realestate", 30, 5, PRO, "0", [FORM, ID_CARD, "证明登记错误的材料"], W, 2),
        ("异议登记", CON, "svc-realestate", 30, 1, PRO, "0", [FORM, ID_CARD, "利害关系证明材料"], W, 1),
        ("地役权登记", CON, "svc-realestate", 30, 5, PRO, "80", [FORM, ID_CARD, "地役权合同"], W, 1),
        ("不动产权籍调查成果审核", OTH, "etdz-planning", 20, 5, PRO, "0", [FORM, "权籍调查成果"], AW, 2),
    ],
    "social": [
        ("职工参保登记", CON, "etdz-talent", 15, 0, IMM, "0", [ID_CARD, "劳动合同"], W, 20),
        ("社会保障卡申领", PUB, "etdz-talent", 20, 5, PRO, "0", [ID_CARD, "近期免冠照片"], W, 18),
        ("养老保险关系转移接续", PUB, "etdz-talent", 45, 15, PRO, "0", [ID_CARD, "参保缴费凭证"], W, 8),
        ("职工基本养老金申领", PAY, "etdz-talent", 20, 10, PRO, "0", [ID_CARD, "退休审批表", "银行账户信息"], W, 5),
        ("失业保险金申领", PAY, "etdz-talent", 20, 5, PRO, "0", [ID_CARD, "解除劳动合同证明"], W, 8),
        ("工伤认定", CON, "etdz-talent", 60, 30, PRO, "0", [FORM, ID_CARD, "劳动关系证明", "医疗诊断证明"], W, 3),
        (
            "工伤保险待遇核定支付",
            PAY,
            "etdz-talent",
            30,
            10,
            PRO,
            "0",
            [ID_CARD, "工伤认定决定书", "劳动能力鉴定结论"],
            W,
            3,
        ),
        ("生育保险待遇核准支付", PAY, "svc-medical", 20, 5, PRO, "0", [ID_CARD, "出生医学证明", "医疗费用票据"], W, 8),
        ("基本医疗保险参保登记", CON, "svc-medical", 15, 0, IMM, "0", [ID_CARD, "参保登记表"], W, 16),
        ("异地就医备案", PUB, "svc-medical", 5, 0, IMM, "0", [ID_CARD, "备案申请表"], AW, 14),
        ("门诊慢特病待遇认定", CON, "svc-medical", 30, 10, PRO, "0", [ID_CARD, "病历资料", "检查报告"], W, 6),
        (
            "医疗费用手工（零星）报销",
            PAY,
            "svc-medical",
            30,
            10,
            PRO,
            "0",
            [ID_CARD, "医疗费用票据", "费用明细清单", "病历资料"],
            W,
            8,
        ),
        ("城乡居民基本养老保险参保登记", CON, "etdz-talent", 15, 0, IMM, "0", [ID_CARD, "户口簿"], AW, 6),
        ("个人权益记录查询打印", PUB, "etdz-talent", 5, 0, IMM, "0", [ID_CARD], AW, 12),
    ],
    "tax": [
        ("增值税一般纳税人登记", CON, "svc-tax", 5, 0, IMM, "0", [LICENCE, "增值税一般纳税人登记表"], W, 8),
        ("发票增版增量", LIC, "svc-tax", 20, 1, PRO, "0", [LICENCE, "增版增量申请表"], W, 8),
        ("税务注销", CON, "svc-tax", 20, 3, PRO, "0", [LICENCE, "清税申报表", "发票缴销资料"], W, 6),
        ("纳税信用复评", OTH, "svc-tax", 15, 10, PRO, "0", [LICENCE, "复评申请表"], W, 2),
        ("出口退（免）税备案", OTH, "svc-tax", 10, 2, PRO, "0", [LICENCE, "出口退（免）税备案表"], W, 4),
        ("跨区域涉税事项报告", OTH, "svc-tax", 5, 0, IMM, "0", [LICENCE, "跨区域涉税事项报告表"], W, 6),
        ("个人所得税专项附加扣除确认", PUB, "svc-tax", 5, 0, IMM, "0", [ID_CARD], AW, 10),
        ("完税证明开具", PUB, "svc-tax", 5, 0, IMM, "0", [ID_CARD], AW, 12),
        ("税收优惠资格备案", OTH, "svc-tax", 10, 2, PRO, "0", [LICENCE, "优惠事项备案表", "相关证明材料"], W, 4),
        ("代开增值税发票", PUB, "svc-tax", 5, 0, IMM, "0", [ID_CARD, "合同或协议"], W, 14),
        ("土地增值税清算申报", OTH, "svc-tax", 90, 30, PRO, "0", [LICENCE, "清算申报表", "清算报告"], W, 1),
        ("退抵税费申请", PAY, "svc-tax", 30, 5, PRO, "0", [LICENCE, "退抵税费申请表", "完税凭证"], W, 4),
        (
            "税务行政复议申请受理",
            ADJ,
            "svc-tax",
            60,
            60,
            PRO,
            "0",
            [FORM, "复议申请书", "被申请复议的具体行政行为材料"],
            AW,
            1,
        ),
        ("纳税人涉税信息查询", PUB, "svc-tax", 5, 0, IMM, "0", [LICENCE, AGENT], AW, 6),
    ],
    "police": [
        ("居民身份证申领", CON, "svc-police", 60, 15, PRO, "20", [FORM, "户口簿"], W, 22),
        ("临时居民身份证申领", CON, "svc-police", 3, 0, IMM, "10", [FORM, "户口簿"], W, 6),
        ("户口迁入", LIC, "svc-police", 20, 5, PRO, "0", [FORM, "准予迁入证明", "户口簿"], W, 10),
        ("居住证申领", PUB, "svc-police", 15, 5, PRO, "0", [FORM, ID_CARD, "居住证明"], W, 12),
        ("普通护照签发", LIC, "svc-police", 15, 7, PRO, "120", [FORM, ID_CARD, "出入境证件照片"], W, 10),
        ("往来港澳通行证签发", LIC, "svc-police", 15, 7, PRO, "60", [FORM, ID_CARD, "出入境证件照片"], W, 10),
        (
            "机动车注册登记",
            CON,
            "svc-police",
            5,
            1,
            PRO,
            "0",
            [FORM, ID_CARD, "机动车来历证明", "交通事故责任强制保险凭证"],
            W,
            10,
        ),
        ("机动车驾驶证换证", LIC, "svc-police", 5, 0, IMM, "10", [FORM, ID_CARD, "身体条件证明"], W, 12),
        ("无犯罪记录证明开具", PUB, "svc-police", 5, 1, PRO, "0", [FORM, ID_CARD], AW, 10),
        ("保安服务许可证核发", LIC, "svc-police", 20, 10, PRO, "0", [FORM, LICENCE, "管理制度", "人员资格证明"], AW, 1),
        ("剧毒化学品购买许可证核发", LIC, "svc-police", 3, 3, PRO, "0", [FORM, LICENCE, "购买用途说明"], AW, 1),
        ("犬只登记", OTH, "svc-police", 10, 5, PRO, "0", [FORM, ID_CARD, "犬只免疫证明"], AW, 2),
        ("爆破作业单位许可证核发", LIC, "svc-police", 20, 20, PRO, "0", [FORM, "爆破作业人员资格证明"], EX, 0),
        ("见义勇为人员奖励和表彰", REW, "svc-police", 60, 30, PRO, "0", [FORM, "事迹材料", "证人证言"], AW, 1),
    ],
    "talent": [
        ("就业登记", CON, "etdz-talent", 15, 0, IMM, "0", [ID_CARD, "劳动合同"], W, 14),
        ("失业登记", CON, "etdz-talent", 15, 0, IMM, "0", [ID_CARD, "解除劳动合同证明"], W, 8),
        ("就业困难人员认定", CON, "etdz-talent", 20, 5, PRO, "0", [FORM, ID_CARD, "困难情形证明"], W, 4),
        ("创业担保贷款申请受理", PAY, "etdz-talent", 20, 10, PRO, "0", [FORM, ID_CARD, LICENCE, "创业计划书"], W, 3),
        ("一次性创业补贴申领", PAY, "etdz-talent", 30, 10, PRO, "0", [FORM, ID_CARD, LICENCE], W, 4),
        ("高层次人才认定", REW, "etdz-talent", 30, 20, PRO, "0", [FORM, ID_CARD, "学历学位证书", "业绩证明材料"], W, 3),
        ("人才安居补贴申领", PAY, "etdz-talent", 30, 15, PRO, "0", [FORM, ID_CARD, "劳动合同", "社保缴费证明"], W, 5),
        ("职业技能等级证书查询核验", PUB, "etdz-talent", 5, 0, IMM, "0", [ID_CARD], AW, 4),
        ("职业技能提升补贴申领", PAY, "etdz-talent", 30, 10, PRO, "0", [FORM, ID_CARD, "职业资格证书"], W, 5),
        ("劳务派遣经营许可", LIC, "etdz-talent", 20, 10, PRO, "0", [FORM, LICENCE, "经营场所证明", "管理制度"], W, 1),
        ("人力资源服务许可", LIC, "etdz-talent", 20, 10, PRO, "0", [FORM, LICENCE, "人员资格证明"], W, 1),
        (
            "外国人来华工作许可",
            LIC,
            "etdz-tech",
            10,
            5,
            PRO,
            "0",
            [FORM, "护照", "工作资历证明", "无犯罪记录证明"],
            AW,
            2,
        ),
        (
            "劳动人事争议仲裁申请受理",
            ADJ,
            "etdz-talent",
            45,
            45,
            PRO,
            "0",
            [FORM, "仲裁申请书", ID_CARD, "证据材料"],
            W,
            3,
        ),
        (
            "企业实行不定时工作制和综合计算工时工作制审批",
            LIC,
            "etdz-talent",
            20,
            10,
            PRO,
            "0",
            [FORM, LICENCE, "工会意见"],
            AW,
            1,
        ),
    ],
    "market": [
        (
            "食品经营许可",
            LIC,
            "svc-market",
            20,
            3,
            PRO,
            "0",
            [FORM, LICENCE, "经营场所平面图", "食品安全管理制度"],
            W,
            14,
        ),
        ("食品生产许可", LIC, "svc-market", 20, 10, PRO, "0", [FORM, LICENCE, "生产场所平面图", "工艺流程图"], W, 2),
        ("小餐饮经营许可", LIC, "svc-market", 20, 3, PRO, "0", [FORM, "经营者身份证明", "健康证明"], AW, 6),
        (
            "药品零售企业许可",
            LIC,
            "svc-market",
            30,
            15,
            PRO,
            "0",
            [FORM, LICENCE, "执业药师资格证明", "经营场所证明"],
            W,
            2,
        ),
        ("第二类医疗器械经营备案", OTH, "svc-market", 5, 0, IMM, "0", [FORM, LICENCE, "经营场所证明"], W, 4),
        ("特种设备使用登记", CON, "svc-market", 15, 2, PRO, "0", [FORM, "产品合格证", "监督检验证明"], W, 6),
        ("计量器具强制检定备案", OTH, "svc-market", 10, 2, PRO, "0", [FORM, "计量器具目录"], AW, 3),
        ("广告发布登记", OTH, "svc-market", 10, 2, PRO, "0", [FORM, LICENCE], AW, 1),
        (
            "危险化学品经营许可证核发（带储存设施）",
            LIC,
            "svc-emergency",
            30,
            30,
            PRO,
            "0",
            [FORM, LICENCE, "安全评价报告"],
            EX,
            0,
        ),
        (
            "危险化学品经营许可证核发（不带储存）",
            LIC,
            "svc-emergency",
            30,
            10,
            PRO,
            "0",
            [FORM, LICENCE, "安全管理制度"],
            W,
            2,
        ),
        ("排污许可证核发", LIC, "svc-ecology", 20, 10, PRO, "0", [FORM, "排污许可申请表", "环评批复"], AW, 2),
        ("公共场所卫生许可", LIC, "etdz-social", 20, 5, PRO, "0", [FORM, LICENCE, "卫生检测报告"], W, 4),
        ("酒类商品零售许可", LIC, "svc-market", 20, 5, PRO, "0", [FORM, LICENCE], AW, 2),
        ("消费者投诉举报处理", ADJ, "svc-market", 60, 30, PRO, "0", [FORM, "投诉事实证据"], AW, 4),
        ("质量标杆和品牌奖励", REW, "svc-market", 60, 30, PRO, "0", [FORM, "申报材料"], AW, 1),
    ],
    "general": [
        ("最低生活保障金给付", PAY, "etdz-social", 30, 15, PRO, "0", [FORM, ID_CARD, "家庭收入证明"], W, 3),
        ("临时救助金给付", PAY, "etdz-social", 20, 5, PRO, "0", [FORM, ID_CARD, "困难情况说明"], W, 3),
        ("残疾人两项补贴给付", PAY, "etdz-social", 30, 10, PRO, "0", [FORM, ID_CARD, "残疾人证"], W, 3),
        ("高龄津贴给付", PAY, "etdz-social", 20, 5, PRO, "0", [FORM, ID_CARD], W, 4),
        ("婚姻登记", CON, "etdz-social", 1, 0, IMM, "0", [ID_CARD, "户口簿", "近期合影照片"], W, 6),
        (
            "民办非企业单位成立登记",
            LIC,
            "etdz-social",
            60,
            20,
            PRO,
            "0",
            [FORM, "章程草案", "场所使用证明", "验资报告"],
            AW,
            1,
        ),
        ("养老机构备案", OTH, "etdz-social", 10, 2, PRO, "0", [FORM, "场所证明", "消防安全证明"], AW, 1),
        ("民办学校办学许可", LIC, "etdz-social", 90, 30, PRO, "0", [FORM, "办学章程", "校舍证明", "资产证明"], AW, 1),
        (
            "医疗机构执业登记",
            LIC,
            "etdz-social",
            45,
            20,
            PRO,
            "0",
            [FORM, "设置批准书", "场所证明", "人员资质证明"],
            W,
            1,
        ),
        ("住房公积金提取", PUB, "svc-fund", 5, 0, IMM, "0", [ID_CARD, "提取证明材料"], W, 16),
        ("住房公积金贷款申请", PUB, "svc-fund", 15, 7, PRO, "0", [ID_CARD, "购房合同", "收入证明"], W, 6),
        ("科技型中小企业评价入库", CON, "etdz-tech", 20, 10, PRO, "0", [FORM, LICENCE, "研发投入说明"], AW, 3),
        ("高新技术企业培育奖励", REW, "etdz-tech", 60, 30, PRO, "0", [FORM, LICENCE, "高新技术企业证书"], AW, 1),
        ("企业技术改造项目奖补", PAY, "etdz-economy", 60, 30, PRO, "0", [FORM, LICENCE, "项目验收材料"], AW, 2),
        ("政务服务“办不成事”反映受理", PUB, "etdz-approval", 5, 2, PRO, "0", [FORM], AW, 3),
        ("法律援助申请", PUB, "etdz-social", 7, 3, PRO, "0", [FORM, ID_CARD, "经济困难证明"], AW, 2),
        ("建筑起重机械使用登记", CON, "svc-housing", 7, 2, PRO, "0", [FORM, "产权备案证明", "安装验收资料"], AW, 2),
        (
            "经营性道路客货运输驾驶员从业资格证核发",
            LIC,
            "etdz-approval",
            10,
            5,
            PRO,
            "0",
            [FORM, ID_CARD, "驾驶证"],
            AW,
            2,
        ),
        ("建设工程档案验收", OTH, "svc-housing", 10, 5, PRO, "0", [FORM, "工程档案"], AW, 1),
        ("区域评估成果应用确认", OTH, "etdz-approval", 10, 3, PRO, "0", [FORM, "项目情况说明"], AW, 1),
    ],
}
EXEMPTION_DOCUMENT = "扬开管发〔2023〕7号（示例数据）"
EXEMPTION_DAY = date(2023, 1, 10)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建国海波宁欣怡晨阳"
COMPANY_WORDS = ["运河", "维扬", "广陵", "邗江", "江淮", "润扬", "瘦西湖", "东关", "文昌", "汶河", "京华", "扬子"]
COMPANY_TRADES = [
    "新能源科技",
    "汽车零部件",
    "智能装备",
    "光电科技",
    "贸易",
    "餐饮管理",
    "建设工程",
    "物流",
    "电子商务",
    "医疗器械",
]
RATING_WEIGHTS = [
    (Rating.VERY_SATISFIED, 70),
    (Rating.SATISFIED, 20),
    (Rating.FAIRLY_SATISFIED, 7),
    (Rating.DISSATISFIED, 2),
    (Rating.VERY_DISSATISFIED, 1),
]


@dataclass
class Centre:
    """The demo centre's places: its departments, service zones, windows and items."""

    zone: Place
    departments: dict[str, Department]
    service_zones: dict[str, ServiceZone]
    windows: list[Window]
    items: list[Item]
    weights: dict[int, int]


def centre_ensure(zone: Place) -> Centre:
    """Departments, service zones, windows and the catalogue (created once, then left as they are)."""
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name, "zone": zone, "sort_order": 40 + n})[
            0
        ]
        for n, (code, name) in enumerate(DEPARTMENTS)
    }
    service_zones: dict[str, ServiceZone] = {}
    windows: list[Window] = []
    for order, (code, name, letter, dedicated) in enumerate(SERVICE_ZONES):
        service_zone, _ = ServiceZone.objects.get_or_create(
            zone=zone, code=code, defaults={"name": name, "sort_order": order}
        )
        service_zones[code] = service_zone
        comprehensive = 3 if code == "general" else 2 if code in ("enterprise", "realestate", "social") else 1
        numbers: list[tuple[str, str, Department | None]] = [
            (f"{letter}{n + 1:02d}", Window.Kind.COMPREHENSIVE, None) for n in range(comprehensive)
        ]
        numbers += [
            (f"{letter}{comprehensive + n + 1:02d}", Window.Kind.DEDICATED, departments[department])
            for n, department in enumerate(dedicated)
        ]
        for sort, (number, kind, owner) in enumerate(numbers):
            window, _ = Window.objects.get_or_create(
                service_zone=service_zone,
                number=number,
                defaults={"kind": kind, "department": owner, "sort_order": sort},
            )
            windows.append(window)
    existing = {item.code: item for item in Item.objects.filter(zone=zone)}
    items: list[Item] = []
    weights: dict[int, int] = {}
    new: list[tuple[Item, int]] = []
    for zone_order, (zone_code, specs) in enumerate(CATALOGUE.items()):
        for n, (name, category, department_code, legal, promised, kind, fee, materials, presence, weight) in enumerate(
            specs
        ):
            code = f"YZKF-{zone_order + 1:02d}{n + 1:03d}"
            item = existing.get(code)
            if item is None:
                item = Item(
                    zone=zone,
                    code=code,
                    name=name,
                    category=category,
                    department=departments[department_code],
                    legal_limit_days=legal,
                    promised_limit_days=promised,
                    kind=kind,
                    fee_yuan=Decimal(fee),
                    materials=materials,
                    presence=presence,
                    exemption_document=EXEMPTION_DOCUMENT if presence == EX else "",
                    exemption_approved_on=EXEMPTION_DAY if presence == EX else None,
                    service_zone=None if presence == EX else service_zones[zone_code],
                    is_sample=True,
                )
                new.append((item, weight))
            else:
                weights[item.pk] = weight
                items.append(item)
    if new:
        Item.objects.bulk_create([item for item, _ in new])
        for item, weight in new:
            weights[item.pk] = weight
            items.append(item)
    CentreRules.objects.get_or_create(zone=zone)
    return Centre(zone, departments, service_zones, windows, items, weights)


# -- cases ------------------------------------------------------------------------------------


@dataclass
class GeneratedCase:
    case: Case
    steps: list[CaseStep]
    pause: CasePause | None
    evaluation: Evaluation | None


def _person(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 16000))
    first17 = f"321002{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return name, id_complete(first17)


def _enterprise(rng: random.Random, number: int) -> tuple[str, str]:
    name = f"扬州{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"
    return name, uscc.complete(f"913210915{number % 100_000_000:08d}")


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"


def _working_days(calendar: WorkingCalendar, first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def generate_cases(
    centre: Centre,
    *,
    calendar: WorkingCalendar,
    first: date,
    last: date,
    count: int,
    today: date,
    seed: int = 12,
    start_number: int = 0,
    with_steps: bool = True,
    preferred_windows: list[Window] | None = None,
    still_waiting: float = 0.0,
    late_share: float = 0.04,
) -> Iterator[GeneratedCase]:
    """Cases accepted on the working days from ``first`` to ``last``, each consistent with the calendar.

    About one in eight was told to supplement before acceptance, one in sixteen paused for 补正
    during review, a few are late; cases whose issue would fall after ``today`` are still open.
    A third of the issued ones are rated. Deterministic for a seed. ``preferred_windows`` take half
    of the cases (the demo clerk's windows); ``still_waiting`` is the share of the told-to-supplement
    cases still waiting for their materials (not accepted yet).
    """
    rng = random.Random(seed)
    usable = [item for item in centre.items if item.presence in (Presence.WINDOW, Presence.ANY_WINDOW)]
    weights = [max(1, centre.weights.get(item.pk, 1)) for item in usable]
    comprehensive: dict[int, list[Window]] = {}
    dedicated: dict[tuple[int, int], list[Window]] = {}
    general = [
        window
        for window in centre.windows
        if window.kind == Window.Kind.COMPREHENSIVE and window.service_zone.code == "general"
    ]
    for window in centre.windows:
        if window.kind == Window.Kind.COMPREHENSIVE:
            comprehensive.setdefault(window.service_zone_id, []).append(window)
        elif window.department_id is not None:
            dedicated.setdefault((window.service_zone_id, window.department_id), []).append(window)
    days = _working_days(calendar, first, last)
    per_day: dict[date, int] = {}
    for serial in range(count):
        item = rng.choices(usable, weights)[0]
        accepted = days[rng.randrange(len(days))]
        assert item.service_zone_id is not None
        own = dedicated.get((item.service_zone_id, item.department_id), [])
        if preferred_windows and rng.random() < 0.5:
            window = rng.choice(preferred_windows)
        elif own and rng.random() < 0.4:
            window = rng.choice(own)
        elif rng.random() < 0.15:
            window = rng.choice(general)
        else:
            window = rng.choice(comprehensive.get(item.service_zone_id) or general)
        sequence = per_day[accepted] = per_day.get(accepted, 0) + 1
        number = f"FW{accepted:%Y%m%d}{sequence + start_number:04d}"
        is_person = item.category in (ItemCategory.PAYMENT, ItemCategory.PUBLIC_SERVICE) or rng.random() < 0.3
        name, code = _person(rng) if is_person else _enterprise(rng, start_number + serial)
        contact = name if is_person else _person(rng)[0]
        notified = rng.random() < 0.12
        promised, legal = item.promised_limit_days, item.legal_limit_days
        if promised == 0:
            used = 0 if rng.random() < 0.97 else 1
        elif rng.random() < late_share:
            used = promised + rng.randint(1, 4)
        else:
            used = max(0, min(promised, round(rng.triangular(0, promised, promised * 0.6))))
        pause: tuple[date, date] | None = None
        if promised > 0 and used > 0 and rng.random() < 0.06:
            start = calendar.add_working_days(accepted, rng.randint(0, max(0, used - 1)))
            pause = (start, calendar.add_working_days(start, rng.randint(1, 5)))
        pauses = [pause] if pause else []
        due = calendar.add_working_days(accepted, promised, pauses)
        legal_due = calendar.add_working_days(accepted, legal, pauses)
        issued = calendar.add_working_days(accepted, used, pauses)
        decided = issued if used == 0 else calendar.add_working_days(accepted, max(0, used - 1), pauses)
        stage = Stage.ISSUED
        if issued > today:
            stage = Stage.DECIDED if decided <= today else Stage.REVIEWING
            if pause and pause[0] <= today < pause[1]:
                stage = Stage.SUSPENDED
                # Paused now: the due dates as they stood when the clock stopped (the open pause not counted).
                due = calendar.add_working_days(accepted, promised)
                legal_due = calendar.add_working_days(accepted, legal)
        paused_days = calendar.working_days_between(*pause) if pause and pause[1] <= today else 0
        registered = accepted if not notified else accepted - timedelta(days=rng.randint(1, 6))
        waiting = notified and rng.random() < still_waiting
        if waiting:
            stage, registered = Stage.NOTIFIED, accepted
        case = Case(
            zone=centre.zone,
            number=number,
            item=item,
            department_id=item.department_id,
            service_zone_id=window.service_zone_id,
            window=window,
            at_any_window=window.kind == Window.Kind.COMPREHENSIVE,
            immediate=item.kind == ItemKind.IMMEDIATE,
            legal_limit_days=legal,
            promised_limit_days=promised,
            applicant_kind="person" if is_person else "enterprise",
            applicant_name=name,
            applicant_code=code,
            contact_name=contact,
            contact_phone=_phone(rng),
            materials_received=list(item.materials),
            stage=stage,
            decision=Decision.APPROVE if rng.random() < 0.97 else Decision.DENY,
            reason="",
            registered_at=timezone.make_aware(datetime.combine(registered, time(9, rng.randrange(0, 60)))),
            accepted_on=None if waiting else accepted,
            decided_on=decided if stage in (Stage.DECIDED, Stage.ISSUED) else None,
            issued_on=issued if stage == Stage.ISSUED else None,
            due_on=None if stage == Stage.NOTIFIED else due,
            legal_due_on=None if stage == Stage.NOTIFIED else legal_due,
            paused_on=pause[0] if pause and stage == Stage.SUSPENDED else None,
            due_provisional=bool(calendar.unknown_years(accepted, legal_due)),
            paused_days=paused_days,
            supplements=int(notified) + int(pause is not None and pause[0] <= today),
            elapsed_days=calendar.elapsed(accepted, issued, pauses) if stage == Stage.ISSUED else None,
        )
        if case.decision == Decision.DENY:
            case.reason = "申请材料所载内容与核查情况不符（示例数据）"
        if stage not in (Stage.DECIDED, Stage.ISSUED):
            case.decision = ""
        if stage == Stage.ISSUED:
            case.rating_code = f"D{start_number + serial:09d}"
        if waiting:
            case.materials_received, case.materials_missing = list(item.materials[:-1]), list(item.materials[-1:])
            case.paused_days, case.supplements, pause = 0, 1, None
        pause_row = None
        if pause and pause[0] <= today:
            ended = pause[1] if pause[1] <= today else None
            pause_row = CasePause(
                case=case,
                started_on=pause[0],
                ended_on=ended,
                missing=[item.materials[-1]] if item.materials else ["补充说明"],
                working_days=calendar.working_days_between(*pause) if ended else None,
            )
        steps: list[CaseStep] = []
        if with_steps:
            steps = _steps(case, window, registered, notified, pause_row, decided, issued)
        evaluation = None
        if stage == Stage.ISSUED and rng.random() < 0.35:
            rating = rng.choices([value for value, _ in RATING_WEIGHTS], [w for _, w in RATING_WEIGHTS])[0]
            bad = rating in BAD_RATINGS
            rated = issued if rng.random() < 0.7 else calendar.add_working_days(issued, rng.randint(1, 3))
            follow_due = calendar.add_working_days(rated, 15) if bad else None
            followed = None
            if bad and follow_due is not None:
                candidate = calendar.add_working_days(rated, rng.randint(2, 18))
                followed = candidate if candidate <= today else None
            if rated <= today:
                evaluation = Evaluation(
                    case=case,
                    zone=centre.zone,
                    rating=rating,
                    comment="等候时间较长，材料要求解释不清（示例数据）" if bad else "",
                    channel=Evaluation.Channel.WINDOW if rng.random() < 0.6 else Evaluation.Channel.CODE,
                    rated_on=rated,
                    is_bad=bad,
                    follow_up_due_on=follow_due,
                    followed_up_on=followed,
                    follow_up_note="已回访申请人并优化告知单（示例数据）" if followed else "",
                )
        yield GeneratedCase(case, steps, pause_row, evaluation)


def _steps(
    case: Case,
    window: Window,
    registered: date,
    notified: bool,
    pause: CasePause | None,
    decided: date,
    issued: date,
) -> list[CaseStep]:
    at = case.registered_at
    steps = [CaseStep(case=case, action=StepAction.REGISTER, on=registered, at=at, window=window)]
    if notified:
        steps.append(
            CaseStep(case=case, action=StepAction.NOTIFY, to_stage=Stage.NOTIFIED, on=registered, at=at, window=window)
        )
    if case.stage == Stage.NOTIFIED:
        return steps
    steps.append(
        CaseStep(
            case=case,
            action=StepAction.ACCEPT,
            to_stage=Stage.REVIEWING,
            on=case.accepted_on or registered,
            at=at,
            window=window,
        )
    )
    if pause is not None:
        steps.append(
            CaseStep(
                case=case,
                action=StepAction.PAUSE,
                to_stage=Stage.SUSPENDED,
                on=pause.started_on,
                at=at,
                department_id=case.department_id,
            )
        )
        if pause.ended_on is not None:
            steps.append(
                CaseStep(
                    case=case,
                    action=StepAction.RESUME,
                    to_stage=Stage.REVIEWING,
                    on=pause.ended_on,
                    at=at,
                    window=window,
                )
            )
    if case.stage in (Stage.DECIDED, Stage.ISSUED):
        steps.append(
            CaseStep(
                case=case,
                action=StepAction.DECIDE,
                to_stage=Stage.DECIDED,
                on=decided,
                at=at,
                department_id=case.department_id,
            )
        )
    if case.stage == Stage.ISSUED:
        steps.append(
            CaseStep(case=case, action=StepAction.ISSUE, to_stage=Stage.ISSUED, on=issued, at=at, window=window)
        )
    return steps


def _insert(model: type[models.Model], rows: list[Any]) -> None:
    """Plain INSERTs of unsaved rows whose ids are already set: compiling a bulk_create costs
    more per row than running it, and the demo and the benchmark write many thousands."""
    if not rows:
        return
    database = connections[DEFAULT_DB_ALIAS]
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(database.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {database.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    # Only the fields whose database form differs from the Python value go through the field.
    adapted = (models.DateField, models.DecimalField, models.JSONField)
    converters = [
        (field.attname, partial(field.get_db_prep_save, connection=database) if isinstance(field, adapted) else None)
        for field in fields
    ]
    values = [
        tuple(convert(getattr(row, name)) if convert else getattr(row, name) for name, convert in converters)
        for row in rows
    ]
    with database.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def _number_rows(model: type[models.Model], rows: list[Any]) -> None:
    first = (model.objects.aggregate(last=Max("id"))["last"] or 0) + 1  # type: ignore[attr-defined]
    for offset, row in enumerate(rows):
        row.pk = first + offset


def cases_write(batch: list[GeneratedCase]) -> int:
    """Insert generated cases with their steps, pauses and ratings (for the demo and the bench)."""
    cases = [generated.case for generated in batch]
    _number_rows(Case, cases)
    steps, pauses, evaluations = [], [], []
    for generated in batch:
        for step in generated.steps:
            step.case_id = generated.case.pk
            steps.append(step)
        if generated.pause is not None:
            generated.pause.case_id = generated.case.pk
            pauses.append(generated.pause)
        if generated.evaluation is not None:
            generated.evaluation.case_id = generated.case.pk
            evaluations.append(generated.evaluation)
    written: list[tuple[type[models.Model], list[Any]]] = [
        (Case, cases),
        (CaseStep, steps),
        (CasePause, pauses),
        (Evaluation, evaluations),
    ]
    for model, rows in written:
        if model is not Case:
            _number_rows(model, rows)
        _insert(model, rows)
    # PostgreSQL's id sequences do not see ids given explicitly (SQLite's AUTOINCREMENT does).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in written]):
            cursor.execute(statement)
    return len(batch)


def _staffing(centre: Centre) -> list[str]:
    """The accounts demo's service users at their windows and in their department."""
    users = {user.username: user for user in User.objects.filter(username__in=["window", "reviewer", "centre"])}
    lines = []
    if "window" in users:
        general = [w for w in centre.windows if w.service_zone.code == "general" and w.is_comprehensive]
        for window in general[:2]:
            window.staff.add(users["window"])
        lines.append("  window 在综合服务专区 I01、I02 综合窗口")
    if "reviewer" in users:
        centre.departments["svc-market"].members.add(users["reviewer"])
        lines.append("  reviewer 为市场监督管理局审批人员；centre 为中心管理员")
    return lines


@transaction.atomic
def demo_load() -> list[str]:
    zone = Place.objects.filter(code=ZONE).first()
    if zone is None:
        return ["政务服务：未找到演示园区 yz-etdz，跳过（先加载指标演示数据）"]
    centre = centre_ensure(zone)
    staffing = _staffing(centre)
    calendar = zone_calendar(zone)
    written = 0
    if not Case.objects.filter(zone=zone).exists():
        today = timezone.localdate()
        batch = list(
            generate_cases(centre, calendar=calendar, first=FIRST_DAY, last=LAST_DAY, count=DEMO_CASES, today=today)
        )
        recent_first = today - timedelta(days=30)
        batch += list(
            generate_cases(
                centre,
                calendar=calendar,
                first=recent_first,
                last=today,
                count=RECENT_CASES,
                today=today,
                seed=13,
                start_number=5000,
                preferred_windows=list(Window.objects.filter(staff__username="window", service_zone__zone=zone)),
                still_waiting=0.5,
                late_share=0.2,
            )
        )
        written = cases_write(batch)
        audit_record(
            action="demo.service",
            summary=f"加载政务服务中心演示数据：事项 {len(centre.items)} 项、办件 {written} 件（示例数据）",
            detail={"zone": zone.code, "items": len(centre.items), "cases": written},
        )
    card = centre_scorecard(zone=zone, period=Period(2023, 1, 6))
    lines = [
        f"政务服务中心（示例数据）：事项 {len(centre.items)} 项、窗口 {len(centre.windows)} 个，新建办件 {written} 件",
        f"  2023年上半年：{centre_sentence(card)}",
        *staffing,
    ]
    return lines
