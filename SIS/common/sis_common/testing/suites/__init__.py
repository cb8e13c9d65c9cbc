"""Test suites every service runs against one of its own resources: its database pair, /health, /metrics, audit.

A service's tests/ module subclasses a suite and sets `resource` (a `Resource`); pytest collects the subclass.
"""
