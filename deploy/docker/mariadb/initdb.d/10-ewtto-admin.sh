# Sourced by the MariaDB image's entrypoint on a node's first start only (empty datadir),
# while its temporary server runs: creates the node-local admin account the ops tools use
# over TCP (replication setup, watchdog), as sis_common.mariadb.server.ensure_admin does
# for the local stack. Not binlogged, so every fresh node starts with an empty GTID history.
# Not executable on purpose: the entrypoint sources it, which gives it docker_process_sql.

ewtto_admin_user="${EWTTO_DB_ADMIN_USER:?EWTTO_DB_ADMIN_USER is not set (deploy/docker/env/*-db.env)}"
ewtto_admin_password="${EWTTO_DB_ADMIN_PASSWORD:?EWTTO_DB_ADMIN_PASSWORD is not set (deploy/docker/env/*-db.env)}"
case "$ewtto_admin_user$ewtto_admin_password" in
  *[!A-Za-z0-9_-]*) mysql_error "the admin account's name and password must be URL-safe tokens" ;;
esac

mysql_note "creating the admin account ${ewtto_admin_user}@'%'"
docker_process_sql --database=mysql <<-EOSQL
	SET SESSION sql_log_bin = 0;
	CREATE USER IF NOT EXISTS '${ewtto_admin_user}'@'%' IDENTIFIED BY '${ewtto_admin_password}';
	ALTER USER '${ewtto_admin_user}'@'%' IDENTIFIED BY '${ewtto_admin_password}';
	GRANT ALL PRIVILEGES ON *.* TO '${ewtto_admin_user}'@'%' WITH GRANT OPTION;
EOSQL
unset ewtto_admin_user ewtto_admin_password
