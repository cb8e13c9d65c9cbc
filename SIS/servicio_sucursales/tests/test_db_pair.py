"""The database pair under servicio_sucursales: replication, routing, causal reads, role swaps (shared suite)."""
from sis_common.testing.suites.db_pair import DbPairSuite

from .resource import BRANCHES


class TestDbPair(DbPairSuite):
    resource = BRANCHES
