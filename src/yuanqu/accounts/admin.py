"""The administrators' tools, separated (三员分立).

The system administrator manages accounts (create, names, activation, a temporary password) of
users who are not administrators, and grants no role. The security administrator grants
business roles (never to itself or to an administrator), requires password resets, resets a
second factor, revokes API tokens and clears login lockouts; it sets no password. The auditor
has no admin site at all: it reads the audit log. What each may do is decided by the rules in
``yuanqu.accounts.services`` (``may_manage_account``, ``may_manage_security``), and every change
goes through a service that writes the audit row (who, what, before → after).
"""

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.accounts.access import client_ip
from yuanqu.accounts.models import ApiToken, LoginHistory, LoginLockout
from yuanqu.accounts.roles import BUSINESS_ROLES, Role, has_role, role_label, user_roles
from yuanqu.accounts.services import (
    AdministrationRefused,
    account_password_reset_require,
    account_password_set,
    account_roles_set,
    account_save,
    account_second_factor_reset,
    account_snapshot,
    lockout_clear,
    may_manage_account,
    may_manage_security,
    token_revoke,
)

ACCOUNT_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
    (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
)
ROLE_FIELDSETS = (
    (None, {"fields": ("username", "first_name", "is_active")}),
    (_("角色"), {"fields": ("groups",)}),
)


def _is_system_admin(request: HttpRequest) -> bool:
    return request.user.is_superuser or has_role(request.user, Role.SYSTEM_ADMIN)


def _is_security_admin(request: HttpRequest) -> bool:
    return request.user.is_superuser or has_role(request.user, Role.SECURITY_ADMIN)


class RoleGroupField(forms.ModelMultipleChoiceField):
    """Role groups by their Chinese names (a group's name is its role's code)."""

    def label_from_instance(self, obj: Any) -> str:
        return role_label(obj.name)


class RoleForm(forms.ModelForm):
    """What the security administrator edits: the user's business roles."""

    groups = RoleGroupField(
        label=_("角色"),
        queryset=Group.objects.filter(name__in=[role.value for role in BUSINESS_ROLES]).order_by("id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("管理员角色只能在服务器上设置；不能给自己或其他管理员分配角色。"),
    )

    class Meta:
        model = User
        fields = ("groups",)


class RoleFilter(admin.SimpleListFilter):
    title = _("角色")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(role.value, str(role.label)) for role in Role]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


class WorkspaceUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "roles", "is_active", "last_login")
    list_filter = ("is_active", RoleFilter)
    actions = ["require_password_reset", "reset_second_factor"]

    @admin.display(description=_("角色"))
    def roles(self, obj: User) -> str:
        return "、".join(str(role.label) for role in Role if role in user_roles(obj)) or "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    # -- who may do what ----------------------------------------------------------------------
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request) or _is_security_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        if has_role(request.user, Role.SECURITY_ADMIN):
            return may_manage_security(request.user, obj)
        return may_manage_account(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, never deleted: audit rows point at them

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not _is_security_admin(request):
            actions.pop("require_password_reset", None)
            actions.pop("reset_second_factor", None)
        return actions

    # -- the forms each administrator sees ------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self.add_fieldsets
        if has_role(request.user, Role.SECURITY_ADMIN):
            return ROLE_FIELDSETS
        return ACCOUNT_FIELDSETS

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None and not request.user.is_superuser and has_role(request.user, Role.SECURITY_ADMIN):
            kwargs["form"] = RoleForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        if has_role(request.user, Role.SECURITY_ADMIN):
            return ("username", "first_name", "is_active")
        return ("last_login", "date_joined")

    # -- every change through a service, with its audit row ----------------------------------------
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if isinstance(form, RoleForm):
            return  # the security administrator changes roles only (save_related)
        before = account_snapshot(User.objects.get(pk=obj.pk)) if change else None
        account_save(actor=request.user, user=obj, before=before, ip_address=client_ip(request))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if "groups" in form.cleaned_data:
            account_roles_set(
                actor=request.user,
                user=form.instance,
                roles=form.cleaned_data["groups"],
                ip_address=client_ip(request),
            )
        if "user_permissions" in form.cleaned_data:
            form.instance.user_permissions.set(form.cleaned_data["user_permissions"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        user = self.get_object(request, unquote(id))
        if user is not None and (not may_manage_account(request.user, user) or user.pk == request.user.pk):
            raise AdministrationRefused(gettext("只有系统管理员可以设置密码，且不能设置管理员的密码"))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and user is not None:
                account_password_set(actor=request.user, user=user, ip_address=client_ip(request))
        return response

    # -- the security administrator's actions ---------------------------------------------------------
    @admin.action(description=_("要求所选用户下次登录时修改密码"))
    def require_password_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = self._each(request, queryset, account_password_reset_require)
        self.message_user(
            request, ngettext("已要求 %(n)d 个用户重设密码。", "已要求 %(n)d 个用户重设密码。", done) % {"n": done}
        )

    @admin.action(description=_("重置所选用户的两步验证"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = self._each(request, queryset, account_second_factor_reset)
        self.message_user(
            request, ngettext("已重置 %(n)d 个用户的两步验证。", "已重置 %(n)d 个用户的两步验证。", done) % {"n": done}
        )

    def _each(self, request: HttpRequest, queryset: QuerySet[User], service: Any) -> int:
        done = 0
        for user in queryset:
            try:
                service(actor=request.user, user=user, ip_address=client_ip(request))
                done += 1
            except AdministrationRefused as refusal:
                self.message_user(request, f"{user.username}：{refusal}", level=messages.ERROR)
        return done


class RoleGroupAdmin(admin.ModelAdmin):
    """The roles, fixed by a migration: shown with their Chinese names, never edited here."""

    list_display = ("role", "name", "members")
    fields = ("role", "code", "members")
    readonly_fields = fields
    # The page's breadcrumb names the role in Chinese (templates/admin/auth/group/change_form.html).

    @admin.display(description=_("角色"))
    def role(self, obj: Group) -> str:
        return role_label(obj.name)

    @admin.display(description=_("角色代码"))
    def code(self, obj: Group) -> str:
        return obj.name

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        group = self.get_object(request, unquote(object_id))
        if group is not None:  # the title and heading say 领导, not "leadership"
            name = role_label(group.name)
            extra_context = {**(extra_context or {}), "title": gettext("查看角色"), "subtitle": name, "role_name": name}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("人数"))
    def members(self, obj: Group) -> int:
        return obj.user_set.count()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_security_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_security_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SecurityAdminOnly(admin.ModelAdmin):
    """Read-only lists for the security administrator; changes only through the actions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_security_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_security_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApiTokenAdmin(SecurityAdminOnly):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]  # tokens are created with `yuanqu token create`, which shows the raw token once

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = sum(
            token_revoke(actor=request.user, token=token, ip_address=client_ip(request))
            for token in queryset.select_related("user")
        )
        self.message_user(request, ngettext("已吊销 %(n)d 个令牌。", "已吊销 %(n)d 个令牌。", done) % {"n": done})


class LockoutAdmin(SecurityAdminOnly):
    """Failed-login counts (django-axes); clearing them lifts a lockout."""

    list_display = ("user_name", "address", "failures", "last_failure")
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "user_agent", "failures_since_start", "attempt_time", "path_info")
    readonly_fields = fields
    actions = ["clear"]

    @admin.display(description=_("用户名"), ordering="username")
    def user_name(self, obj: AccessAttempt) -> str:
        return obj.username or "—"

    @admin.display(description=_("来源地址"), ordering="ip_address")
    def address(self, obj: AccessAttempt) -> str:
        return obj.ip_address or "—"

    @admin.display(description=_("失败次数"), ordering="failures_since_start")
    def failures(self, obj: AccessAttempt) -> int:
        return int(obj.failures_since_start)

    @admin.display(description=_("最近一次失败"), ordering="attempt_time")
    def last_failure(self, obj: AccessAttempt) -> Any:
        return obj.attempt_time

    @admin.action(description=_("解除所选登录锁定"))
    def clear(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        done = lockout_clear(actor=request.user, attempts=queryset, ip_address=client_ip(request))
        self.message_user(
            request, ngettext("已解除 %(n)d 条锁定记录。", "已解除 %(n)d 条锁定记录。", done) % {"n": done}
        )


class LoginHistoryAdmin(SecurityAdminOnly):
    list_display = ("user_name", "address", "logged_in", "logged_out")
    search_fields = ("username", "ip_address")
    readonly_fields = ("username", "ip_address", "user_agent", "attempt_time", "logout_time", "path_info")
    fields = readonly_fields

    @admin.display(description=_("用户名"), ordering="username")
    def user_name(self, obj: AccessLog) -> str:
        return obj.username or "—"

    @admin.display(description=_("来源地址"), ordering="ip_address")
    def address(self, obj: AccessLog) -> str:
        return obj.ip_address or "—"

    @admin.display(description=_("登录时间"), ordering="attempt_time")
    def logged_in(self, obj: AccessLog) -> Any:
        return obj.attempt_time

    @admin.display(description=_("退出时间"), ordering="logout_time")
    def logged_out(self, obj: AccessLog) -> Any:
        return obj.logout_time


admin.site.unregister(User)
admin.site.register(User, WorkspaceUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
admin.site.register(ApiToken, ApiTokenAdmin)
admin.site.register(LoginLockout, LockoutAdmin)
admin.site.register(LoginHistory, LoginHistoryAdmin)
# The authenticator secrets and recovery codes are nobody's to read in the admin: the security
# administrator resets a user's second factor with the action above instead.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
