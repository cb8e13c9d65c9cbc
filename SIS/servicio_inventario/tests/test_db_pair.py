"""The database pair under servicio_inventario: replication, routing, causal reads, role swaps (shared suite)."""
from sis_common.testing.suites.db_pair import DbPairSuite

from .resource import PRODUCTS


class TestDbPair(DbPairSuite):
    resource = PRODUCTS
