"""The audit trail of servicio_clientes: API and admin writes recorded with user and request ID, queried by role."""
import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from sis_common.audit.models import AuditEvent
from sis_common.jsonlog import JsonFormatter
from sis_common.request_id import RequestIDFilter
from sis_common.watchdog_files import EventLog

from .builders import customer_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
GTID = re.compile(r"^\d+-\d+-\d+$")


def rid() -> str:
    return f"test-{uuid.uuid4().hex}"


def events_of(request_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.using("default").filter(request_id=request_id).order_by("id"))


def test_each_api_write_is_recorded_with_user_role_request_and_object(client_for):
    manager = client_for("admin", user_id=41)
    create_rid, patch_rid, delete_rid = rid(), rid(), rid()
    body = customer_body(name="Sur")
    created = manager.post("/api/customers/", body, format="json", HTTP_X_REQUEST_ID=create_rid)
    assert created.status_code == 201
    customer_id = created.json()["id"]
    assert manager.patch(f"/api/customers/{customer_id}/", {"name": "Sur 2"}, format="json",
                         HTTP_X_REQUEST_ID=patch_rid).status_code == 200
    assert manager.patch(f"/api/customers/{customer_id}/", {"is_active": False}, format="json",
                         HTTP_X_REQUEST_ID=delete_rid).status_code == 200

    (create,), (patch,), (deactivate,) = events_of(create_rid), events_of(patch_rid), events_of(delete_rid)
    for event in (create, patch, deactivate):
        assert (event.source, event.service, event.user_id, event.role) == ("api", "clientes", 41, "admin")
        assert event.object_id == str(customer_id)
        assert GTID.match(event.gtid), event.gtid  # the change's transaction in the binary log
    assert (create.action, create.method, create.resource, create.status) == ("create", "POST", "customers", 201)
    assert create.summary["doc_number"] == body["doc_number"] and create.summary["name"] == "Sur"
    assert create.changes == body
    assert (patch.action, patch.resource, patch.changes, patch.summary["name"]) == \
        ("update", "customers/{id}", {"name": "Sur 2"}, "Sur 2")
    assert deactivate.changes == {"is_active": False}
    assert create.at <= patch.at <= deactivate.at


def test_refused_and_read_requests_leave_no_row(client_for):
    request_ids = [rid() for _ in range(4)]
    warehouse, admin = client_for("warehouse", branches=[1]), client_for("admin")
    assert warehouse.post("/api/customers/", customer_body(), format="json",
                        HTTP_X_REQUEST_ID=request_ids[0]).status_code == 403
    assert admin.post("/api/customers/", {"doc_type": "dni", "name": "no number"}, format="json",
                      HTTP_X_REQUEST_ID=request_ids[1]).status_code == 400
    assert admin.get("/api/customers/", HTTP_X_REQUEST_ID=request_ids[2]).status_code == 200
    assert APIClient().post("/api/customers/", customer_body(), format="json",
                            HTTP_X_REQUEST_ID=request_ids[3]).status_code == 401
    assert not AuditEvent.objects.using("default").filter(request_id__in=request_ids).exists()


def test_secrets_in_a_request_body_are_redacted(client_for):
    request_id = rid()
    body = {**customer_body(name="Este"), "password": "hunter2", "api_token": "abc"}
    assert client_for("admin").post("/api/customers/", body, format="json",
                                    HTTP_X_REQUEST_ID=request_id).status_code == 201
    (event,) = events_of(request_id)
    assert event.changes["password"] == event.changes["api_token"] == "[redacted]"
    assert "hunter2" not in str(event.changes) + str(event.summary)


def test_admins_and_auditors_query_the_trail_with_filters_others_are_refused(client_for):
    request_id = rid()
    body = customer_body(name="Oeste")
    code = body["doc_number"]
    assert client_for("admin", user_id=77).post("/api/customers/", body, format="json",
                                                HTTP_X_REQUEST_ID=request_id).status_code == 201
    for role in ("admin", "auditor"):
        answer = client_for(role).get(f"/api/customers/audit/?request_id={request_id}")
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert set(body) >= {"results", "next", "previous"}
        (row,) = body["results"]
        assert (row["user_id"], row["role"], row["action"], row["summary"]["doc_number"]) == (77, "admin", "create", code)
        assert client_for(role).get(f"/api/customers/audit/{row['id']}/").json()["request_id"] == request_id
    by_user = client_for("auditor").get("/api/customers/audit/?user_id=77&resource=customers&method=POST").json()
    assert any(r["request_id"] == request_id for r in by_user["results"])
    assert all(r["user_id"] == 77 for r in by_user["results"])
    assert client_for("auditor").get("/api/customers/audit/?user_id=78&request_id=" + request_id).json()["results"] == []
    for role in ("manager", "cashier", "warehouse", "purchaser"):
        refused = client_for(role, branches=[1]).get("/api/customers/audit/")
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert APIClient().get("/api/customers/audit/").status_code == 401
    bad = client_for("auditor").get("/api/customers/audit/?since=yesterday&user_id=x")
    assert bad.status_code == 400 and {"since", "user_id"} <= set(bad.json())
    # auditors read, never write the trail
    assert client_for("auditor").post("/api/customers/audit/", {}, format="json").status_code in (403, 405)


