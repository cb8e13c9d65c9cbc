"""The database pair under servicio_clientes: replication, routing, causal reads, role swaps (shared suite)."""
from sis_common.testing.suites.db_pair import DbPairSuite

from .resource import CUSTOMERS


class TestDbPair(DbPairSuite):
    resource = CUSTOMERS
