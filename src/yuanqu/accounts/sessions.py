"""Database sessions with an idle timeout that costs no write on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` keeps an idle timeout by writing the session row on
every request. Here a request writes it only when that would move the stored expiry by more
than a minute (or a tenth of the timeout, if that is shorter): an active user's session is still
pushed forward at least that often, and an idle session still ends ``SESSION_COOKIE_AGE`` after
the last write. So a session ends at most that minute before ``SESSION_COOKIE_AGE`` has passed
since the user's last request, never after. The cookie is sent again with each write, so its
lifetime moves with the row's.

Settings: ``SESSION_ENGINE = "yuanqu.accounts.sessions"``, this module's ``SessionMiddleware`` in
place of Django's, and ``SESSION_SAVE_EVERY_REQUEST = False``.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse

REFRESH = timedelta(seconds=60)


def refresh_interval(timeout_seconds: int) -> timedelta:
    """How far the stored expiry may lag behind: a minute, at most a tenth of the timeout."""
    return min(REFRESH, timedelta(seconds=timeout_seconds / 10))


class SessionStore(db.SessionStore):
    """Django's database store that remembers the expiry of the row it loaded."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()  # type: ignore[misc]
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    async def _aget_session_from_db(self) -> Any:
        row = await super()._aget_session_from_db()  # type: ignore[misc]
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    def expiry_is_due(self) -> bool:
        """Whether saving now would move the stored expiry forward by more than ``refresh_interval``.

        Loads the session if the request has not (a save would have loaded it as well). False for
        a session that does not exist (any more): the middleware then deletes its cookie.
        """
        due = self.get_expiry_date()
        if self.is_empty():
            return False
        lag = refresh_interval(self.get_session_cookie_age())
        return self.stored_expiry is None or due - self.stored_expiry > lag


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, which also saves a session whose expiry is due to move."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and not session.modified and not session.is_empty():
            accessed = session.accessed  # checking the expiry is not the view's use of the session
            if session.expiry_is_due():
                session.modified = True
            session.accessed = accessed
        return super().process_response(request, response)
