"""A request id on every request, response header and log record (structured JSON logs).

``RequestIDMiddleware`` takes a well-formed ``X-Request-ID`` from the proxy or makes one, stores it
for the duration of the request, and returns it in the response's ``X-Request-ID`` header.
``RequestIDFilter`` copies it onto every log record; ``JSONFormatter`` writes one JSON object a line.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def get_request_id():
    return _request_id.get()


class RequestIDMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            return response
        finally:
            _request_id.reset(token)


class RequestIDFilter(logging.Filter):
    def filter(self, record):
        record.request_id = get_request_id()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", get_request_id()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = request.path
            if hasattr(request, "META"):
                # The same client address as the rate limits and the login lockout.
                from .client_ip import client_key

                entry["client"] = client_key(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
