"""The purchasing reports as tables for `?format=csv|xlsx` (sis_common.exports): their columns."""
from __future__ import annotations

from sis_common.exports import Column

OPEN_ORDERS = [Column("supplier", "int"), Column("supplier_code"), Column("supplier_name"), Column("branch", "int"),
               Column("orders", "int"), Column("overdue_orders", "int"), Column("ordered_units", "int"),
               Column("received_units", "int"), Column("outstanding_units", "int"), Column("ordered_value", "money"),
               Column("received_value", "money"), Column("outstanding_value", "money")]
_RECEIVED_SUMS = [Column("receipts", "int"), Column("orders", "int"), Column("units", "int"), Column("value", "money")]
RECEIVED = {
    "day": [Column("date"), *_RECEIVED_SUMS],
    "branch": [Column("branch", "int"), *_RECEIVED_SUMS],
    "supplier": [Column("supplier", "int"), Column("supplier_code"), Column("supplier_name"), *_RECEIVED_SUMS],
}
LEAD_TIME = [Column("supplier", "int"), Column("supplier_code"), Column("supplier_name"), Column("orders", "int"),
             Column("received", "int"), Column("on_time", "int"), Column("late", "int"), Column("pending", "int"),
             Column("on_time_rate"), Column("average_days")]
