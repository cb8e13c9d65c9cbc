"""The database pair under servicio_compras: replication, routing, causal reads, role swaps (shared suite)."""
from sis_common.testing.suites.db_pair import DbPairSuite

from .resource import SUPPLIERS


class TestDbPair(DbPairSuite):
    resource = SUPPLIERS
