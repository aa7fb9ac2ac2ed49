"""Log expected refusals as one line, not a traceback."""

import logging

EXPECTED = {401, 403, 404, 405, 413}


class ExpectedRefusalFilter(logging.Filter):
    """Django logs a PermissionDenied (a 403 from a role check) with its traceback; a refusal is
    the system working, so it becomes one line: the status, the path, the user and the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in EXPECTED or record.exc_info is None:
            return True
        reason = record.exc_info[1]
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        record.msg = f"{record.getMessage()} user={who} reason={reason}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True
