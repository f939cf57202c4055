# Sourced by .ci/run: start a local PostgreSQL from the distribution's packages for the store
# tests and export SDLAB_TEST_PG_URL. If no server can be started, the URL stays unset and the
# PostgreSQL tests skip, saying why. Never fatal on its own: the rest of CI still runs.
sdlab_start_postgres() {
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq postgresql >/dev/null) || return 1
        else
            return 1
        fi
    fi
    local ver
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
        pg_createcluster "$ver" main >/dev/null || return 1
    fi
    pg_ctlcluster "$ver" main start 2>/dev/null || pg_lsclusters -h | grep -q online || return 1
    local port
    port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
    # Every database the role owns goes first (a bench's or a helper's), or the role cannot drop.
    local owned
    owned=$(su postgres -c "psql -qtAp $port -c \"SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = 'sdlab'\"")
    for db in $owned; do
        su postgres -c "psql -qp $port -c \"DROP DATABASE IF EXISTS $db\"" >/dev/null || return 1
    done
    su postgres -c "psql -qp $port -c \"DROP ROLE IF EXISTS sdlab\"" >/dev/null || return 1
    su postgres -c "psql -qp $port -c \"CREATE ROLE sdlab LOGIN PASSWORD 'sdlab'\"" >/dev/null
    su postgres -c "psql -qp $port -c \"CREATE DATABASE sdlab_test OWNER sdlab\"" >/dev/null
    export SDLAB_TEST_PG_URL="postgresql+psycopg://sdlab:sdlab@127.0.0.1:$port/sdlab_test"
}
if sdlab_start_postgres; then
    echo "PostgreSQL for tests: $SDLAB_TEST_PG_URL"
else
    echo "PostgreSQL could not be started: its tests will skip"
fi
