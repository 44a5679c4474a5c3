#!/usr/bin/env bash
# Benchmarks (not tests): prints figures from a real Keycloak with the Tillit JAR on a fresh
# PostgreSQL database. Same prerequisites as ./run-tests.sh; takes a few minutes.
#   ./bench.sh                          100,000 users
#   ./bench.sh -Dtillit.bench.users=20000
set -euo pipefail
cd "$(dirname "$0")"
exec ./run-tests.sh -Pbenchmark -pl integration-tests -am -DskipUTs \
  -Dsurefire.skip=true -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='*Benchmark' -Dfailsafe.failIfNoSpecifiedTests=false "$@"
