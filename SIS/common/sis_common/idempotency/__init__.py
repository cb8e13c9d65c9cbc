"""Idempotency-Key handling: the first answer to a key is stored with the change it made."""
