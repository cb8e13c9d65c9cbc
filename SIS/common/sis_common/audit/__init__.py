"""Audit trail: who changed what and when, recorded for every successful write request in the service's own database.

Installed in every service through sis_common.conf.COMMON_APPS and
COMMON_MIDDLEWARE; read at GET /<API_PREFIX>audit/ by admins and auditors.
docs/operations.md explains what is recorded and the trade-offs.
"""
