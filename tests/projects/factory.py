"""Small builders for the projects tests: a zone with its rules, projects, people."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from tests import factories
from yuanqu.core.models import Department, Place
from yuanqu.projects.models import STAGE_DATE_FIELDS, Category, Project, Stage
from yuanqu.projects.services import rules_ensure_defaults


def a_zone(code: str = "zone") -> Place:
    zone = Place.objects.create(code=code, name="测试开发区", short_name="测试区", level=Place.Level.ZONE)
    rules_ensure_defaults(zone=zone)
    return zone


def a_department(zone: Place, code: str = "investment-bureau", name: str = "招商局") -> Department:
    return Department.objects.create(code=code, name=name, zone=zone)


def an_officer(username: str, display_name: str) -> User:
    user = factories.person(username, "investment_officer")
    user.first_name = display_name
    user.save(update_fields=["first_name"])
    return user


def a_project(
    zone: Place,
    code: str,
    *,
    investment: str = "5",
    category: str = Category.ADVANCED_MANUFACTURING,
    reached: dict[str, date] | None = None,
    substantive_start_on: date | None = None,
    **fields: Any,
) -> Project:
    """A project written straight to the table, at the last stage of ``reached`` (for statistics)."""
    fields.setdefault("name", f"项目{code}")
    project = Project(
        zone=zone,
        code=code,
        investor="某投资方",
        category=category,
        total_investment_yi=Decimal(investment),
        stage=Stage.NEGOTIATING,
        stage_since=date(2023, 1, 1),
        substantive_start_on=substantive_start_on,
        **fields,
    )
    for stage, day in (reached or {}).items():
        setattr(project, STAGE_DATE_FIELDS[stage], day)
        project.stage, project.stage_since = stage, day
    if project.signed_on is not None:
        project.signed_investment_yi = project.total_investment_yi
    project.save()
    return project
