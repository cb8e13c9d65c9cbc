"""A sale's audit event joined to its completion: it commits with the change or not at all, and is written once."""
import json
import uuid

import pytest
from django.db import transaction
from django.test import RequestFactory

from sis_common.audit import watch
from sis_common.audit.models import AuditEvent
from sis_common.audit.services import audit_event_join_change
from sis_common.auth.principal import Principal
from sis_common.auth.tokens import verify_access
from sis_common.testing.tokens import access_token

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BODY = {"branch": 1, "lines": [{"product": 1, "quantity": 2}], "payments": [{"method": "cash", "amount": "50.00"}]}


class Undone(Exception):
    pass


def watched_sale_request():
    request = RequestFactory().post("/api/sales/", json.dumps(BODY), content_type="application/json")
    request.user = Principal(verify_access(access_token(role="cashier", branches=[1], user_id=77)))
    request.request_id = f"join-{uuid.uuid4().hex}"
    return request


def events(request_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.using("default").filter(request_id=request_id))


def test_the_event_commits_with_the_change_or_not_at_all():
    request = watched_sale_request()
    token = watch.begin(request, request.body)
    try:
        with pytest.raises(Undone), transaction.atomic():
            assert audit_event_join_change(status=201, data={"id": 5, "status": "completed"}) is not None
            raise Undone  # the completion rolls back: its event with it
        assert events(request.request_id) == [] and not watch.current().recorded
        with transaction.atomic():
            audit_event_join_change(status=201, data={"id": 5, "status": "completed", "number": "S-000001"})
            assert not watch.current().recorded  # not before the change commits
        # a second call in the same request records nothing more
        assert audit_event_join_change(status=201, data={"id": 5}) is None
    finally:
        assert watch.end(token).recorded  # AuditMiddleware then writes no second event
    (event,) = events(request.request_id)
    assert (event.user_id, event.role, event.action, event.resource, event.status, event.object_id) == \
        (77, "cashier", "create", "sales", 201, "5")
    assert event.summary == {"id": 5, "status": "completed", "number": "S-000001"} and event.changes == BODY


def test_nothing_is_joined_outside_a_watched_write_request():
    # the reconciler, or a request AuditMiddleware leaves alone (a read, /internal/)
    with transaction.atomic():
        assert audit_event_join_change(status=201, data={"id": 6}) is None
