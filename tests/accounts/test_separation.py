"""三员分立: what each administrator may and may not do, and the audit row of every administrative action."""

from datetime import UTC, datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from yuanqu.accounts.demo import demo_load
from yuanqu.accounts.models import AccountSecurity
from yuanqu.accounts.roles import Role, user_roles
from yuanqu.accounts.services import token_create
from yuanqu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> None:
    demo_load()


def admin(username: str) -> Client:
    return factories.signed_in(User.objects.get(username=username))


def user(username: str) -> User:
    return User.objects.get(username=username)


def group(role: Role) -> int:
    return Group.objects.get(name=role.value).pk


def roles_of(username: str) -> set[Role]:
    return user_roles(User.objects.get(username=username))


def set_password(client: Client, target: User, password: str = "Temporary-Pass-2024") -> int:
    url = f"/admin/auth/user/{target.pk}/password/"
    data = {"password1": password, "password2": password, "usable_password": "true", "set-password": "1"}
    return client.post(url, data).status_code


# -- the security administrator -------------------------------------------------------------


def test_the_security_admin_sets_no_password(staff: None) -> None:
    leader = user("leader")
    before = leader.password
    client = admin("secadmin")
    assert client.get(f"/admin/auth/user/{leader.pk}/password/").status_code == 403
    assert set_password(client, leader) == 403
    assert user("leader").password == before


def test_the_security_admin_cannot_give_itself_a_role(staff: None) -> None:
    me = user("secadmin")
    client = admin("secadmin")
    assert 'name="groups"' not in client.get(f"/admin/auth/user/{me.pk}/change/").content.decode()  # view only
    response = client.post(f"/admin/auth/user/{me.pk}/change/", {"groups": [group(Role.STATISTICIAN)]})
    assert response.status_code == 403
    assert roles_of("secadmin") == {Role.SECURITY_ADMIN}


def test_the_security_admin_cannot_give_roles_to_another_administrator(staff: None) -> None:
    client = admin("secadmin")
    for name in ["sysadmin", "auditor"]:
        target = user(name)
        response = client.post(f"/admin/auth/user/{target.pk}/change/", {"groups": [group(Role.STATISTICIAN)]})
        assert response.status_code == 403
        assert Role.STATISTICIAN not in roles_of(name)


def test_the_security_admin_cannot_make_anyone_an_administrator(staff: None) -> None:
    leader = user("leader")
    client = admin("secadmin")
    response = client.post(f"/admin/auth/user/{leader.pk}/change/", {"groups": [group(Role.SECURITY_ADMIN)]})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert roles_of("leader") == {Role.LEADERSHIP}


def test_a_role_change_is_audited_with_before_and_after(staff: None) -> None:
    leader = user("leader")
    client = admin("secadmin")
    data = {"groups": [group(Role.LEADERSHIP), group(Role.STATISTICIAN)]}
    assert client.post(f"/admin/auth/user/{leader.pk}/change/", data).status_code == 302
    assert roles_of("leader") == {Role.LEADERSHIP, Role.STATISTICIAN}
    entry = AuditEntry.objects.get(action="admin.roles_change")
    assert entry.actor_name == "secadmin"
    assert entry.detail == {"user": "leader", "before": ["leadership"], "after": ["leadership", "statistician"]}
    assert "由「领导」调整为「领导、统计员」" in entry.summary


def test_the_roles_are_shown_in_chinese_in_the_admin(staff: None) -> None:
    client = admin("secadmin")
    html = client.get(f"/admin/auth/user/{user('leader').pk}/change/").content.decode()
    assert "统计员" in html and "链长" in html and ">statistician<" not in html
    assert "安全管理员" not in html  # administrator roles are not offered
    groups = client.get("/admin/auth/group/").content.decode()
    assert "审计管理员" in groups and "窗口人员" in groups
    users = client.get("/admin/auth/user/").content.decode()
    assert "领导" in users and "招商专员" in users
    index = client.get("/admin/").content.decode()
    assert "登录失败与锁定" in index and "登录记录" in index and "接口令牌" in index
    assert "Access attempts" not in index and "TOTP" not in index
    AccessAttempt.objects.create(
        username="leader", ip_address="10.0.0.9", user_agent="x", failures_since_start=3, get_data="", post_data=""
    )
    assert "失败次数" in client.get("/admin/accounts/loginlockout/").content.decode()


