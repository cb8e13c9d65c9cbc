"""Database layer shared by every project: pair-aware backend, router and causal reads."""
