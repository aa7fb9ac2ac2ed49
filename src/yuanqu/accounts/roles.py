"""The roles of the zone's staff and what each may see.

A role is a Django group whose name is the role's code, so the security administrator
manages role membership with ordinary tools. What a role may do is decided here, in one
place, and both the pages and the API ask the same questions.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as DjangoGroup
from django.contrib.auth.models import User as DjangoUser
from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADERSHIP = "leadership", _("领导")
    STATISTICIAN = "statistician", _("统计员")
    INVESTMENT_OFFICER = "investment_officer", _("招商专员")
    CHAIN_LEADER = "chain_leader", _("链长")
    SERVICE_STAFF = "service_staff", _("窗口人员")
    SERVICE_REVIEWER = "service_reviewer", _("审批人员")
    SERVICE_MANAGER = "service_manager", _("中心管理员")
    SUPERVISOR = "supervisor", _("督查人员")
    DEPARTMENT_STAFF = "department_staff", _("部门人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Business roles see aggregates (the scorecard, published figures). The three separated
# administrators (三员分立) manage the system and see no business data.
AGGREGATE_READERS = (
    Role.LEADERSHIP,
    Role.STATISTICIAN,
    Role.INVESTMENT_OFFICER,
    Role.CHAIN_LEADER,
    Role.SERVICE_STAFF,
    Role.SERVICE_REVIEWER,
    Role.SERVICE_MANAGER,
    Role.SUPERVISOR,
)
# Enterprise-level statistics are protected by law: only the statisticians see them.
ENTERPRISE_READERS = (Role.STATISTICIAN,)
IMPORTERS = (Role.STATISTICIAN,)
AUDIT_READERS = (Role.AUDIT_ADMIN,)
# 三员分立: the three administrators. An administrator holds exactly one of these roles and no
# business role; the security administrator grants business roles only.
ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
BUSINESS_ROLES = tuple(role for role in Role if role not in ADMINISTRATOR_ROLES)

User = AbstractBaseUser | AnonymousUser


def user_roles(user: User) -> set[Role]:
    """The roles of a user, read once per request object and cached on it."""
    if not user.is_authenticated:
        return set()
    cached: set[Role] | None = getattr(user, "_yuanqu_roles", None)
    if cached is None:
        codes = _group_names(user) if isinstance(user, DjangoUser) and user.pk is not None else set()
        cached = {role for role in Role if role.value in codes}
        setattr(user, "_yuanqu_roles", cached)  # noqa: B010 (a per-request cache on the user object)
    return cached


def _group_names(user: DjangoUser) -> set[str]:
    # Plain SQL: every signed-in page asks, and compiling the ORM query costs more than running it.
    # The same rows as user.groups.values_list("name").
    groups, membership = DjangoGroup._meta.db_table, DjangoUser.groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {groups} g JOIN {membership} ug ON ug.group_id = g.id WHERE ug.user_id = %s",
            [user.pk],
        )
        return {name for (name,) in cursor.fetchall()}


def has_role(user: User, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def role_labels(user: User) -> list[str]:
    return [str(role.label) for role in Role if role in user_roles(user)]


def role_label(code: str) -> str:
    """The Chinese name of a role group (its name is the role's code); other groups keep their name."""
    return str(Role(code).label) if code in Role.values else code


def is_administrator(user: User) -> bool:
    """One of the three administrators, or a superuser (who exists only for installation)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, *ADMINISTRATOR_ROLES)