def test_a_role_and_a_login_read_in_chinese_on_their_admin_pages(staff: None) -> None:
    client = admin("secadmin")
    group = Group.objects.get(name=Role.LEADERSHIP.value)
    html = client.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    crumbs = html.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]
    assert "领导" in title and "leadership" not in title, title
    assert "领导" in crumbs and "leadership" not in crumbs and "Home" not in crumbs, crumbs
    assert "角色代码" in html  # the code is still there, under its own label
    moment = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai
    entry = AccessLog.objects.create(username="leader", ip_address="10.0.0.9", user_agent="x", attempt_time=moment)
    AccessLog.objects.filter(pk=entry.pk).update(attempt_time=moment)
    page = client.get(f"/admin/accounts/loginhistory/{entry.pk}/change/").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "leader 于 2026-12-01 14:30:00 登录" in title and "Access Log" not in page and "+00:00" not in title
    attempt = AccessAttempt.objects.create(
        username="leader", ip_address="10.0.0.9", user_agent="x", failures_since_start=3, get_data="", post_data=""
    )
    lockout = client.get(f"/admin/accounts/loginlockout/{attempt.pk}/change/").content.decode()
    assert "leader 登录失败3次" in lockout and "Attempted Access" not in lockout


def test_the_security_admin_forces_a_password_reset_and_the_user_must_change_it(staff: None) -> None:
    leader = user("leader")
    client = admin("secadmin")
    response = client.post("/admin/auth/user/", {"action": "require_password_reset", "_selected_action": [leader.pk]})
    assert response.status_code == 302
    assert AccountSecurity.objects.get(user=leader).password_change_required
    assert AuditEntry.objects.get(action="admin.password_reset_required").actor_name == "secadmin"
    browser = Client()
    login = browser.post("/accounts/login/", {"username": "leader", "password": "Yangzhou-Demo-2023"})
    assert login["Location"].startswith("/accounts/password/")
    assert browser.get("/chains/")["Location"].startswith("/accounts/password/")
    assert browser.get("/api/v1/me").status_code == 403


def test_the_security_admin_resets_a_second_factor_but_not_an_administrators(staff: None) -> None:
    leader, auditor = user("leader"), user("auditor")
    TOTPDevice.objects.create(user=leader, name="手机", confirmed=True)
    TOTPDevice.objects.create(user=auditor, name="手机", confirmed=True)
    client = admin("secadmin")
    client.post("/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [leader.pk, auditor.pk]})
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert TOTPDevice.objects.filter(user=auditor).exists()
    assert AuditEntry.objects.filter(action="admin.second_factor_reset").count() == 1


def test_revoking_a_token_and_clearing_a_lockout_are_audited(staff: None) -> None:
    token, _raw = token_create(user=user("statistician"), name="报表系统")
    AccessAttempt.objects.create(
        username="leader", ip_address="10.0.0.9", user_agent="x", failures_since_start=5, get_data="", post_data=""
    )
    client = admin("secadmin")
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="token.revoke").actor_name == "secadmin"
    attempt = AccessAttempt.objects.get()
    client.post("/admin/accounts/loginlockout/", {"action": "clear", "_selected_action": [attempt.pk]})
    assert not AccessAttempt.objects.exists()
    cleared = AuditEntry.objects.get(action="admin.lockout_clear")
    assert cleared.detail["username"] == "leader" and cleared.detail["failures_since_start"] == 5


def test_a_token_cannot_be_edited_directly(staff: None) -> None:
    token, _raw = token_create(user=user("statistician"))
    client = admin("secadmin")
    client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"revoked_at_0": "", "name": "x"})
    token.refresh_from_db()
    assert token.name == "" and token.revoked_at is None


