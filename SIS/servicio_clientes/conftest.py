"""Root conftest: the shared test plugin (real MariaDB pair, migrated once)."""
pytest_plugins = ["sis_common.testing.plugin"]
