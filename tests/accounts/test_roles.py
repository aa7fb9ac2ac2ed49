import pytest
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests import factories
from yuanqu.accounts.demo import DEMO_PASSWORD, DEMO_USERS, demo_load
from yuanqu.accounts.models import ApiToken
from yuanqu.accounts.roles import Role, has_role, user_roles
from yuanqu.core.models import AuditEntry
from yuanqu.core.services import audit_record

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrating() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_the_demo_has_one_user_per_role_and_loading_twice_changes_nothing() -> None:
    demo_load()
    demo_load()
    assert User.objects.count() == len(DEMO_USERS) == len(Role)
    for username, _, role in DEMO_USERS:
        assert user_roles(User.objects.get(username=username)) == {role}


def test_the_demo_password_passes_the_password_rules() -> None:
    for username, _, _ in DEMO_USERS:
        validate_password(DEMO_PASSWORD, User(username=username))


def test_the_demo_users_can_log_in() -> None:
    demo_load()
    response = Client().post("/accounts/login/", {"username": "leader", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_a_user_without_groups_has_no_role() -> None:
    assert not has_role(factories.an_outsider(), *Role)


def test_a_user_has_exactly_the_roles_of_their_groups() -> None:
    user = factories.person("persona-two-roles", "leadership", "statistician", "not-a-role")
    assert user_roles(User.objects.get(pk=user.pk)) == {Role.LEADERSHIP, Role.STATISTICIAN}


def test_a_signed_in_user_loses_access_at_the_next_request_when_a_role_is_removed() -> None:
    user = factories.an_audit_admin()
    client = factories.signed_in(user)
    assert client.get("/accounts/audit/").status_code == 200
    user.groups.clear()
    assert client.get("/accounts/audit/").status_code == 403
    user.groups.add(Group.objects.get(name=Role.AUDIT_ADMIN.value))
    assert client.get("/accounts/audit/").status_code == 200


def test_the_audit_log_is_for_the_audit_admin_only() -> None:
    audit_record(action="test.entry", summary="一条记录")
    auditor = factories.signed_in(factories.an_audit_admin())
    leader = factories.signed_in(factories.a_leader())
    response = auditor.get("/accounts/audit/")
    assert response.status_code == 200
    assert "一条记录" in response.content.decode()
    assert leader.get("/accounts/audit/").status_code == 403
    assert Client().get("/accounts/audit/").status_code == 302


def test_the_audit_log_filters_by_kind_of_action() -> None:
    audit_record(action="auth.login", summary="登录记录")
    audit_record(action="import.observations", summary="导入记录")
    client = factories.signed_in(factories.an_audit_admin())
    html = client.get("/accounts/audit/?action=import.").content.decode()
    assert "导入记录" in html and "登录记录" not in html


def test_audit_rows_cannot_be_changed_or_deleted() -> None:
    entry = audit_record(action="test.entry", summary="原文")
    entry.summary = "改动"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_a_token_is_stored_only_as_a_digest_and_its_creation_is_audited(capsys: pytest.CaptureFixture[str]) -> None:
    factories.a_statistician()
    call_command("token", "create", "persona-statistician", "--name", "报表系统")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert raw.startswith("yq_") and raw not in token.digest and token.digest == ApiToken.digest_of(raw)
    assert AuditEntry.objects.filter(action="token.create").exists()


def test_a_token_for_an_unknown_user_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody")


def test_the_side_navigation_follows_the_roles() -> None:
    client = Client()
    client.force_login(factories.a_statistician())
    nav = [item["label"] for item in client.get("/imports/").context["nav"]]
    assert nav[:4] == ["成绩单", "大屏", "企业明细", "数据导入"]
    client.force_login(factories.a_leader())
    response = client.get("/accounts/login/", follow=True)
    labels = [item["label"] for item in response.context["nav"]]
    assert "数据导入" not in labels and "企业明细" not in labels


def test_an_administrator_lands_on_their_own_tool_not_the_scorecard() -> None:
    demo_load()
    client = factories.signed_in(User.objects.get(username="auditor"))
    assert client.get("/")["Location"] == "/accounts/audit/"
    client = factories.signed_in(User.objects.get(username="sysadmin"))
    assert client.get("/")["Location"] == "/admin/auth/user/"


def test_the_system_admin_edits_accounts_but_not_roles() -> None:
    demo_load()
    client = factories.signed_in(User.objects.get(username="sysadmin"))
    leader = User.objects.get(username="leader")
    html = client.get(f"/admin/auth/user/{leader.pk}/change/").content.decode()
    assert 'name="first_name"' in html
    assert 'name="groups"' not in html and 'name="is_superuser"' not in html
    assert client.get("/admin/auth/group/").status_code == 403


def test_the_security_admin_assigns_roles_but_cannot_change_accounts() -> None:
    demo_load()
    client = factories.signed_in(User.objects.get(username="secadmin"))
    leader = User.objects.get(username="leader")
    html = client.get(f"/admin/auth/user/{leader.pk}/change/").content.decode()
    assert 'name="groups"' in html
    assert 'name="first_name"' not in html and 'name="is_superuser"' not in html
    assert client.get("/admin/auth/user/add/").status_code == 403


def test_the_audit_admin_cannot_reach_the_admin_site() -> None:
    demo_load()
    client = factories.signed_in(User.objects.get(username="auditor"))
    response = client.get("/admin/auth/user/", follow=True)
    assert response.status_code == 403 and "无权使用管理后台" in response.content.decode()
