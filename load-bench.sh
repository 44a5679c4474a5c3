#!/usr/bin/env bash
# Load benchmark (figures, not pass/fail): one production-mode Keycloak 26.7.0 node with the Tillit JAR
# (./cluster.sh, 1 node) on a fresh PostgreSQL database, 10,000 seeded users, then bench/LoadDriver.java
# drives real HTTP logins: stock Keycloak's browser flow vs the realm's `tillit browser` flow (full
# authorization-code flow with PKCE) and stock vs `tillit direct grant`, in one invocation on one server;
# then an overload run during which witness accounts sign in with SMS codes and have their passwords
# reset (each must end consistent: code delivered and usable, lock exactly where the password changed),
# and a check that every flow still works for random users afterwards.
#   ./load-bench.sh                                   10,000 users, 8 clients, 60 s per run
#   TILLIT_BENCH_USERS=100000 ./load-bench.sh         the 100,000-user run
# Settings: TILLIT_BENCH_USERS, _CLIENTS (8), _SECONDS (60), _WARMUP (15), _OVERLOAD_CLIENTS (300),
# _OVERLOAD_SECONDS (60), _QUEUE (--http-max-queued-requests, 100), _KEEP=1 (leave the node running),
# _JFR=1 (record the server with Java Flight Recorder and print where its request threads spent the time).
# Same prerequisites as ./cluster.sh, plus jq.
set -euo pipefail
cd "$(dirname "$0")"

USERS=${TILLIT_BENCH_USERS:-10000}
CLIENTS=${TILLIT_BENCH_CLIENTS:-8}
SECS=${TILLIT_BENCH_SECONDS:-60}
WARMUP=${TILLIT_BENCH_WARMUP:-15}
OVER_CLIENTS=${TILLIT_BENCH_OVERLOAD_CLIENTS:-300}
OVER_SECS=${TILLIT_BENCH_OVERLOAD_SECONDS:-60}
QUEUE=${TILLIT_BENCH_QUEUE:-100}
# The driver's witnesses (the top accounts): code witnesses, then lock witnesses; never in the timed runs.
WITNESSES=$(( USERS / 20 < 40 ? USERS / 20 : 40 ))
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export TILLIT_CLUSTER_DIR=target/load-bench TILLIT_CLUSTER_NODES=1 TILLIT_CLUSTER_FRESH=1
export TILLIT_CLUSTER_DB=tillit_bench_$$ TILLIT_CLUSTER_HEAP=${TILLIT_BENCH_HEAP:-1g}
# Past this many queued requests Keycloak answers 503 at once instead of letting the queue grow.
if [ "${TILLIT_BENCH_JFR:-}" = 1 ]; then
  export TILLIT_CLUSTER_JAVA_OPTS="-XX:StartFlightRecording=filename=$PWD/$TILLIT_CLUSTER_DIR/bench.jfr,settings=profile,dumponexit=true"
fi
export TILLIT_CLUSTER_KC_OPTS="--http-max-queued-requests=$QUEUE ${TILLIT_BENCH_KC_OPTS:-}"

