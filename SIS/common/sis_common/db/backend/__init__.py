"""Django database backend for a MariaDB primary/replica pair."""
