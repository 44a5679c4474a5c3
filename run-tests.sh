#!/usr/bin/env bash
# Runs every Tillit test: unit tests, the JAR check, and the integration suite against a real
# Keycloak 26.7.0 with the JAR deployed, on a fresh PostgreSQL database, GreenMail and headless
# Chromium. Another 26.7.x distribution, same JAR: ./run-tests.sh -Dkeycloak.dist.version=26.7.3 Needs: Java 17, Maven, PostgreSQL on 127.0.0.1:5432 (trust auth), chromium and
# chromium-driver (.ci/run installs what is missing).
set -euo pipefail
cd "$(dirname "$0")"

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi

# The framework's server listens on 8080/9000: a running demo would be mistaken for it.
if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
  echo "Port 8080 is in use (is the demo running?). Stop it first." >&2
  exit 1
fi

# Timing, printed at the end whatever the outcome: the ten slowest integration-test classes and
# the unit-test total, from this run's Surefire/Failsafe reports (older ones are ignored).
STARTED=$(mktemp)
timing() {
  set +e  # a report that cannot be read must not hide the others, nor the run's own status
  local reports
  echo
  echo "== Ten slowest integration-test classes (seconds) =="
  reports=$(find integration-tests/target/failsafe-reports -name 'TEST-*.xml' -newer "$STARTED" 2>/dev/null || true)
  if [ -n "$reports" ]; then
    # shellcheck disable=SC2086
    sed -n 's/.*<testsuite [^>]*name="\([^"]*\)" time="\([^"]*\)" tests="\([^"]*\)".*/\2 \1 \3/p' $reports \
      | sort -rn | head -n 10 | awk '{ sub(/^dev\.tillit\.keycloak\.it\./, "", $2); printf "%8.1f  %s (%s tests)\n", $1, $2, $3 }'
  else
    echo "  (no integration-test reports from this run)"
  fi
  if [ integration-tests/target/artifacts/screenshot-cost.txt -nt "$STARTED" ]; then
    echo "== Screenshots and accessibility checks in those classes =="
    echo "  $(cat integration-tests/target/artifacts/screenshot-cost.txt)"
  fi
  echo "== Unit tests =="
  reports=$(find providers/target/surefire-reports -name 'TEST-*.xml' -newer "$STARTED" 2>/dev/null || true)
  if [ -n "$reports" ]; then
    # shellcheck disable=SC2086
    sed -n 's/.*<testsuite [^>]*time="\([^"]*\)" tests="\([^"]*\)" errors="\([^"]*\)" skipped="\([^"]*\)" failures="\([^"]*\)".*/\1 \2 \3 \4 \5/p' $reports \
      | awk '{ t += $1; n += $2; e += $3; s += $4; f += $5; c++ }
             END { printf "  %d tests in %d classes, %.1f s; %d failed, %d errors, %d skipped\n", n, c, t, f, e, s }'
  else
    echo "  (no unit-test reports from this run)"
  fi
  # One closing line for everything this run executed (unit tests, JAR checks, integration tests).
  reports=$(find providers/target/surefire-reports providers/target/failsafe-reports integration-tests/target/failsafe-reports \
    -name 'TEST-*.xml' -newer "$STARTED" 2>/dev/null || true)
  if [ -n "$reports" ]; then
    # shellcheck disable=SC2086
    sed -n 's/.*<testsuite [^>]*tests="\([^"]*\)" errors="\([^"]*\)" skipped="\([^"]*\)" failures="\([^"]*\)".*/\1 \2 \3 \4/p' $reports \
      | awk '{ n += $1; e += $2; s += $3; f += $4 }
             END { printf "Tests: %d passed, %d failed, %d skipped\n", n - e - s - f, e + f, s }'
  fi
}

DB="tillit_it_$(date +%Y%m%d%H%M%S)_$$"
createdb "$DB"
trap 'status=$?; timing; rm -f "$STARTED"; dropdb --if-exists "$DB" >/dev/null 2>&1 || true; exit $status' EXIT
echo "Integration tests use the fresh PostgreSQL database $DB"

mvn -B -ntp verify -Dtillit.it.db.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" "$@"
