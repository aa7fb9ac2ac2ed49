"""Who may see and do what in the service centre; pages, API and exports ask the same questions.

- 窗口人员 see the cases of the windows they staff, and handle them at the window.
- 审批人员 see the cases of the departments they belong to, and review and decide them.
- 中心管理员 keep the catalogue, the windows and the calendar, and see every case of the zone,
  with the applicants' personal data masked except on a 差评 they must follow up.
- Leadership see aggregates only: the dashboard and the scorecard, never a case.

Personal data of an applicant (a person's name and ID number, any contact name and phone) is
shown to the roles handling the case and masked for everyone else, on pages, in the API and in
exports. An enterprise's name and 统一社会信用代码 are public registry data and are not masked.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Place
from yuanqu.service import identity
from yuanqu.service.models import BAD_RATINGS, ApplicantKind, Case, CaseQuerySet, Window

CLERKS = (Role.SERVICE_STAFF,)
REVIEWERS = (Role.SERVICE_REVIEWER,)
MANAGERS = (Role.SERVICE_MANAGER,)
CASE_READERS = (Role.SERVICE_STAFF, Role.SERVICE_REVIEWER, Role.SERVICE_MANAGER)
DASHBOARD_READERS = (Role.SERVICE_MANAGER, Role.LEADERSHIP)
CATALOGUE_READERS = (Role.SERVICE_STAFF, Role.SERVICE_REVIEWER, Role.SERVICE_MANAGER, Role.LEADERSHIP)
SERVICE_ROLES = (Role.SERVICE_STAFF, Role.SERVICE_REVIEWER, Role.SERVICE_MANAGER, Role.LEADERSHIP)


@dataclass(frozen=True)
class Viewer:
    """A user's reach in the centre, read once per request (two queries)."""

    user: Any
    window_ids: frozenset[int] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    is_clerk: bool = False
    is_reviewer: bool = False
    is_manager: bool = False

    @property
    def handles_cases(self) -> bool:
        return self.is_clerk or self.is_reviewer or self.is_manager

    def cases(self, zone: Place) -> CaseQuerySet:
        """The cases of a zone this viewer may open (none for leadership: aggregates only)."""
        cases = Case.objects.in_zone(zone)
        if self.is_manager:
            return cases
        if not (self.window_ids or self.department_ids):
            return cases.none()
        from django.db.models import Q

        reach = Q(pk__in=[])
        if self.window_ids:
            reach |= Q(window_id__in=self.window_ids)
        if self.department_ids:
            reach |= Q(department_id__in=self.department_ids)
        return cases.filter(reach)

    def can_open(self, case: Case) -> bool:
        return self.is_manager or self.at_window(case) or self.in_department(case)

    def at_window(self, case: Case) -> bool:
        """The case was accepted at one of this clerk's windows."""
        return self.is_clerk and case.window_id in self.window_ids

    def in_department(self, case: Case) -> bool:
        """The case belongs to one of this reviewer's departments."""
        return self.is_reviewer and case.department_id in self.department_ids

    def sees_personal_data(self, case: Case, *, bad_rating: bool = False) -> bool:
        """The roles handling the case; the manager only on a 差评 to follow up."""
        return self.at_window(case) or self.in_department(case) or (self.is_manager and bad_rating)


def viewer_of(user: Any) -> Viewer:
    if not isinstance(user, User) or user.pk is None:
        return Viewer(user=user)
    is_clerk = has_role(user, *CLERKS)
    is_reviewer = has_role(user, *REVIEWERS)
    windows = frozenset(Window.objects.filter(staff=user).values_list("pk", flat=True)) if is_clerk else frozenset()
    departments = frozenset(user.departments.values_list("pk", flat=True)) if is_reviewer else frozenset()
    return Viewer(
        user=user,
        window_ids=windows,
        department_ids=departments,
        is_clerk=is_clerk,
        is_reviewer=is_reviewer,
        is_manager=has_role(user, *MANAGERS),
    )


@dataclass(frozen=True)
class Applicant:
    """An applicant as a viewer may see it."""

    kind: str
    kind_label: str
    name: str
    code: str
    contact_name: str
    contact_phone: str
    masked: bool


def applicant_of(case: Case, viewer: Viewer, *, bad_rating: bool | None = None) -> Applicant:
    if bad_rating is None:
        evaluation = getattr(case, "evaluation", None) if _evaluation_loaded(case) else None
        bad_rating = evaluation is not None and evaluation.rating in BAD_RATINGS
    visible = viewer.sees_personal_data(case, bad_rating=bad_rating)
    person = case.applicant_kind == ApplicantKind.PERSON
    if visible:
        name, code = case.applicant_name, case.applicant_code
        contact_name, phone = case.contact_name, case.contact_phone
    else:
        name = identity.mask_name(case.applicant_name) if person else case.applicant_name
        code = identity.mask_id_number(case.applicant_code) if person else case.applicant_code
        contact_name, phone = identity.mask_name(case.contact_name), identity.mask_phone(case.contact_phone)
    return Applicant(
        kind=case.applicant_kind,
        kind_label=str(ApplicantKind(case.applicant_kind).label),
        name=name,
        code=code,
        contact_name=contact_name,
        contact_phone=phone,
        masked=not visible,
    )


def _evaluation_loaded(case: Case) -> bool:
    # Only when the caller selected it: a list of cases must not query once per row.
    return "evaluation" in case._state.fields_cache
