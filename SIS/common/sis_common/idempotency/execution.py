"""Run a write at most once per Idempotency-Key, replaying its first answer afterwards.

The record is inserted first, in the same transaction as the change, so a
concurrent duplicate finds the key locked and gets 409 at once, a later one
finds it committed and gets the first answer, and a crash leaves neither the
change nor the record. Business refusals (4xx raised by the handler) are
stored too, in a savepoint that undoes the handler's writes: the key then
always answers the same. Requests that fail validation before the handler
runs store nothing, so a corrected retry may reuse the key.
"""
from __future__ import annotations

import json
import logging
from typing import Callable

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from sis_common.errors import error_body
from sis_common.metrics.series import IDEMPOTENT_REPLAYS

from .contract import (
    HEADER, MAX_KEY_LENGTH, REPLAY_HEADER, fingerprint, in_progress, key_invalid, key_required, key_reused,
)
from .models import IdempotencyRecord

log = logging.getLogger(__name__)
LOCK_WAIT_TIMEOUT = 1205


def request_key(request, *, required: bool = True) -> str | None:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        if required:
            raise key_required()
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise key_invalid()
    return key


def answer_exists(*, scope: str, key: str | None) -> bool:
    """Whether `key` already has a committed answer (a request with it would be a replay or a 422)."""
    return bool(key) and IdempotencyRecord.objects.using("default").filter(scope=scope, key=key).exists()


def run_idempotent(*, key: str | None, scope: str, payload, handler: Callable[[], Response]) -> Response:
    """The handler's answer for a new key; the stored one for a repeated key."""
    if key is None:
        with transaction.atomic():
            return _answer(handler)
    digest = fingerprint(payload)
    try:
        with transaction.atomic():
            record = _claim(scope, key, digest)
            response = _answer(handler)
            _complete(record, response)
            return response
    except _Duplicate:
        return _replay(scope, key, digest)


class _Duplicate(Exception):
    """The key is already committed: answer with the stored response."""


def _claim(scope: str, key: str, digest: str) -> IdempotencyRecord:
    record = IdempotencyRecord(scope=scope, key=key, request_hash=digest, status_code=0, body="",
                               created_at=timezone.now())
    with connection.cursor() as cur:
        try:
            # zero lock wait: a duplicate of a request still running is told so at once
            cur.execute(
                "SET STATEMENT innodb_lock_wait_timeout=0 FOR INSERT INTO idempotency_idempotencyrecord "
                "(scope, `key`, request_hash, status_code, body, created_at) VALUES (%s, %s, %s, 0, '', %s)",
                [scope, key, digest, record.created_at],
            )
        except IntegrityError as exc:
            raise _Duplicate from exc
        except OperationalError as exc:
            if exc.args and exc.args[0] == LOCK_WAIT_TIMEOUT:
                raise in_progress() from exc
            raise
        record.pk = cur.lastrowid
    return record


def _answer(handler: Callable[[], Response]) -> Response:
    """Run the handler; a refusal it raises becomes a stored answer and undoes its writes."""
    try:
        with transaction.atomic():
            return handler()
    except APIException as exc:
        return Response(_error_body(exc), status=exc.status_code)


def _error_body(exc: APIException) -> dict:
    return error_body(exc)


def _complete(record: IdempotencyRecord, response: Response) -> None:
    body = JSONRenderer().render(response.data).decode()
    # written out as _claim is: every stock move and sale passes here, and the ORM's update cost more than its SQL
    with connection.cursor() as cur:
        cur.execute("UPDATE idempotency_idempotencyrecord SET status_code = %s, body = %s WHERE id = %s",
                    [response.status_code, body, record.pk])


def _replay(scope: str, key: str, digest: str) -> Response:
    record = IdempotencyRecord.objects.using("default").get(scope=scope, key=key)
    if record.request_hash != digest:
        raise key_reused()
    IDEMPOTENT_REPLAYS.inc()
    response = Response(json.loads(record.body), status=record.status_code)
    response[REPLAY_HEADER] = "true"
    return response
