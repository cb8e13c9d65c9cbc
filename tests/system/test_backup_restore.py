"""Backups and restores of the running stack: the operator's drill with bin/backup and bin/restore, and two
services restored to one moment under a sales load agreeing with each other."""
import random
import shutil
import subprocess
import threading
from pathlib import Path

import MySQLdb.cursors

from ops_support import cli, next_second
from sales_support import api, create_branch, create_product, new_key, replicas_caught_up, wait_for
from sis_common.mariadb import replication
from sis_common.mariadb.nodes import connect
from sis_common.testing.pair import scratch_dir
from sis_ops import backup_dump, backup_sets, restore, scratchpair


def codes_in(client_file: Path, codes: list[str]) -> set[str]:
    listed = ",".join(f"'{c}'" for c in codes)
    answer = subprocess.run(["mariadb", f"--defaults-file={client_file}", "-N", "-e",
                             f"SELECT code FROM branches_branch WHERE code IN ({listed})"],
                            capture_output=True, text=True, check=True)
    return set(answer.stdout.split())


def test_the_restore_drill_with_the_command_line(stack, tmp_path):
    admin = api(stack, role="admin")
    first = create_branch(admin)["code"]
    taken = cli(stack, "backup", "sucursales")
    assert taken.returncode == 0, taken.stderr
    checked = cli(stack, "backup", "--list", "--verify", "sucursales")
    assert checked.returncode == 0 and " OK" in checked.stdout, checked.stdout + checked.stderr
    kept = create_branch(admin)["code"]
    moment = next_second().strftime("%Y-%m-%dT%H:%M:%SZ")
    lost = create_branch(admin)["code"]

    dry = cli(stack, "restore", "sucursales", "--at", moment, "--dry-run")
    assert dry.returncode == 0 and "dry run: nothing changed" in dry.stdout, dry.stdout + dry.stderr
    into = stack.var / "restore" / "drill"
    fresh = cli(stack, "restore", "sucursales", "--at", moment, "--into", str(into))
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert codes_in(into / "client.cnf", [first, kept, lost]) == {first, kept}
    assert cli(stack, "restore", "--discard", str(into)).returncode == 0
    assert not into.exists()

    damaged_root = tmp_path / "copy"
    shutil.copytree(stack.var / "backups", damaged_root)
    newest = backup_sets.list_sets(damaged_root, "sucursales")[-1].path / backup_sets.DUMP
    data = bytearray(newest.read_bytes())
    data[len(data) // 3] ^= 0xFF
    newest.write_bytes(bytes(data))
    refused = cli(stack, "restore", "sucursales", "--latest", "--dest", str(damaged_root), "--dry-run")
    assert refused.returncode == 2 and "RESTORE REFUSED" in refused.stderr and "sha256" in refused.stderr

    in_place = cli(stack, "restore", "sucursales", "--latest", "--in-place", "--yes")
    assert in_place.returncode == 0, in_place.stdout + in_place.stderr
    assert "service health: ok" in in_place.stdout
    replicas_caught_up(stack, ("sucursales",))
    listed = {b["code"] for b in admin.ok("get", "/api/branches/", page_size=200, search="")["results"]}
    assert {first, kept, lost} <= listed
    spec = stack.pair_spec("sucursales")
    _, replica = replication.current_roles(spec)
    assert replication.probe(replica, spec.admin).replication_healthy


def sell(cashier, branch: int, products: list[int], stop: threading.Event, sold: list, seed: int) -> None:
    pick = random.Random(seed)
    while not stop.is_set():
        lines = [{"product": p, "quantity": pick.randint(1, 3)} for p in pick.sample(products, pick.randint(1, 2))]
        answer = cashier.post("/api/sales/", {"branch": branch, "lines": lines,
                                              "payments": [{"method": "cash", "amount": "100.00"}]},
                              key=new_key("pitr"))
        if answer.status_code == 201:
            sold.append(answer.json()["id"])


def restored_copy(stack, slug: str, root: Path, moment, made: list) -> scratchpair.ScratchPair:
    spec = stack.pair_spec(slug)
    chosen = restore.choose_backup(root, slug, moment)
    with restore.scratch_workdir() as workdir:
        plan = restore.plan(service=slug, backup=chosen, at=moment, source=spec, target="fresh",
                            workdir=Path(workdir))
        copy = scratchpair.create(scratch_dir(f"ewtto-pitr-{slug}-") / "pair", spec, detached=False)
        made.append(copy)
        restore.load_pair(copy.spec, copy.spec.nodes[0], chosen, plan.events)
    return copy


def query(copy: scratchpair.ScratchPair, sql: str) -> list[dict]:
    conn = connect(copy.spec.nodes[0], copy.spec.reader, timeout=10, database=copy.spec.database)
    try:
        cur = conn.cursor(MySQLdb.cursors.DictCursor)
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        conn.close()


def test_services_restored_to_one_moment_agree_every_completed_sale_has_its_ledger_rows(stack, tmp_path):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    products = [create_product(admin, "2.00", 100000, branch) for _ in range(3)]
    cashier = api(stack, role="cashier", branches=[branch], user_id=611)
    stop, sold = threading.Event(), []
    sellers = [threading.Thread(target=sell, args=(cashier, branch, products, stop, sold, seed)) for seed in (1, 2)]
    root, made = tmp_path / "backups", []
    for seller in sellers:
        seller.start()
    try:
        assert wait_for(lambda: len(sold) >= 10, timeout=60)
        for slug in ("inventario", "ventas"):  # one after the other, while sales go on
            backup_dump.backup_pair(stack.pair_spec(slug), root)
        assert wait_for(lambda: len(sold) >= 25, timeout=60)
        moment = next_second()
        before_moment = len(sold)
        assert wait_for(lambda: len(sold) >= before_moment + 10, timeout=60)
    finally:
        stop.set()
        for seller in sellers:
            seller.join(timeout=60)
    try:
        ventas, inventario = (restored_copy(stack, slug, root, moment, made) for slug in ("ventas", "inventario"))
        completed = query(ventas, f"SELECT s.id, l.product_id, l.quantity FROM sales_sale s JOIN sales_saleline l "
                                  f"ON l.sale_id = s.id WHERE s.status = 'completed' AND s.branch_id = {branch}")
        moved = {(r["reference"], r["product_id"]): int(r["q"]) for r in query(
            inventario, f"SELECT reference, product_id, SUM(quantity) AS q FROM stock_movement "
                        f"WHERE branch_id = {branch} AND kind = 'sale' GROUP BY reference, product_id")}
        sales = {r["id"] for r in completed}
        assert 10 <= len(sales) < len(sold), (len(sales), len(sold))
        missing = [r for r in completed if moved.get((f"sale:{r['id']}", r["product_id"])) != -r["quantity"]]
        assert missing == [], f"completed sales without their ledger rows at {moment}: {missing[:5]}"
        unbalanced = query(inventario, "SELECT s.branch_id, s.product_id FROM stock_stock s LEFT JOIN "
                                       "(SELECT branch_id, product_id, SUM(quantity) AS q FROM stock_movement "
                                       "GROUP BY branch_id, product_id) m ON m.branch_id = s.branch_id AND "
                                       "m.product_id = s.product_id WHERE s.quantity <> IFNULL(m.q, 0)")
        assert unbalanced == []
    finally:
        for copy in made:
            scratchpair.discard(copy.base)
            shutil.rmtree(copy.base.parent, ignore_errors=True)
