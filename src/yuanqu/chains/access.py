"""Who may see and do what on the chain workbench; pages and API ask the same questions.

Everyone who reads aggregates may open the chains, their maps, gaps, programmes and
requests. Enterprise-level figures (each enterprise's output) are protected statistics:
statisticians see them for every chain, a 链长 for the chains they lead, nobody else.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from yuanqu.accounts.roles import ENTERPRISE_READERS, Role, has_role
from yuanqu.chains.models import Chain, EnterpriseRequest

User = AbstractBaseUser | AnonymousUser

CHAIN_READERS = (
    Role.LEADERSHIP,
    Role.STATISTICIAN,
    Role.INVESTMENT_OFFICER,
    Role.CHAIN_LEADER,
    Role.SUPERVISOR,
)


def leads(user: User, chain: Chain) -> bool:
    return has_role(user, Role.CHAIN_LEADER) and chain.leader_id is not None and chain.leader_id == user.pk


def can_see_enterprises(user: User, chain: Chain) -> bool:
    return has_role(user, *ENTERPRISE_READERS) or leads(user, chain)


def can_handle_requests(user: User, chain: Chain) -> bool:
    """Record, assign and close requests: the chain's own 链长 (and their office's account)."""
    return leads(user, chain)


def can_reply(user: User, request: EnterpriseRequest) -> bool:
    """Reply: the 链长, or a member of the department the request was assigned to."""
    if can_handle_requests(user, request.chain):
        return True
    if request.department is None or user.pk is None or not has_role(user, *CHAIN_READERS):
        return False
    return request.department.members.filter(pk=user.pk).exists()
