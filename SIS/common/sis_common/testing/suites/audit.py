"""The audit trail of a service: API and admin writes recorded with user and request ID, queried by role."""
from __future__ import annotations

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

from .resource import NON_STAFF_ROLES, Resource

GTID = re.compile(r"^\d+-\d+-\d+$")


def rid() -> str:
    return f"test-{uuid.uuid4().hex}"


def events_of(request_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.using("default").filter(request_id=request_id).order_by("id"))


class AuditSuite:
    """Subclass as `Test...` with `resource` set."""

    resource: Resource
    pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

    def test_each_api_write_is_recorded_with_user_role_request_and_object(self, client_for):
        resource = self.resource
        manager = client_for("admin", user_id=41)
        create_rid, patch_rid, retire_rid = rid(), rid(), rid()
        body = resource.body(name="Sur")
        created = manager.post(resource.list_path, body, format="json", HTTP_X_REQUEST_ID=create_rid)
        assert created.status_code == 201
        row_id = created.json()["id"]
        detail = f"{resource.list_path}{row_id}/"
        assert manager.patch(detail, {"name": "Sur 2"}, format="json", HTTP_X_REQUEST_ID=patch_rid).status_code == 200
        if resource.retire == "delete":
            assert manager.delete(detail, HTTP_X_REQUEST_ID=retire_rid).status_code == 204
        else:
            assert manager.patch(detail, {"is_active": False}, format="json",
                                 HTTP_X_REQUEST_ID=retire_rid).status_code == 200

        (create,), (patch,), (retire,) = events_of(create_rid), events_of(patch_rid), events_of(retire_rid)
        for event in (create, patch, retire):
            assert (event.source, event.service, event.user_id, event.role) == ("api", resource.slug, 41, "admin")
            assert event.object_id == str(row_id)
            assert GTID.match(event.gtid), event.gtid  # the change's transaction in the binary log
        assert (create.action, create.method, create.resource, create.status) == \
            ("create", "POST", resource.audit_resource, 201)
        assert create.summary[resource.key] == body[resource.key] and create.summary["name"] == "Sur"
        assert create.changes == body
        assert (patch.action, patch.resource, patch.changes, patch.summary["name"]) == \
            ("update", resource.audit_resource + "/{id}", {"name": "Sur 2"}, "Sur 2")
        if resource.retire == "delete":
            assert (retire.action, retire.status, retire.path) == ("delete", 204, detail)
        else:
            assert retire.changes == {"is_active": False}
        assert create.at <= patch.at <= retire.at

    def test_refused_and_read_requests_leave_no_row(self, client_for):
        resource = self.resource
        request_ids = [rid() for _ in range(4)]
        refused, admin = client_for(resource.refused_role, branches=[1]), client_for("admin")
        assert refused.post(resource.list_path, resource.body(), format="json",
                            HTTP_X_REQUEST_ID=request_ids[0]).status_code == 403
        assert admin.post(resource.list_path, resource.invalid_body, format="json",
                          HTTP_X_REQUEST_ID=request_ids[1]).status_code == 400
        assert admin.get(resource.list_path, HTTP_X_REQUEST_ID=request_ids[2]).status_code == 200
        assert APIClient().post(resource.list_path, resource.body(), format="json",
                                HTTP_X_REQUEST_ID=request_ids[3]).status_code == 401
        assert not AuditEvent.objects.using("default").filter(request_id__in=request_ids).exists()

    def test_secrets_in_a_request_body_are_redacted(self, client_for):
        request_id = rid()
        body = {**self.resource.body(name="Este"), "password": "hunter2", "api_token": "abc"}
        assert client_for("admin").post(self.resource.list_path, body, format="json",
                                        HTTP_X_REQUEST_ID=request_id).status_code == 201
        (event,) = events_of(request_id)
        assert event.changes["password"] == event.changes["api_token"] == "[redacted]"
        assert "hunter2" not in str(event.changes) + str(event.summary)

    def test_admins_and_auditors_query_the_trail_with_filters_others_are_refused(self, client_for):
        resource, trail = self.resource, self.resource.audit_path
        request_id = rid()
        body = resource.body(name="Oeste")
        key = body[resource.key]
        assert client_for("admin", user_id=77).post(resource.list_path, body, format="json",
                                                    HTTP_X_REQUEST_ID=request_id).status_code == 201
        for role in ("admin", "auditor"):
            answer = client_for(role).get(f"{trail}?request_id={request_id}")
            assert answer.status_code == 200, answer.content
            page = answer.json()
            assert set(page) >= {"results", "next", "previous"}
            (row,) = page["results"]
            assert (row["user_id"], row["role"], row["action"], row["summary"][resource.key]) == \
                (77, "admin", "create", key)
            assert client_for(role).get(f"{trail}{row['id']}/").json()["request_id"] == request_id
        by_user = client_for("auditor").get(
            f"{trail}?user_id=77&resource={resource.audit_resource}&method=POST").json()
        assert any(r["request_id"] == request_id for r in by_user["results"])
        assert all(r["user_id"] == 77 for r in by_user["results"])
        assert client_for("auditor").get(f"{trail}?user_id=78&request_id={request_id}").json()["results"] == []
        for role in NON_STAFF_ROLES:
            refused = client_for(role, branches=[1]).get(trail)
            assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        assert APIClient().get(trail).status_code == 401
        bad = client_for("auditor").get(f"{trail}?since=yesterday&user_id=x")
        assert bad.status_code == 400 and {"since", "user_id"} <= set(bad.json())
        # auditors read, never write the trail
        assert client_for("auditor").post(trail, {}, format="json").status_code in (403, 405)

    def test_admin_site_writes_are_recorded_with_what_the_admin_logged(self, admin_browser):
        resource = self.resource
        user = get_user_model().objects.create(username=f"root-{uuid.uuid4().hex[:8]}", is_staff=True,
                                               is_superuser=True)
        browser = admin_browser(user)
        body = resource.body(name=f"Desde admin {uuid.uuid4().hex[:6]}")
        admin_key = resource.admin_key or resource.key
        key, request_id = body[admin_key], rid()
        form = resource.admin_form(body)
        added = browser.post(f"{resource.admin_path}add/", form, HTTP_X_REQUEST_ID=request_id)
        assert added.status_code == 302, added.content[:500]
        (event,) = events_of(request_id)
        assert (event.source, event.action, event.username, event.role) == ("admin", "add", user.username, "admin")
        (entry,) = event.summary["entries"]
        assert entry["object"].startswith(key) and event.object_id == entry["object_id"]
        assert event.changes[admin_key] == key
        change_id = rid()
        changed = browser.post(f"{resource.admin_path}{event.object_id}/change/",
                               {**form, "name": "Renombrada"}, HTTP_X_REQUEST_ID=change_id)
        assert changed.status_code == 302
        (changed_event,) = events_of(change_id)
        assert (changed_event.action, changed_event.object_id) == ("change", event.object_id)
        # a form with errors is answered 200 and changed nothing: no row
        invalid = rid()
        assert browser.post(f"{resource.admin_path}add/", resource.admin_invalid,
                            HTTP_X_REQUEST_ID=invalid).status_code == 200
        assert events_of(invalid) == []

    def test_failovers_from_the_watchdog_log_become_audit_rows_once(self, client_for, settings, tmp_path):
        slug = self.resource.slug
        log_path = tmp_path / "watchdog-events.jsonl"
        settings.EWTTO_WATCHDOG_EVENTS = str(log_path)
        events = EventLog(log_path, echo=False)  # the watchdog's own writer
        marker = uuid.uuid4().hex
        events.emit("failover_completed", service=slug, level="warning", primary="127.0.0.1:3322",
                    previous="127.0.0.1:3321", seconds=1.4, marker=marker)
        events.emit("failover_completed", service=self.resource.other_slug, level="warning",
                    primary="127.0.0.1:3342", marker=marker)
        events.emit("armed", service=slug, primary="127.0.0.1:3322", marker=marker)
        operator = EventLog(log_path, actor="operator", echo=False)
        operator.emit("switchover_completed", service=slug, primary="127.0.0.1:3321", by="ana", marker=marker)
        auditor = client_for("auditor")
        watchdog_rows = f"{self.resource.audit_path}?source=watchdog&page_size=200"
        for _ in range(2):  # a second look imports nothing twice
            rows = [r for r in auditor.get(watchdog_rows).json()["results"] if r["summary"].get("marker") == marker]
            assert sorted(r["action"] for r in rows) == ["failover_completed", "switchover_completed"]
        by_action = {r["action"]: r for r in rows}
        failover = by_action["failover_completed"]
        assert (failover["username"], failover["role"], failover["object_id"]) == \
            ("watchdog", "watchdog", "127.0.0.1:3322")
        assert failover["summary"]["previous"] == "127.0.0.1:3321" and failover["resource"] == "database/pair"
        assert (by_action["switchover_completed"]["username"], by_action["switchover_completed"]["role"]) == \
            ("ana", "operator")

    def test_error_log_lines_carry_the_request_id(self, admin_client, caplog):
        # django.request logs a 4xx after the request's middleware has ended: the ID still reaches the line
        request_id = rid()
        missing = f"{self.resource.list_path}999999999/"
        assert admin_client.get(missing, HTTP_X_REQUEST_ID=request_id).status_code == 404
        (record,) = [r for r in caplog.records if r.name == "django.request"]
        assert RequestIDFilter().filter(record)  # what the stack's log handler applies before formatting
        line = json.loads(JsonFormatter(self.resource.slug).format(record))
        assert (line["request_id"], line["level"], line["status_code"]) == (request_id, "warning", 404)
