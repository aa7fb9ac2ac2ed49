"""A small service centre for tests: two departments, two service zones, three windows, four items."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from tests import factories
from yuanqu import uscc
from yuanqu.core.models import Department, Place
from yuanqu.service.identity import id_complete
from yuanqu.service.models import Item, ItemCategory, ItemKind, Presence, ServiceZone, Window
from yuanqu.service.services import ApplicantIn

ENTERPRISE_CODE = uscc.complete("91321091MA1T00001")
PERSON_CODE = id_complete("32100219900101123")


@dataclass
class Centre:
    zone: Place
    market: Department
    police: Department
    enterprise_zone: ServiceZone
    police_zone: ServiceZone
    any_window: Window  # 综合窗口 of the enterprise zone
    market_window: Window  # 市场监管 专窗 of the enterprise zone
    police_window: Window  # 公安 专窗 of the police zone
    food: Item  # 食品经营许可, 市场监管, 承诺 3 / 法定 20, window
    company: Item  # 公司设立登记, 市场监管, 承诺 1 / 法定 15, any window
    seal: Item  # 印章刻制备案, 公安, 即办件
    blasting: Item  # 爆破作业单位许可, 公安, 经批准不进驻


def a_centre(code: str = "yz-etdz") -> Centre:
    zone = Place.objects.create(code=code, name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE)
    market = Department.objects.create(code=f"{code}-market", name="市场监督管理局", zone=zone)
    police = Department.objects.create(code=f"{code}-police", name="公安分局", zone=zone)
    enterprise_zone = ServiceZone.objects.create(zone=zone, code="enterprise", name="企业开办专区", sort_order=1)
    police_zone = ServiceZone.objects.create(zone=zone, code="police", name="公安专区", sort_order=2)
    any_window = Window.objects.create(service_zone=enterprise_zone, number="A01", kind=Window.Kind.COMPREHENSIVE)
    market_window = Window.objects.create(
        service_zone=enterprise_zone, number="A02", kind=Window.Kind.DEDICATED, department=market
    )
    police_window = Window.objects.create(
        service_zone=police_zone, number="F01", kind=Window.Kind.DEDICATED, department=police
    )

    def item(code: str, name: str, department: Department, legal: int, promised: int, **fields: object) -> Item:
        values: dict[str, object] = {
            "category": ItemCategory.LICENSING,
            "kind": ItemKind.PROMISED,
            "presence": Presence.WINDOW,
            "service_zone": enterprise_zone,
            "materials": ["申请表", "营业执照"],
        }
        values.update(fields)
        return Item.objects.create(
            zone=zone,
            code=code,
            name=name,
            department=department,
            legal_limit_days=legal,
            promised_limit_days=promised,
            **values,
        )

    return Centre(
        zone=zone,
        market=market,
        police=police,
        enterprise_zone=enterprise_zone,
        police_zone=police_zone,
        any_window=any_window,
        market_window=market_window,
        police_window=police_window,
        food=item("T-001", "食品经营许可", market, 20, 3),
        company=item("T-002", "有限责任公司设立登记", market, 15, 1, presence=Presence.ANY_WINDOW),
        seal=item(
            "T-003",
            "印章刻制备案",
            police,
            1,
            0,
            category=ItemCategory.OTHER_POWER,
            kind=ItemKind.IMMEDIATE,
            service_zone=police_zone,
            materials=["营业执照"],
        ),
        blasting=item(
            "T-004",
            "爆破作业单位许可证核发",
            police,
            20,
            20,
            presence=Presence.EXEMPT,
            service_zone=None,
            exemption_document="扬开管发〔2023〕7号",
            exemption_approved_on=date(2023, 1, 10),
        ),
    )


def a_clerk(centre: Centre, *windows: Window, username: str = "persona-window") -> User:
    user = factories.person(username, "service_staff")
    for window in windows or (centre.any_window,):
        window.staff.add(user)
    return user


def a_reviewer(department: Department, username: str = "persona-reviewer") -> User:
    user = factories.person(username, "service_reviewer")
    department.members.add(user)
    return user


def a_manager(username: str = "persona-centre") -> User:
    return factories.person(username, "service_manager")


def an_enterprise(name: str = "扬州运河新能源科技有限公司") -> ApplicantIn:
    return ApplicantIn(
        kind="enterprise", name=name, code=ENTERPRISE_CODE, contact_phone="13812345678", contact_name="张三"
    )


def a_person(name: str = "李四") -> ApplicantIn:
    return ApplicantIn(kind="person", name=name, code=PERSON_CODE, contact_phone="13912345678")
