#!/bin/sh
# Run once by the postgres image when its data volume is new (/docker-entrypoint-initdb.d),
# as its superuser: the two roles TinBao uses, neither of them a superuser.
#   tinbao_owner  owns the database and so the schema: the `migrate` service alone logs in as it
#   tinbao_app    the api's role: granted data rights only by `tinbao db migrate` (the audit
#                 log append-only), owns nothing, so it can neither alter a table nor disable
#                 the audit log's triggers
# Passwords come from the Docker secrets db_owner_password and db_app_password (one line each),
# read by psql itself, so they appear in no command line. The names and the folder can be
# changed for tests (tests/e2e/deploy.test.ts runs this file against a local server).
set -eu
secrets=${TINBAO_SECRETS_DIR:-/run/secrets}
owner=${TINBAO_OWNER_ROLE:-tinbao_owner}
app=${TINBAO_APP_ROLE:-tinbao_app}
for secret in db_owner_password db_app_password; do
  if [ ! -s "$secrets/$secret" ]; then
    echo "10-tinbao-roles.sh: the secret $secret is missing or empty" >&2
    exit 1
  fi
done

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" -v owner="$owner" -v app="$app" \
  -v owner_file="$secrets/db_owner_password" -v app_file="$secrets/db_app_password" <<'SQL'
\set owner_password `cat :'owner_file'`
\set app_password `cat :'app_file'`
-- LOGIN and nothing more: no SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS.
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
ALTER DATABASE :"database" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"owner";
GRANT CONNECT ON DATABASE :"database" TO :"app";
SQL
echo "10-tinbao-roles.sh: roles $owner (schema owner) and $app (the api) created"
