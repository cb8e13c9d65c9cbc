#!/bin/sh
# Healthy once the node's server answers on its socket (root, socket authentication).
exec mariadb-admin --socket=/run/mysqld/mysqld.sock --user=root --connect-timeout=3 ping
