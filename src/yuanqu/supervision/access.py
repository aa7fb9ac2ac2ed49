"""Who may see and do what in supervision, asked the same way by the pages and the API.

督查人员 (supervisor) manage everything; leadership read everything (a 分管领导 is a leadership
user assigned to tasks, with a view of their own); department staff see and report on the
measures of the departments they are members of.
"""

from typing import Any

from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Department
from yuanqu.supervision.models import Measure

MANAGERS = (Role.SUPERVISOR,)
READERS = (Role.SUPERVISOR, Role.LEADERSHIP)
DEPARTMENT_STAFF = (Role.DEPARTMENT_STAFF,)
ANY_ROLE = (Role.SUPERVISOR, Role.LEADERSHIP, Role.DEPARTMENT_STAFF)
# The project-stage overdue list keeps the roles of the page it replaces.
OVERDUE_READERS = (Role.SUPERVISOR, Role.INVESTMENT_OFFICER, Role.LEADERSHIP)


def reads_all(user: Any) -> bool:
    return has_role(user, *READERS)


def manages(user: Any) -> bool:
    return has_role(user, *MANAGERS)


def department_ids(user: Any) -> set[int]:
    """The departments a staff member reports for (none without the department staff role)."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, *DEPARTMENT_STAFF):
        return set()
    cached: set[int] | None = getattr(user, "_supervision_departments", None)
    if cached is None:
        cached = set(Department.objects.filter(members=user).values_list("pk", flat=True))
        setattr(user, "_supervision_departments", cached)  # noqa: B010 (a per-request cache on the user object)
    return cached


def can_see(user: Any, measure: Measure) -> bool:
    return reads_all(user) or measure.department_id in department_ids(user)


def can_report(user: Any, measure: Measure) -> bool:
    return measure.department_id in department_ids(user) and measure.status != Measure.Status.DONE
