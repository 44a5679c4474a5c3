#!/usr/bin/env bash
# A Tillit cluster to try: two production-mode Keycloak nodes (kc.sh start) from the 26.7.0
# distribution with the Tillit JAR, on one PostgreSQL database, forming one Infinispan cluster
# (Keycloak's default jdbc-ping discovery, bound to 127.0.0.1), the demo realm imported.
#   ./cluster.sh start     build the JAR, (re)build the server, start node a, then node b; print where
#   ./cluster.sh stop      stop the nodes this script started (graceful, then forced after 60 s)
#   ./cluster.sh stop a    stop one node (the other goes on serving: try a sign-in that moves over)
#   ./cluster.sh status
# Settings (environment):
#   TILLIT_CLUSTER_DIR      where the nodes live (default target/cluster)
#   TILLIT_CLUSTER_DB       PostgreSQL database (default tillit_cluster; created if missing)
#   TILLIT_CLUSTER_FRESH=1  drop and create the database first (forget the cluster's data)
#   TILLIT_CLUSTER_NODES    1 or 2 (default 2); node a on 8180 (management 9180), node b on 8280 (9280)
#   TILLIT_CLUSTER_HEAP     per node (default 768m)
#   TILLIT_JAR              the Tillit JAR to deploy (default: built here with Maven)
#   TILLIT_SMTP_HOST/PORT   the realm's SMTP server (default 127.0.0.1:2525: java demo/DevMailSink.java 2525)
#   TILLIT_CLUSTER_KC_OPTS  more kc.sh start options, e.g. --http-max-queued-requests=100
#   TILLIT_CLUSTER_TRUSTSTORE  extra PEM/PKCS12 file(s) Keycloak trusts (--truststore-paths), e.g. a local
#                           HTTPS SMS gateway's certificate (production mode accepts only https:// gateways)
# Secrets for ${vault.<key>} go into $TILLIT_CLUSTER_DIR/vault/tillit_<key> (Keycloak's file vault).
# Needs Java 17, Maven, unzip, curl, psql/createdb, PostgreSQL on 127.0.0.1:5432 with trust auth.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n1)
DIR=${TILLIT_CLUSTER_DIR:-target/cluster}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
DB=${TILLIT_CLUSTER_DB:-tillit_cluster}
NODES=${TILLIT_CLUSTER_NODES:-2}
HEAP=${TILLIT_CLUSTER_HEAP:-768m}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
VAULT=$DIR/vault

