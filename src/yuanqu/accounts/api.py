from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from yuanqu.accounts.roles import Role, user_roles
from yuanqu.accounts.services import token_authenticate


class ApiTokenAuth(HttpBearer):
    """Machine clients: ``Authorization: Bearer yq_…`` (``yuanqu token create USERNAME``)."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# Token first: a request that carries a token is a machine client and needs no CSRF token.
# The browser's session cookie is checked with CSRF on unsafe methods.
API_AUTH = [ApiTokenAuth(), SessionAuth()]

router = Router(tags=["用户"])


class RoleOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="当前用户及其角色")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    roles = [RoleOut(code=role.value, name=str(role.label)) for role in Role if role in user_roles(user)]
    return MeOut(username=user.get_username(), display_name=user.get_full_name() or "", roles=roles)  # type: ignore[union-attr]