cleanup() {
  if [ "${TILLIT_BENCH_KEEP:-}" != 1 ]; then
    ./cluster.sh stop || true
    dropdb --if-exists "$TILLIT_CLUSTER_DB" >/dev/null 2>&1 || true
    if [ "${TILLIT_BENCH_JFR:-}" = 1 ] && [ -f "$TILLIT_CLUSTER_DIR/bench.jfr" ]; then
      java bench/JfrTop.java "$TILLIT_CLUSTER_DIR/bench.jfr" || true
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The SMS gateway of the code witnesses is the load driver itself, over HTTPS (production mode accepts
# no other): a certificate for 127.0.0.1 that the node is told to trust.
TLS=$PWD/target/load-bench-tls
SMS_PORT=${TILLIT_BENCH_SMS_PORT:-39443}
rm -rf "$TLS" && mkdir -p "$TLS"
keytool -genkeypair -alias sms -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 -ext SAN=ip:127.0.0.1 \
  -validity 2 -storetype PKCS12 -keystore "$TLS/sms.p12" -storepass bench-sms 2>/dev/null
keytool -exportcert -rfc -alias sms -keystore "$TLS/sms.p12" -storepass bench-sms -file "$TLS/sms.pem" 2>/dev/null
export TILLIT_CLUSTER_TRUSTSTORE=$TLS/sms.pem
./cluster.sh start
BASE=http://127.0.0.1:8180
REALM=$BASE/realms/tillit

# A fresh admin token for every call: the master realm's tokens live 60 s, the benchmark much longer.
api() {
  local token
  token=$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "$BASE/realms/master/protocol/openid-connect/token" | jq -r .access_token)
  curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"
}
ADMIN=$BASE/admin/realms/tillit

echo "==> Realm settings for the benchmark: bot check at 8 bits (the server's cost of the check, not the"
echo "    client's proof of work), new-device alerts off (no mail per sign-in), SMS to the load driver"
COMPONENT=$(api "$ADMIN/components?type=org.keycloak.services.ui.extend.UiTabProvider" | jq '.[] | select(.providerId=="tillit-settings")')
echo "$COMPONENT" | jq --arg sms "https://127.0.0.1:$SMS_PORT/sms" '.config.botCheckDifficultyBits=["8"] | .config.knownDevicesPerUser=["0"]
  | .config.smsGateway=["http"] | .config.smsUrl=[$sms] | .config["sms.auth"]=["none"] | .config.sendsPerIpPerHour=["1000"]
  | .config.passwordGrantFailuresPerIpPerHour=["10000"]' \
  | api -X PUT "$ADMIN/components/$(echo "$COMPONENT" | jq -r .id)" -d @- >/dev/null

echo "==> Clients bench-stock (Keycloak's built-in browser and direct grant flows) and bench-tillit (the realm's)"
FLOWS=$(api "$ADMIN/authentication/flows")
STOCK_BROWSER=$(echo "$FLOWS" | jq -r '.[] | select(.alias=="browser") | .id')
STOCK_GRANT=$(echo "$FLOWS" | jq -r '.[] | select(.alias=="direct grant") | .id')
for c in stock tillit; do
  overrides='{}'
  [ $c = stock ] && overrides="{\"browser\":\"$STOCK_BROWSER\",\"direct_grant\":\"$STOCK_GRANT\"}"
  api -X POST "$ADMIN/clients" -d "{\"clientId\":\"bench-$c\",\"publicClient\":true,\"standardFlowEnabled\":true,
    \"directAccessGrantsEnabled\":true,\"redirectUris\":[\"http://127.0.0.1:3999/cb\"],
    \"attributes\":{\"pkce.code.challenge.method\":\"S256\"},\"authenticationFlowBindingOverrides\":$overrides}"
done

echo "==> Seeding $USERS users (one hashed by Keycloak, its credential row copied to the others by SQL)"
started=$(date +%s)
api -X POST "$ADMIN/users" -d '{"username":"bench-template","email":"bench-template@bench.example","emailVerified":true,
  "firstName":"Bench","lastName":"Template","enabled":true,
  "credentials":[{"type":"password","value":"Bench-Passw0rd!","temporary":false}]}'
TEMPLATE=$(api "$ADMIN/users?username=bench-template&exact=true" | jq -r '.[0].id')
REALM_ID=$(api "$ADMIN" | jq -r .id)
psql -q -v ON_ERROR_STOP=1 -d "$TILLIT_CLUSTER_DB" <<SQL
INSERT INTO user_entity (id, email, email_constraint, email_verified, enabled, first_name, last_name, realm_id, username, created_timestamp, not_before)
  SELECT md5('lb' || i)::uuid::text, 'bench-' || lpad(i::text, 6, '0') || '@bench.example',
         'bench-' || lpad(i::text, 6, '0') || '@bench.example', true, true, 'Bench', 'User', '$REALM_ID',
         'bench-' || lpad(i::text, 6, '0'), (extract(epoch FROM now()) * 1000)::bigint, 0
  FROM generate_series(0, $USERS - 1) i;
INSERT INTO user_attribute (name, value, user_id, id)
  SELECT 'phone_number', '+46738' || lpad(i::text, 6, '0'), md5('lb' || i)::uuid::text, md5('lbp' || i)::uuid::text
  FROM generate_series(0, $USERS - 1) i
  UNION ALL SELECT 'phone_number_verified', 'true', md5('lb' || i)::uuid::text, md5('lbv' || i)::uuid::text
  FROM generate_series(0, $USERS - 1) i;
INSERT INTO credential (id, salt, type, user_id, created_date, user_label, secret_data, credential_data, priority)
  SELECT md5('lbc' || i)::uuid::text, c.salt, c.type, md5('lb' || i)::uuid::text, c.created_date, c.user_label,
         c.secret_data, c.credential_data, c.priority
  FROM credential c, generate_series(0, $USERS - 1) i WHERE c.user_id = '$TEMPLATE';
-- The code witnesses (see LoadDriver): an SMS second factor, which needs no secret of its own.
INSERT INTO credential (id, type, user_id, created_date, user_label, secret_data, credential_data, priority)
  SELECT md5('lbs' || i)::uuid::text, 'tillit-sms-otp', md5('lb' || i)::uuid::text,
         (extract(epoch FROM now()) * 1000)::bigint, 'SMS', '{}', '{}', 20
  FROM generate_series($USERS - 2 * $WITNESSES, $USERS - $WITNESSES - 1) i;
ANALYZE user_entity; ANALYZE user_attribute; ANALYZE credential;
SQL
echo "    seeded in $(( $(date +%s) - started )) s; users in the realm: $(api "$ADMIN/users/count")"

echo "==> Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
java bench/LoadDriver.java "$REALM" "$USERS" "$CLIENTS" "$SECS" "$WARMUP" "$OVER_CLIENTS" "$OVER_SECS" \
  "$WITNESSES" "$SMS_PORT" "$TLS/sms.p12"
echo "==> Server after the run: $(grep -c ' ERROR ' "$TILLIT_CLUSTER_DIR/node-a.log" || true) ERROR lines in its log; users: $(api "$ADMIN/users/count")"
