#!/bin/bash
# Starts one MariaDB node as the mysql user. On its first start (empty datadir) it makes the
# datadir and the node-local admin account the ops tools use over TCP (replication setup,
# the watchdog), as sis_common.mariadb.server does for the local stack: outside the binary
# log, so every fresh node starts with an empty GTID history. root stays socket-only.
# Per-node values (server id, port, bind address) come as arguments from compose.
set -euo pipefail

datadir=/var/lib/mysql
note() { printf '[ewtto-mariadb] %s\n' "$*" >&2; }
mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld "$datadir"

if [ ! -d "$datadir/mysql" ]; then
  user="${EWTTO_DB_ADMIN_USER:?EWTTO_DB_ADMIN_USER is not set (deploy/docker/env/*-db.env)}"
  password="${EWTTO_DB_ADMIN_PASSWORD:?EWTTO_DB_ADMIN_PASSWORD is not set (deploy/docker/env/*-db.env)}"
  case "$user$password" in
    *[!A-Za-z0-9_-]*) note "the admin account's name and password must be URL-safe tokens"; exit 1 ;;
  esac
  note "first start: creating the datadir"
  rm -rf "$datadir/.init"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=socket > /dev/null
  socket=/run/mysqld/init.sock
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --skip-log-bin \
    --socket="$socket" --read-only=OFF &
  pid=$!
  for _ in $(seq 120); do
    mariadb-admin --socket="$socket" --user=root ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { note "the first-start server died"; exit 1; }
    sleep 0.5
  done
  note "creating the admin account ${user}@'%'"
  mariadb --socket="$socket" --user=root mysql <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}';
ALTER USER '${user}'@'%' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON *.* TO '${user}'@'%' WITH GRANT OPTION;
SQL
  mariadb-admin --socket="$socket" --user=root shutdown
  wait "$pid" || true
  unset user password
fi
unset EWTTO_DB_ADMIN_PASSWORD MARIADB_ROOT_PASSWORD
exec mariadbd --user=mysql "$@"
