#!/usr/bin/env bash
# Prepares the machine's MariaDB and PostgreSQL for change data capture (the cdc module's tests and
# docs/connectors.md), idempotently, as root:
#   MariaDB 10.11: binary log on, ROW format, FULL row images (server_id 1); restarted when changed.
#   PostgreSQL 15: wal_level=logical with room for replication slots; restarted when changed.
#   A CDC user "inlet_cdc" (password "inlet_cdc") on both, with only the privileges Debezium
#   documents: MariaDB SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE,
#   BINLOG MONITOR; PostgreSQL LOGIN REPLICATION, owner of the database "inlet_cdc" (Debezium's
#   filtered publications need the role to own the captured tables).
# The services are the ones this kind of machine starts before the session (see .ci/run).
set -euo pipefail

log() { printf '[ci:cdc] %s\n' "$*"; }

wait_for_port() { # port what
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$2 did not come back on 127.0.0.1:$1"
  return 1
}

mysql_root() { mysql -uroot -h127.0.0.1 -N -B "$@"; }

# ---------------------------------------------------------------------------------------- MariaDB
mariadb_conf_dir=/etc/mysql/mariadb.conf.d
mariadb_conf="$mariadb_conf_dir/90-inlet-cdc.cnf"
mkdir -p "$mariadb_conf_dir"
cat >"$mariadb_conf.new" <<'EOF'
# Written by Inlet's .ci/cdc-databases.sh: what Debezium's MariaDB/MySQL connectors need.
[mysqld]
server_id = 1
log_bin = /var/lib/mysql/mariadb-bin
binlog_format = ROW
binlog_row_image = FULL
expire_logs_days = 2
EOF
if ! cmp -s "$mariadb_conf.new" "$mariadb_conf" 2>/dev/null; then mv "$mariadb_conf.new" "$mariadb_conf"; else rm -f "$mariadb_conf.new"; fi
# The machine's my.cnf includes no directory: include ours (read after its [mysqld] section).
if ! grep -q "^!includedir $mariadb_conf_dir" /etc/mysql/my.cnf; then
  printf '\n!includedir %s/\n' "$mariadb_conf_dir" >>/etc/mysql/my.cnf
fi

binlog_state() { mysql_root -e "SELECT CONCAT(IF(@@log_bin, 1, 0), '/', @@binlog_format, '/', @@binlog_row_image)" 2>/dev/null || true; }
if [[ "$(binlog_state)" != "1/ROW/FULL" ]]; then
  log "MariaDB: turning on the binary log (ROW, FULL); restarting it"
  if (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; then
    mysqladmin -uroot -h127.0.0.1 shutdown
    for _ in $(seq 1 150); do pgrep -x mariadbd >/dev/null || break; sleep 0.2; done
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for_port 3306 MariaDB
  for _ in $(seq 1 50); do [[ -n "$(binlog_state)" ]] && break; sleep 0.2; done
  [[ "$(binlog_state)" == "1/ROW/FULL" ]] || { log "MariaDB binlog is $(binlog_state)"; exit 1; }
fi
mysql_root <<'SQL'
CREATE USER IF NOT EXISTS 'inlet_cdc'@'%' IDENTIFIED BY 'inlet_cdc';
CREATE USER IF NOT EXISTS 'inlet_cdc'@'localhost' IDENTIFIED BY 'inlet_cdc';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'inlet_cdc'@'%';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'inlet_cdc'@'localhost';
FLUSH PRIVILEGES;
SQL
log "MariaDB: binlog $(binlog_state); user inlet_cdc ready"

# ------------------------------------------------------------------------------------- PostgreSQL
pg_version="$(ls /etc/postgresql | sort -V | tail -1)"
pg_conf="/etc/postgresql/$pg_version/main/conf.d/91-inlet-cdc.conf"
cat >"$pg_conf.new" <<'EOF'
# Written by Inlet's .ci/cdc-databases.sh: what Debezium's PostgreSQL connector (pgoutput) needs.
wal_level = logical
max_wal_senders = 16
max_replication_slots = 16
EOF
if ! cmp -s "$pg_conf.new" "$pg_conf" 2>/dev/null; then mv "$pg_conf.new" "$pg_conf"; else rm -f "$pg_conf.new"; fi
chmod 644 "$pg_conf"

psql_root() { psql -h 127.0.0.1 -U postgres -d postgres -tA -v ON_ERROR_STOP=1 "$@"; }
if [[ "$(psql_root -c 'SHOW wal_level' 2>/dev/null || true)" != "logical" ]]; then
  log "PostgreSQL $pg_version: wal_level=logical; restarting it"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main restart
  wait_for_port 5432 PostgreSQL
  for _ in $(seq 1 50); do psql_root -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
  [[ "$(psql_root -c 'SHOW wal_level')" == "logical" ]] || { log "PostgreSQL wal_level is not logical"; exit 1; }
fi
psql_root <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inlet_cdc') THEN
    CREATE ROLE inlet_cdc WITH LOGIN REPLICATION PASSWORD 'inlet_cdc';
  END IF;
END $$;
SQL
if [[ -z "$(psql_root -c "SELECT 1 FROM pg_database WHERE datname = 'inlet_cdc'")" ]]; then
  psql_root -c 'CREATE DATABASE inlet_cdc OWNER inlet_cdc'
fi
log "PostgreSQL: wal_level $(psql_root -c 'SHOW wal_level'); role and database inlet_cdc ready"
