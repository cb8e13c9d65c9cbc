"""JSON log lines, one object per line, with the service name and request ID."""
from __future__ import annotations

import json
import logging
import time

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str = "-"):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "service": self.service, "logger": record.name,
            "request_id": getattr(record, "request_id", "-"), "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(service: str, level: str = "INFO") -> dict:
    """A LOGGING dict for Django: JSON to stderr, request ID on every line."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "sis_common.request_id.RequestIDFilter"}},
        "formatters": {"json": {"()": "sis_common.jsonlog.JsonFormatter", "service": service}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
