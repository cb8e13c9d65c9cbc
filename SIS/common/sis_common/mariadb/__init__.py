"""Control of MariaDB nodes and primary/replica pairs, shared by tools, tests and the watchdog."""
