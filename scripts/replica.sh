#!/usr/bin/env bash
# A PostgreSQL primary and its streaming replica on loopback, both of the caller's own, in DIR:
# never the shared server. Used by the read-replica test (tests/lib.rs `ReplicaPair`).
#
#   scripts/replica.sh start DIR          initdb a primary, pg_basebackup a standby from it,
#                                         start both; prints PRIMARY_PORT=… and REPLICA_PORT=…
#   scripts/replica.sh stop DIR [WHICH]   stops the replica, the primary, or both (default)
#
# As root, the clusters run as the postgres user.
set -euo pipefail

command="${1:?usage: replica.sh start|stop DIR [replica|primary|all]}"
dir="${2:?usage: replica.sh start|stop DIR [replica|primary|all]}"

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$found" ] && [ -x "$found/$1" ]; then echo "$found/$1"; else command -v "$1"; fi
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_cluster() { # DATA PORT
  as_postgres "$(pg_bin pg_ctl)" -D "$1" -w -t 60 -l "$1/log" \
    -o "-p $2 -k $(dirname "$1") -c listen_addresses=127.0.0.1" start >/dev/null
}

stop_cluster() { # DATA
  if [ -f "$1/postmaster.pid" ]; then
    as_postgres "$(pg_bin pg_ctl)" -D "$1" -w -m immediate stop >/dev/null 2>&1 || true
  fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    primary_port="$(free_port)"
    replica_port="$(free_port)"
    while [ "$replica_port" = "$primary_port" ]; do replica_port="$(free_port)"; done
    as_postgres "$(pg_bin initdb)" -D "$dir/primary" -A trust -U postgres >/dev/null
    # A start that fails halfway leaves nothing running.
    trap 'stop_cluster "$dir/replica"; stop_cluster "$dir/primary"' ERR
    start_cluster "$dir/primary" "$primary_port"
    # -R writes the standby's primary_conninfo and standby.signal; -X stream brings the WAL
    # written during the copy.
    as_postgres "$(pg_bin pg_basebackup)" -h 127.0.0.1 -p "$primary_port" -U postgres \
      -D "$dir/replica" -R -X stream >/dev/null
    start_cluster "$dir/replica" "$replica_port"
    trap - ERR
    echo "PRIMARY_PORT=$primary_port"
    echo "REPLICA_PORT=$replica_port"
    ;;
  stop)
    case "${3:-all}" in
      replica) stop_cluster "$dir/replica" ;;
      primary) stop_cluster "$dir/primary" ;;
      all) stop_cluster "$dir/replica"; stop_cluster "$dir/primary" ;;
      *) echo "stop what? replica, primary or all" >&2; exit 2 ;;
    esac
    ;;
  *)
    echo "usage: replica.sh start|stop DIR [replica|primary|all]" >&2
    exit 2
    ;;
esac
