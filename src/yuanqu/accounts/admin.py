"""The administrators' tools, separated (三员分立).

The system administrator manages accounts (names, activation, passwords) but not roles;
the security administrator manages roles (group membership) and API tokens but cannot
create accounts or set passwords. Neither can make anyone a superuser.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from yuanqu.accounts.models import ApiToken
from yuanqu.accounts.roles import Role, has_role

ACCOUNT_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("个人信息", {"fields": ("first_name", "last_name", "email")}),
    ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
)
ROLE_FIELDSETS = (
    (None, {"fields": ("username", "first_name", "is_active")}),
    ("角色", {"fields": ("groups",)}),
)


class WorkspaceUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "is_active", "last_login")
    list_filter = ("is_active", "groups")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if has_role(request.user, Role.SECURITY_ADMIN):
            return ROLE_FIELDSETS
        return ACCOUNT_FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        if has_role(request.user, Role.SECURITY_ADMIN):
            return ("username", "first_name", "is_active")
        return ("last_login", "date_joined")


admin.site.unregister(User)
admin.site.register(User, WorkspaceUserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created with `yuanqu token create`, which shows the raw token once
