#!/usr/bin/env bash
# Tillit demo: builds the JAR, runs Keycloak 26.7.0 (from Maven Central, cached under target/demo)
# with the pack and the demo realm on Keycloak's embedded dev database, at http://localhost:8080.
# Mail goes to a local SMTP sink and SMS to the console gateway: both print in this terminal.
#   ./demo.sh           start (keeps the demo's data between runs)
#   ./demo.sh --reset   forget the demo's data and import the realm afresh
set -euo pipefail
cd "$(dirname "$0")"

KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n1)
DEMO_DIR=target/demo
KC_HOME=$DEMO_DIR/keycloak-$KC_VERSION
MAIL_PORT=${TILLIT_DEMO_MAIL_PORT:-2525}

if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
  echo "Port 8080 is already in use: stop whatever holds it (another demo, the test suite) first." >&2
  exit 1
fi

echo "==> Building the Tillit JAR"
mvn -B -ntp -q -pl providers -am package -DskipTests
JAR=$(ls providers/target/tillit-keycloak-*.jar | grep -v original | head -n1)

if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo "==> Fetching Keycloak $KC_VERSION from Maven Central (once; cached in $DEMO_DIR)"
  mkdir -p "$DEMO_DIR"
  mvn -B -ntp -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$DEMO_DIR"
  unzip -q -o "$DEMO_DIR/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$DEMO_DIR"
  rm -f "$DEMO_DIR/keycloak-quarkus-dist-$KC_VERSION.zip"
fi

if [ "${1:-}" = "--reset" ]; then
  echo "==> Forgetting the demo's data"
  rm -rf "$KC_HOME/data"
fi

rm -f "$KC_HOME"/providers/tillit-keycloak-*.jar
cp "$JAR" "$KC_HOME/providers/"
mkdir -p "$KC_HOME/data/import"
cp realm-config/tillit-realm.json "$KC_HOME/data/import/"
# Keycloak's file vault: the demo realm's KYC encryption key (${vault.kyc-key}), made once per demo.
mkdir -p "$KC_HOME/data/vault"
[ -s "$KC_HOME/data/vault/tillit_kyc-key" ] || head -c 32 /dev/urandom | base64 > "$KC_HOME/data/vault/tillit_kyc-key"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java demo/DevMailSink.java "$MAIL_PORT" &
pids+=($!)

echo "==> Starting Keycloak $KC_VERSION with Tillit (first start builds the server: ~1 min)"
# The realm file's SMTP settings come from these variables (see README.md).
export TILLIT_SMTP_HOST=127.0.0.1 TILLIT_SMTP_PORT=$MAIL_PORT
export KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
export KC_BOOTSTRAP_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
"$KC_HOME/bin/kc.sh" start-dev --import-realm \
  --features=declarative-ui \
  --vault=file --vault-dir="$KC_HOME/data/vault" \
  --log-level=INFO &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs -o /dev/null http://localhost:8080/realms/tillit/.well-known/openid-configuration; then
    cat <<BANNER

  ────────────────────────────────────────────────────────────────────────
   Tillit demo is up (Keycloak $KC_VERSION, realm "tillit", embedded dev database)

   Sign in as the demo user (our theme, English / Swedish via the language menu):
     http://localhost:8080/realms/tillit/account
     user: demo@tillit.example  (or username: demo)   password: Tillit-Demo1!
   The demo web client's login page, in Swedish (sign in with 070-123 45 67, or "Skapa ett konto";
   afterwards the browser goes to http://localhost:3000/callback, the exchange's app, not part of the demo):
     http://localhost:8080/realms/tillit/protocol/openid-connect/auth?client_id=demo-web&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&ui_locales=sv
   Admin console:  http://localhost:8080/admin/master/console/#/tillit   (admin / admin)

   Mail (e.g. "Forgot password?") and SMS codes are printed right here.
   Realm-wide settings (SMS gateway, code limits, lock durations): admin console → realm tillit →
     Realm settings → Tillit   http://localhost:8080/admin/master/console/#/tillit/realm-settings/tillit
   Ctrl+C stops everything.
  ────────────────────────────────────────────────────────────────────────

BANNER
    wait -n "${pids[@]}"
    exit $?
  fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then echo "Keycloak exited" >&2; exit 1; fi
  sleep 2
done
echo "Keycloak did not come up within 6 minutes" >&2
exit 1