# -- the system administrator ---------------------------------------------------------------


def test_the_system_admin_cannot_set_the_auditors_password_or_change_the_account(staff: None) -> None:
    auditor = user("auditor")
    before = auditor.password
    client = admin("sysadmin")
    assert set_password(client, auditor) == 403
    assert (
        client.post(f"/admin/auth/user/{auditor.pk}/change/", {"username": "auditor", "is_active": ""}).status_code
        == 403
    )
    auditor.refresh_from_db()
    assert auditor.password == before and auditor.is_active
    # and so cannot sign in as the auditor with a password it chose
    assert (
        Client().post("/accounts/login/", {"username": "auditor", "password": "Temporary-Pass-2024"}).status_code == 200
    )


def test_a_password_the_system_admin_sets_is_temporary_and_audited(staff: None) -> None:
    leader = user("leader")
    assert set_password(admin("sysadmin"), leader) == 302
    entry = AuditEntry.objects.get(action="admin.password_set")
    assert entry.actor_name == "sysadmin" and entry.detail == {"user": "leader"}
    assert "Temporary-Pass-2024" not in str(entry.detail) + entry.summary
    browser = Client()
    login = browser.post("/accounts/login/", {"username": "leader", "password": "Temporary-Pass-2024"})
    assert login["Location"].startswith("/accounts/password/")


def test_account_changes_by_the_system_admin_are_audited_with_before_and_after(staff: None) -> None:
    leader = user("leader")
    client = admin("sysadmin")
    data = {
        "username": "leader",
        "first_name": "王局长",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [group(Role.STATISTICIAN)],  # not a field of the system administrator's form
    }
    assert client.post(f"/admin/auth/user/{leader.pk}/change/", data).status_code == 302
    entry = AuditEntry.objects.get(action="admin.user_change")
    assert entry.detail == {"user": "leader", "changes": {"first_name": ["王主任", "王局长"]}}
    assert roles_of("leader") == {Role.LEADERSHIP}


def test_an_account_the_system_admin_creates_is_audited_and_has_no_role(staff: None) -> None:
    client = admin("sysadmin")
    data = {
        "username": "newcomer",
        "password1": "Newcomer-Pass-2024",
        "password2": "Newcomer-Pass-2024",
        "usable_password": "true",
    }
    assert client.post("/admin/auth/user/add/", data).status_code == 302
    newcomer = user("newcomer")
    assert user_roles(newcomer) == set() and not newcomer.is_staff and not newcomer.is_superuser
    assert AuditEntry.objects.get(action="admin.user_create").detail["user"] == "newcomer"
    assert AccountSecurity.objects.get(user=newcomer).password_change_required


def test_no_administrator_can_delete_an_account(staff: None) -> None:
    leader = user("leader")
    for name in ["sysadmin", "secadmin"]:
        assert admin(name).post(f"/admin/auth/user/{leader.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(username="leader").exists()


# -- the auditor and the server ----------------------------------------------------------------


def test_the_auditor_reads_the_administrators_rows(staff: None) -> None:
    set_password(admin("sysadmin"), user("leader"))
    html = admin("auditor").get("/accounts/audit/?action=admin.").content.decode()
    assert "设置用户密码" in html and "sysadmin" in html


def test_the_administrator_command_makes_an_administrator_with_a_temporary_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("administrator", "new-auditor", "audit_admin")
    output = capsys.readouterr().out
    created = user("new-auditor")
    assert user_roles(created) == {Role.AUDIT_ADMIN} and not created.is_staff
    password = output.strip().splitlines()[-1]
    assert created.check_password(password)
    assert AuditEntry.objects.get(action="admin.administrator_set").actor_name == "命令行"


def test_the_admin_sites_password_change_and_logout_are_the_workspaces(staff: None) -> None:
    client = admin("secadmin")
    assert "密码规则" in client.get("/admin/password_change/").content.decode()
    assert client.post("/admin/logout/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout", actor_name="secadmin").exists()
