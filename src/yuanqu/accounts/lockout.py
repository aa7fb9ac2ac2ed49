"""Login lockout with three counts (django-axes' database handler, with its own limits per count).

- one user name from one address: ``YUANQU_LOGIN_FAILURE_LIMIT`` (5) failures;
- one user name from any number of addresses: ``YUANQU_LOGIN_FAILURE_LIMIT_PER_USER`` (10), so
  spreading guesses over many addresses does not help;
- one address for any number of user names: ``YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS`` (20), so
  trying a password on many accounts does not help either.

The counts are those of ``AXES_LOCKOUT_PARAMETERS``, in that order. Wrong second-factor codes
count as failures too (the login view reports them to axes). A successful login forgives only
the failures of that user name from that address: the other counts keep what others did.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def lockout_limits() -> list[int]:
    return [
        settings.AXES_FAILURE_LIMIT,
        settings.YUANQU_LOGIN_FAILURE_LIMIT_PER_USER,
        settings.YUANQU_LOGIN_FAILURE_LIMIT_PER_ADDRESS,
    ]


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The pair's count, or the pair's limit as soon as any of the three counts reached its own."""
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if any(count >= limit for count, limit in zip(counts, lockout_limits(), strict=False)):
            return max(settings.AXES_FAILURE_LIMIT, counts[0])
        return int(counts[0])

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _by_model = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return int(count)