def test_admin_site_writes_are_recorded_with_what_the_admin_logged(admin_browser):
    user = get_user_model().objects.create(username=f"root-{uuid.uuid4().hex[:8]}", is_staff=True,
                                           is_superuser=True)
    browser = admin_browser(user)
    # the document is the API's to set (checked by type there): the admin edits the rest
    name, request_id = f"Desde admin {uuid.uuid4().hex[:6]}", rid()
    form = {"name": name, "email": "", "phone": "", "address": "", "is_active": "on"}
    added = browser.post("/admin/clientes/customers/customer/add/", form, HTTP_X_REQUEST_ID=request_id)
    assert added.status_code == 302, added.content[:500]
    (event,) = events_of(request_id)
    assert (event.source, event.action, event.username, event.role) == ("admin", "add", user.username, "admin")
    (entry,) = event.summary["entries"]
    assert entry["object"] == name and event.object_id == entry["object_id"]
    assert event.changes["name"] == name
    change_id = rid()
    changed = browser.post(f"/admin/clientes/customers/customer/{event.object_id}/change/",
                           {**form, "name": "Renombrada"}, HTTP_X_REQUEST_ID=change_id)
    assert changed.status_code == 302
    (changed_event,) = events_of(change_id)
    assert (changed_event.action, changed_event.object_id) == ("change", event.object_id)
    # a form with errors is answered 200 and changed nothing: no row
    invalid = rid()
    assert browser.post("/admin/clientes/customers/customer/add/", {"name": ""},
                        HTTP_X_REQUEST_ID=invalid).status_code == 200
    assert events_of(invalid) == []


def test_failovers_from_the_watchdog_log_become_audit_rows_once(client_for, settings, tmp_path):
    log_path = tmp_path / "watchdog-events.jsonl"
    settings.EWTTO_WATCHDOG_EVENTS = str(log_path)
    events = EventLog(log_path, echo=False)  # the watchdog's own writer
    marker = uuid.uuid4().hex
    events.emit("failover_completed", service="clientes", level="warning", primary="127.0.0.1:3322",
                previous="127.0.0.1:3321", seconds=1.4, marker=marker)
    events.emit("failover_completed", service="ventas", level="warning", primary="127.0.0.1:3342", marker=marker)
    events.emit("armed", service="clientes", primary="127.0.0.1:3322", marker=marker)
    operator = EventLog(log_path, actor="operator", echo=False)
    operator.emit("switchover_completed", service="clientes", primary="127.0.0.1:3321", by="ana", marker=marker)
    auditor = client_for("auditor")
    for _ in range(2):  # a second look imports nothing twice
        rows = [r for r in auditor.get("/api/customers/audit/?source=watchdog&page_size=200").json()["results"]
                if r["summary"].get("marker") == marker]
        assert sorted(r["action"] for r in rows) == ["failover_completed", "switchover_completed"]
    by_action = {r["action"]: r for r in rows}
    failover = by_action["failover_completed"]
    assert (failover["username"], failover["role"], failover["object_id"]) == ("watchdog", "watchdog", "127.0.0.1:3322")
    assert failover["summary"]["previous"] == "127.0.0.1:3321" and failover["resource"] == "database/pair"
    assert (by_action["switchover_completed"]["username"], by_action["switchover_completed"]["role"]) == \
        ("ana", "operator")


def test_error_log_lines_carry_the_request_id(admin_client, caplog):
    # django.request logs a 4xx after the request's middleware has ended: the ID still reaches the line
    request_id = rid()
    assert admin_client.get("/api/customers/999999999/", HTTP_X_REQUEST_ID=request_id).status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert RequestIDFilter().filter(record)  # what the stack's log handler applies before formatting
    line = json.loads(JsonFormatter("clientes").format(record))
    assert (line["request_id"], line["level"], line["status_code"]) == (request_id, "warning", 404)
