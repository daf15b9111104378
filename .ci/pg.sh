#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `.ci/pg.sh start DIR` makes a cluster in DIR (which must be empty or
# missing), starts it on 127.0.0.1 on a free port, and prints its URL (a superuser with a password, database
# `postgres`); `.ci/pg.sh stop DIR` stops it. The tests get the URL in RENDEZVOUS_TEST_PG and make a database of
# their own in it for each test.
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (DIR is given to it). Needs
# Debian's PostgreSQL 15 server programs (initdb, pg_ctl); as root they are installed (apt-get install postgresql)
# when missing. Durability is off (fsync, synchronous_commit): the data lives as long as the tests.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    bindir="$candidate"
    break
  fi
done

# Run a server program as the user that may run it.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    if [ -z "$bindir" ]; then
      if [ "$(id -u)" -eq 0 ]; then
        echo "pg: installing the PostgreSQL server (apt-get install postgresql)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
        for candidate in /usr/lib/postgresql/*/bin; do
          [ -x "$candidate/initdb" ] && bindir="$candidate" && break
        done
      fi
      if [ -z "$bindir" ]; then
        echo "pg: no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin: install the postgresql package" >&2
        exit 1
      fi
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres "$dir"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password="rv-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" >"$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres "$dir/pwfile"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U rendezvous --pwfile="$dir/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    rm -f "$dir/pwfile"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=400 \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB" >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    echo "postgres://rendezvous:$password@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -n "$bindir" ] && [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
