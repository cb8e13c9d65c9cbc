"""The database pair under a real project: replication, routing, causal reads, failover of roles."""
import re

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import Customer

from .builders import customer_body
from sis_common.mariadb import replication
from sis_common.mariadb.nodes import session

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
GTID = re.compile(r"^\d+-\d+-\d+$")


def create_customer(client, **extra):
    response = client.post("/api/customers/", customer_body(**extra), format="json")
    assert response.status_code == 201, response.content
    return response


def wait_replica_caught_up(pair):
    primary, replica = replication.current_roles(pair.spec)
    replication.wait_caught_up(pair.spec, primary, replica, timeout=10)


def test_row_written_through_project_appears_on_replica(admin_client, db_pair):
    customer_id = create_customer(admin_client).json()["id"]
    wait_replica_caught_up(db_pair)
    assert Customer.objects.using("replica").filter(pk=customer_id).exists()
    assert connections["replica"].node != connections["default"].node
    assert not connections["replica"].on_primary


def test_reads_go_to_replica_and_transactions_to_primary(admin_client):
    create_customer(admin_client)
    with CaptureQueriesContext(connections["replica"]) as replica_q, \
            CaptureQueriesContext(connections["default"]) as primary_q:
        assert admin_client.get("/api/customers/").status_code == 200
    assert any("customers_customer" in q["sql"] for q in replica_q.captured_queries)
    assert not any("customers_customer" in q["sql"] for q in primary_q.captured_queries)
    with transaction.atomic():
        assert Customer.objects.all().db == "default"
    assert Customer.objects.all().db == "replica"


def set_replica_delay(spec, replica, seconds: int) -> None:
    with session(replica, spec.admin) as cur:
        cur.execute("STOP SLAVE")
        cur.execute("CHANGE MASTER TO MASTER_DELAY = %s", (seconds,))
        cur.execute("START SLAVE")


def test_client_reads_its_own_write_while_replica_lags(admin_client, db_pair):
    # a delay under the lag bound: the replica stays in use but is behind
    primary, replica = replication.current_roles(db_pair.spec)
    set_replica_delay(db_pair.spec, replica, 3)
    try:
        created = create_customer(admin_client)
        token = created["X-Causal-Token"]
        assert token
        number = created.json()["doc_number"]
        # same client (token in cookie): sees it although the replica has not applied it
        assert any(s["doc_number"] == number for s in admin_client.get("/api/customers/?page_size=200").json()["results"])
        # a client without the token reads the lagging replica and does not see it yet
        stranger = admin_client.__class__()
        stranger.credentials(HTTP_AUTHORIZATION=admin_client._credentials["HTTP_AUTHORIZATION"])
        assert not any(s["doc_number"] == number for s in stranger.get("/api/customers/?page_size=200").json()["results"])
    finally:
        set_replica_delay(db_pair.spec, replica, 0)
    wait_replica_caught_up(db_pair)


def test_replica_down_reads_fall_back_to_primary(admin_client, db_pair):
    create_customer(admin_client)
    _, replica = replication.current_roles(db_pair.spec)
    index = db_pair.spec.nodes.index(replica)
    db_pair.stop_node(index, hard=True)
    try:
        statuses = [admin_client.get("/api/customers/").status_code for _ in range(20)]
        assert statuses == [200] * 20
        assert connections["replica"].on_primary
    finally:
        db_pair.start_node(index)
        replication.setup_pair(db_pair.spec)
    assert replication.probe(replica, db_pair.spec.admin).replication_healthy


def swap_roles(spec):
    old_primary, old_replica = replication.current_roles(spec)
    with session(old_primary, spec.admin) as cur:
        cur.execute("SET GLOBAL read_only = ON")
    replication.wait_caught_up(spec, old_primary, old_replica, timeout=10)
    with session(old_replica, spec.admin) as cur:
        cur.execute("STOP SLAVE")
        cur.execute("RESET SLAVE ALL")
        replication.make_writable(cur)
    with session(old_primary, spec.admin) as cur:
        replication.point_replica(cur, spec, old_replica)
    return old_replica


