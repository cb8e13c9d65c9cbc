"""Test support: real MariaDB pairs on free loopback ports, started by a project's test settings."""