node_names() { if [ "$NODES" = 1 ]; then echo a; else echo a b; fi; }
http_port() { [ "$1" = a ] && echo 8180 || echo 8280; }
mgmt_port() { [ "$1" = a ] && echo 9180 || echo 9280; }
pid_of() { cat "$DIR/node-$1.pid" 2>/dev/null || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

stop_node() {
  local n=$1 p
  p=$(pid_of "$n")
  if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null; then rm -f "$DIR/node-$n.pid"; return 0; fi
  echo "==> Stopping node $n (pid $p)"
  # kc.sh forwards TERM to its Java process: Keycloak leaves the cluster and shuts down gracefully.
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
  if kill -0 "$p" 2>/dev/null; then
    echo "    node $n did not stop within 60 s; killing its process group" >&2
    kill -KILL -- "-$p" 2>/dev/null || true
  fi
  rm -f "$DIR/node-$n.pid"
}

build_server() {
  local jar=$1 dist=$DIR/dist/keycloak-$KC_VERSION stamp
  if [ ! -x "$dist/bin/kc.sh" ]; then
    local zip=$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip
    if [ ! -f "$zip" ]; then
      echo "==> Fetching Keycloak $KC_VERSION from Maven Central (once)"
      mvn -B -ntp -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip"
    fi
    mkdir -p "$DIR/dist"
    unzip -q -o "$zip" -d "$DIR/dist"
  fi
  stamp="$(sha256sum "$jar" | cut -c1-64) $KC_VERSION"
  if [ "$(cat "$DIR/dist/built" 2>/dev/null)" != "$stamp" ]; then
    echo "==> Building the server with the Tillit JAR (kc.sh build: PostgreSQL, Infinispan cluster, file vault)"
    rm -f "$dist"/providers/tillit-keycloak-*.jar
    cp "$jar" "$dist/providers/"
    "$dist/bin/kc.sh" build --db=postgres --cache=ispn --features=declarative-ui --vault=file --health-enabled=true \
      > "$DIR/build.log" 2>&1 || { cat "$DIR/build.log" >&2; exit 1; }
    echo "$stamp" > "$DIR/dist/built"
    rm -rf "$DIR"/node-a "$DIR"/node-b
  fi
  # One copy per node: each has its own data/ (Infinispan's local state, logs); the database is shared.
  for n in $(node_names); do
    [ -d "$DIR/node-$n" ] || cp -a "$dist" "$DIR/node-$n"
  done
}

start_node() {
  local n=$1 home=$DIR/node-$1 port mport
  port=$(http_port "$n"); mport=$(mgmt_port "$n")
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port (node $n) is already in use." >&2; exit 1
  fi
  mkdir -p "$home/data/import"
  cp realm-config/tillit-realm.json "$home/data/import/"
  local extra=()
  [ -n "${TILLIT_CLUSTER_TRUSTSTORE:-}" ] && extra+=("--truststore-paths=$TILLIT_CLUSTER_TRUSTSTORE")
  echo "==> Starting node $n on http://localhost:$port (log: $DIR/node-$n.log)"
  # setsid: the node is its own process group, so stopping it never touches anything else.
  # Trusted proxies as addresses or CIDR ranges: a bare IPv6 literal such as ::1 is looked up in DNS by
  # Quarkus on every request (a 5 s wait and a leaked UDP socket each time where no name server
  # answers; found by ./load-bench.sh), so loopback IPv6 is written ::1/128.
  TILLIT_SMTP_HOST=${TILLIT_SMTP_HOST:-127.0.0.1} TILLIT_SMTP_PORT=${TILLIT_SMTP_PORT:-2525} \
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  JAVA_OPTS_APPEND="-Djgroups.bind.address=127.0.0.1 -Djava.net.preferIPv4Stack=true -Xmx$HEAP ${TILLIT_CLUSTER_JAVA_OPTS:-}" \
    setsid "$home/bin/kc.sh" start --optimized --import-realm \
      --http-enabled=true --hostname-strict=false --http-port="$port" --http-management-port="$mport" \
      --db-url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" --db-username="$PGUSER" --db-password=unused \
      --vault-dir="$VAULT" --spi-cache-embedded-default-node-name="tillit-$n" --proxy-headers=xforwarded --proxy-trusted-addresses=127.0.0.1,::1/128 \
      "${extra[@]}" ${TILLIT_CLUSTER_KC_OPTS:-} > "$DIR/node-$n.log" 2>&1 < /dev/null &
  echo $! > "$DIR/node-$n.pid"
}

await_node() {
  local n=$1 port
  port=$(http_port "$n")
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/realms/tillit/.well-known/openid-configuration"; then return 0; fi
    if ! alive "$n"; then echo "Node $n exited; its log:" >&2; tail -n 60 "$DIR/node-$n.log" >&2; exit 1; fi
    sleep 1
  done
  echo "Node $n did not come up within 5 minutes (log: $DIR/node-$n.log)" >&2; exit 1
}

case "${1:-start}" in
  start)
    for n in $(node_names); do alive "$n" && { echo "Node $n is already running (pid $(pid_of "$n")); ./cluster.sh stop first." >&2; exit 1; }; done
    if [ -n "${TILLIT_JAR:-}" ]; then
      JAR=$TILLIT_JAR
    else
      echo "==> Building the Tillit JAR"
      mvn -B -ntp -q -pl providers -am package -DskipTests
      JAR=$(ls "$ROOT"/providers/target/tillit-keycloak-*.jar | grep -v original | head -n1)
    fi
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then echo "PostgreSQL is not answering on $PGHOST:$PGPORT" >&2; exit 1; fi
    if [ "${TILLIT_CLUSTER_FRESH:-}" = 1 ]; then dropdb --if-exists "$DB"; fi
    psql -Atq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || createdb "$DB"
    mkdir -p "$VAULT"
    # The KYC encryption key (${vault.kyc-key}) both nodes share: made once, kept with the vault.
    [ -s "$VAULT/tillit_kyc-key" ] || head -c 32 /dev/urandom | base64 > "$VAULT/tillit_kyc-key"
    build_server "$JAR"
    started=$(date +%s)
    # Node a first: it creates the schema and imports the realm; node b then joins its cluster.
    start_node a; await_node a
    if [ "$NODES" = 2 ]; then
      start_node b; await_node b
      for _ in $(seq 1 60); do grep -q "ISPN000094: Received new cluster view.*(2)" "$DIR/node-b.log" && break; sleep 1; done
      grep -q "ISPN000094: Received new cluster view.*(2)" "$DIR/node-b.log" \
        || { echo "Node b did not join node a's cluster (log: $DIR/node-b.log)" >&2; exit 1; }
    fi
    cat <<BANNER

  ────────────────────────────────────────────────────────────────────────
   Tillit cluster is up in $(( $(date +%s) - started )) s: Keycloak $KC_VERSION, production mode, $NODES node(s),
   PostgreSQL database $DB, one Infinispan cluster (jdbc-ping on 127.0.0.1)
$(for n in $(node_names); do printf '     node %s  http://localhost:%s/realms/tillit/account   admin: http://localhost:%s/admin/  (pid %s)\n' "$n" "$(http_port "$n")" "$(http_port "$n")" "$(pid_of "$n")"; done)
   $( [ "$NODES" = 2 ] && grep -o "ISPN000094: Received new cluster view.*" "$DIR/node-b.log" | tail -n1)
   admin / admin; demo user demo@tillit.example / Tillit-Demo1!
   Cookies are per host, not per port: a sign-in begun on :8180 continues on :8280 in the same browser.
   Stop:  ./cluster.sh stop      (one node: ./cluster.sh stop a)
  ────────────────────────────────────────────────────────────────────────
BANNER
    ;;
  stop)
    if [ -n "${2:-}" ]; then stop_node "$2"; else for n in b a; do stop_node "$n"; done; fi
    ;;
  status)
    for n in a b; do
      if alive "$n"; then echo "node $n: running (pid $(pid_of "$n")) on http://localhost:$(http_port "$n")"; else echo "node $n: stopped"; fi
    done
    ;;
  *)
    echo "usage: $0 start | stop [a|b] | status" >&2; exit 2
    ;;
esac