def test_writes_follow_swapped_roles_without_restart(admin_client, db_pair):
    create_customer(admin_client)
    new_primary = swap_roles(db_pair.spec)
    create_customer(admin_client)
    assert connections["default"].node == new_primary
    assert replication.current_roles(db_pair.spec)[0] == new_primary


def test_setup_replication_twice_leaves_pair_healthy(db_pair):
    first = replication.setup_pair(db_pair.spec)
    second = replication.setup_pair(db_pair.spec)
    assert first["primary"] == second["primary"]
    _, replica = replication.current_roles(db_pair.spec)
    assert replication.probe(replica, db_pair.spec.admin).replication_healthy


def test_a_forged_causal_token_costs_no_wait(admin_client, db_pair):
    # the attacker's classic: a GTID far ahead, which the replica would wait for in MASTER_GTID_WAIT
    create_customer(admin_client)
    wait_replica_caught_up(db_pair)
    admin_client.cookies.clear()
    forged = ["0-1-99999999999", "0-1-99999999999:1tZ:abc", "x" * 600]
    for token in forged:
        with CaptureQueriesContext(connections["replica"]) as replica_q, \
                CaptureQueriesContext(connections["default"]) as primary_q:
            answer = admin_client.get("/api/customers/", HTTP_X_CAUSAL_TOKEN=token)
        assert answer.status_code == 200
        sql = [q["sql"] for q in replica_q.captured_queries + primary_q.captured_queries]
        assert not any("MASTER_GTID_WAIT" in q for q in sql), token
        assert any("customers_customer" in q for q in (q["sql"] for q in replica_q.captured_queries)), token


def test_the_services_own_token_is_signed_and_waited_for(admin_client, db_pair):
    created = create_customer(admin_client)
    token = created["X-Causal-Token"]
    gtid, _, _ = token.partition(":")
    assert GTID.match(gtid) and token != gtid
    admin_client.cookies.clear()
    with CaptureQueriesContext(connections["replica"]) as replica_q:
        assert admin_client.get("/api/customers/", HTTP_X_CAUSAL_TOKEN=token).status_code == 200
    waits = [q["sql"] for q in replica_q.captured_queries if "MASTER_GTID_WAIT" in q["sql"]]
    assert len(waits) == 1 and gtid in waits[0]
    # the same GTID with another signature, or someone else's service's token, is just ignored
    with CaptureQueriesContext(connections["replica"]) as replica_q:
        admin_client.get("/api/customers/", HTTP_X_CAUSAL_TOKEN=gtid + ":" + token.split(":", 1)[1][::-1])
    assert not any("MASTER_GTID_WAIT" in q["sql"] for q in replica_q.captured_queries)


def test_a_valid_token_waits_at_most_the_bound(settings):
    from sis_common.db import router

    settings.DATABASES["replica"]["CAUSAL_WAIT_SECONDS"] = 30
    with CaptureQueriesContext(connections["replica"]) as replica_q:
        router.wait_for_gtid("0-1-99999999999")
    (wait,) = [q["sql"] for q in replica_q.captured_queries if "MASTER_GTID_WAIT" in q["sql"]]
    assert float(wait.rsplit(", ", 1)[1].rstrip(")")) == router.MAX_WAIT_SECONDS


def test_the_app_account_reads_and_writes_rows_but_cannot_change_the_schema(db_pair):
    import MySQLdb

    from sis_common.mariadb.nodes import connect

    primary, _ = replication.current_roles(db_pair.spec)
    conn = connect(primary, db_pair.spec.app, database=db_pair.spec.database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM customers_customer")
            for statement in ("CREATE TABLE stolen (id INT)", "ALTER TABLE customers_customer ADD COLUMN x INT",
                              "DROP TABLE customers_customer", "TRUNCATE TABLE customers_customer"):
                with pytest.raises(MySQLdb.OperationalError) as refused:
                    cur.execute(statement)
                assert refused.value.args[0] in (1142, 1044), statement  # command denied
    finally:
        conn.close()
