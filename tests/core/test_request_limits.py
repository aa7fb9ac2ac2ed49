"""Bodies over the limit are refused from their Content-Length, before anything reads them."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from tests import factories
from yuanqu.accounts.services import token_create

pytestmark = pytest.mark.django_db

GIB = 1 << 30


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def post(client: Client, path: str, length: int, **headers: str) -> object:
    return client.post(
        path,
        data="",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},  # type: ignore[arg-type]
        **headers,
    )


def test_an_anonymous_gigabyte_post_to_the_login_is_refused_unread() -> None:
    response = post(Client(), "/accounts/login/", GIB)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "1024.0 MB" in response.content.decode()  # type: ignore[attr-defined]


def test_an_anonymous_body_over_the_small_limit_is_refused(settings: Settings) -> None:
    response = post(Client(), "/accounts/login/", 65 * 1024)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "未登录时请求内容不能超过 64 KB" in response.content.decode()  # type: ignore[attr-defined]


def test_an_anonymous_api_call_over_the_limit_gets_json() -> None:
    response = post(Client(), "/api/v1/imports/enterprise-monthly", 1024 * 1024)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "未登录" in response.json()["detail"]  # type: ignore[attr-defined]


def test_a_signed_in_user_may_send_an_import_file_but_not_more_than_the_limit(settings: Settings) -> None:
    client = factories.signed_in(factories.a_statistician())
    big = 10 * 1024 * 1024
    assert post(client, "/imports/", big).status_code != 413  # type: ignore[attr-defined]
    response = post(client, "/imports/", (settings.YUANQU_REQUEST_MAX_MB + 1) * 1024 * 1024)
    assert response.status_code == 413  # type: ignore[attr-defined]


def test_a_valid_api_token_counts_as_signed_in_and_a_wrong_one_does_not() -> None:
    _token, raw = token_create(user=factories.a_statistician())
    path = "/api/v1/me"
    assert post(Client(), path, 1024 * 1024, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code != 413  # type: ignore[attr-defined]
    assert post(Client(), path, 1024 * 1024, HTTP_AUTHORIZATION="Bearer yq_wrong").status_code == 413  # type: ignore[attr-defined]


def test_a_small_login_form_passes() -> None:
    factories.a_leader()
    response = Client().post("/accounts/login/", {"username": "persona-leader", "password": factories.PASSWORD})
    assert response.status_code == 302
