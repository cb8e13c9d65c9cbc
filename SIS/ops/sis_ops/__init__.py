"""E-WTTO operations tooling (run through bin/, never imported by the services)."""
