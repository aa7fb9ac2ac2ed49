"""Who may write, issue and read the work report; pages and API ask the same questions.

Statisticians write drafts (they hold the data behind every number). Issuing (签发) is the
leadership's act in an office, so leadership may issue as well as the statistician; they see
the draft without enterprise-level tables. Every reader of aggregates reads issued versions;
enterprise-level tables appear only for the roles that may see enterprise statistics.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from yuanqu.accounts.roles import AGGREGATE_READERS, ENTERPRISE_READERS, Role, has_role

User = AbstractBaseUser | AnonymousUser

REPORT_WRITERS = (Role.STATISTICIAN,)
REPORT_ISSUERS = (Role.STATISTICIAN, Role.LEADERSHIP)
REPORT_READERS = AGGREGATE_READERS


def sees_enterprise_tables(user: User) -> bool:
    return has_role(user, *ENTERPRISE_READERS)


def can_write(user: User) -> bool:
    return has_role(user, *REPORT_WRITERS)


def can_issue(user: User) -> bool:
    return has_role(user, *REPORT_ISSUERS)
