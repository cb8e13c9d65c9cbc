"""The bin/up stack's MariaDB accounts tried as an attacker with one password would (docs/security.md)."""
import MySQLdb
import pytest

from sis_common.mariadb import replication
from sis_common.testing.grants import DB_DENIED, LOGIN_DENIED, NEEDS_PRIVILEGE, READ_ONLY, TABLE_DENIED, refused


@pytest.fixture(params=["auth", "sucursales", "inventario", "ventas", "compras", "clientes"])
def pair(stack, request):
    return stack.pair_spec(request.param)


def test_the_ops_account_cannot_write_on_a_read_only_node_nor_grant(pair):
    _, replica = replication.current_roles(pair)
    table = f"`{pair.database}`.django_migrations"
    assert refused(replica, pair.admin, f"CREATE TABLE `{pair.database}`.evil (id INT)") == TABLE_DENIED
    assert refused(replica, pair.admin, f"INSERT INTO {table} (app, name, applied) VALUES ('x', 'y', NOW())") \
        == TABLE_DENIED
    assert refused(replica, pair.admin, f"GRANT ALL ON `{pair.database}`.* TO '{pair.app.user}'@'%'") == DB_DENIED
    assert refused(replica, pair.admin, "CREATE USER 'evil'@'%' IDENTIFIED BY 'evil'") == NEEDS_PRIVILEGE
    assert refused(replica, pair.admin, f"SELECT * FROM {table}") == TABLE_DENIED


def test_the_app_account_cannot_create_tables_and_nothing_but_root_writes_on_the_replica(pair):
    primary, replica = replication.current_roles(pair)
    assert refused(primary, pair.app, f"CREATE TABLE `{pair.database}`.evil (id INT)") == TABLE_DENIED
    assert refused(primary, pair.app, f"DROP TABLE `{pair.database}`.django_migrations") == TABLE_DENIED
    for creds in (pair.app, pair.migrator):
        assert refused(replica, creds, f"DELETE FROM `{pair.database}`.django_migrations") == READ_ONLY
        assert refused(replica, creds, "SET GLOBAL read_only = OFF") == NEEDS_PRIVILEGE
    assert refused(primary, pair.reader, f"DELETE FROM `{pair.database}`.django_migrations") == TABLE_DENIED


def test_root_is_not_reachable_over_tcp(pair):
    for node in pair.nodes:
        with pytest.raises(MySQLdb.OperationalError) as caught:
            MySQLdb.connect(host=node.host, port=node.port, user="root", password="", connect_timeout=2)
        assert caught.value.args[0] == LOGIN_DENIED
