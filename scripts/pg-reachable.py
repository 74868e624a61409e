"""Exit 0 when the PostgreSQL server of the given URL answers, 1 otherwise."""

import sys

import psycopg

url = sys.argv[1]
server = url.rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(server, connect_timeout=3).close()
except psycopg.Error as error:
    print(f"PostgreSQL not reachable at {server}: {error}", file=sys.stderr)
    sys.exit(1)
