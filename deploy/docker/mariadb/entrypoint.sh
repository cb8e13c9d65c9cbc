#!/bin/bash
# Starts one MariaDB node as the mysql user. On its first start (empty datadir) it makes the
# datadir, root socket-only. On every start mariadbd runs the node's accounts file (the compose
# secret written by sis_ops.docker.db_accounts_sql) as root before it takes connections: the
# schema and every account with exactly its grants, outside the binary log, as bin/up does for
# the local stack over the socket. So no account reachable over TCP needs to create accounts.
# Per-node values (server id, port, bind address) come as arguments from compose.
set -euo pipefail

datadir=/var/lib/mysql
accounts=/run/secrets/db-accounts.sql
init_file=/run/mysqld/accounts.sql
note() { printf '[ewtto-mariadb] %s\n' "$*" >&2; }
mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld "$datadir"

[ -r "$accounts" ] || { note "$accounts is missing (deploy/docker/up writes deploy/docker/env/*-db-accounts.sql)"; exit 1; }
if [ ! -d "$datadir/mysql" ]; then
  note "first start: creating the datadir"
  rm -rf "$datadir/.init"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=socket > /dev/null
fi
# readable by mariadbd alone; the secret's bind mount keeps the deploying user's owner and mode
install -m 0600 -o mysql -g mysql "$accounts" "$init_file"
exec mariadbd --user=mysql --init-file="$init_file" "$@"
