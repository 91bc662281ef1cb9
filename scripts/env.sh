# shellcheck shell=bash
# Source me: `. scripts/env.sh` exports what the daemon and the tests read (DB_*, REDIS_*,
# POSTGRES_*, TUMULTE_*) for the services that `scripts/services up` runs from .local/.
# Ports follow TUMULTE_PG_PORT / TUMULTE_REDIS_PORT when set.
eval "$("$(dirname "${BASH_SOURCE[0]}")/services" env)"
