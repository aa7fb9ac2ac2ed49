"""Small factory helpers for tests: places, indicators, observations, enterprise rows."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from yuanqu import uscc
from yuanqu.core.models import Place, Source
from yuanqu.indicators.importing import AMOUNT_FIELDS, EnterpriseRow
from yuanqu.indicators.models import EnterpriseField, Indicator, Observation, PriceBasis, Target
from yuanqu.indicators.services import enterprise_rows_import
from yuanqu.periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client


def city_with_districts(*codes: str) -> tuple[Place, list[Place]]:
    province = Place.objects.create(code="province", name="某省", level=Place.Level.PROVINCE)
    city = Place.objects.create(code="city", name="某市", level=Place.Level.CITY, parent=province)
    places = [
        Place.objects.create(code=code, name=f"{code}区", level=Place.Level.DISTRICT, parent=city, sort_order=index)
        for index, code in enumerate(codes)
    ]
    return city, places


def source(title: str = "测试来源") -> Source:
    return Source.objects.create(kind=Source.Kind.USER_ENTRY, title=title)


def observation(
    indicator: str,
    place: Place,
    period: str,
    *,
    value: str | None = None,
    growth: str | None = None,
    recorded_at: datetime | None = None,
    superseded_at: datetime | None = None,
    vintage: str = Observation.Vintage.FLASH,
) -> Observation:
    return Observation.objects.create(
        indicator=Indicator.objects.get(code=indicator),
        place=place,
        period=Period.parse(period).code,
        value=Decimal(value) if value is not None else None,
        growth_pct=Decimal(growth) if growth is not None else None,
        price_basis=PriceBasis.NOMINAL,
        vintage=vintage,
        source=source(),
        recorded_at=recorded_at or timezone.now(),
        superseded_at=superseded_at,
    )


def target(indicator: str, place: Place, year: int, **fields: object) -> Target:
    return Target.objects.create(
        indicator=Indicator.objects.get(code=indicator), place=place, year=year, source=source(), **fields
    )


def enterprise_code(number: int) -> str:
    return uscc.complete(f"9132100000000{number:04d}")


def month_row(
    number: int,
    year: int,
    month: int,
    *,
    sales_wan: str,
    above_scale: bool = True,
    industry: str = "C3841",
    name: str | None = None,
) -> EnterpriseRow:
    """One enterprise-month with its 工业开票销售 in 万元 (other amounts empty)."""
    amounts: dict[str, int | None] = dict.fromkeys(AMOUNT_FIELDS)
    amounts[EnterpriseField.INDUSTRIAL_INVOICED_SALES] = int(Decimal(sales_wan) * 10_000)
    return EnterpriseRow(
        row=0,
        uscc=enterprise_code(number),
        name=name or f"测试企业{number}",
        year=year,
        month=month,
        above_scale=above_scale,
        industry_code=industry,
        amounts=amounts,
    )


def import_rows(zone: Place, rows: list[EnterpriseRow]) -> None:
    enterprise_rows_import(rows=rows, zone=zone, file_name="测试数据")


# -- personas: users with the roles of the zone's staff ------------------------------------

PASSWORD = "Persona-Password-2023"


def person(username: str, *roles: str) -> "User":
    """A user with the given role codes (see yuanqu.accounts.roles.Role)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password=PASSWORD)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def a_leader() -> "User":
    return person("persona-leader", "leadership")


def a_statistician() -> "User":
    return person("persona-statistician", "statistician")


def an_investment_officer() -> "User":
    return person("persona-investment", "investment_officer")


def a_chain_leader() -> "User":
    return person("persona-chain", "chain_leader")


def a_window_clerk() -> "User":
    return person("persona-window", "service_staff")


def a_supervisor() -> "User":
    return person("persona-supervisor", "supervisor")


def an_audit_admin() -> "User":
    return person("persona-auditor", "audit_admin")


def an_outsider() -> "User":
    """Signed in, but with no role at all."""
    return person("persona-outsider")


def a_system_admin() -> "User":
    return person("persona-sysadmin", "system_admin")


def a_security_admin() -> "User":
    return person("persona-secadmin", "security_admin")


def signed_in(user: "User") -> "Client":
    """A test client logged in as ``user``, with the second factor given if the user needs one
    (the three administrators always do: yuanqu.accounts.middleware ends their sessions otherwise)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    second_factor_given(client, user)
    return client


def second_factor_given(client: "Client", user: "User") -> None:
    """Mark a test client's session as having passed the second factor with an authenticator."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yuanqu.accounts.services import second_factor_required

    if not second_factor_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def restore_migration_data() -> None:
    """What the data migrations create (the indicator catalogue, the role groups), which an
    earlier transactional test's flush may have removed."""
    from yuanqu.accounts.services import roles_ensure
    from yuanqu.indicators.catalogue import CATALOGUE
    from yuanqu.indicators.models import Indicator

    for entry in CATALOGUE:
        values = dict(entry)
        Indicator.objects.update_or_create(code=values.pop("code"), defaults=values)
    roles_ensure()
