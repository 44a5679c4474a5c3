#!/usr/bin/env bash
# Writes tillit-realm-template.json, the realm to import in production, from the demo realm
# tillit-realm.json: the same flows, policies, user profile, theme, events and Tillit settings,
# without the demo user (whose password is published) and the demo clients (localhost redirects),
# and with no SMS gateway chosen (the console gateway only works in development mode).
# Run after changing tillit-realm.json; RealmTemplateTest fails while the two disagree.
set -euo pipefail
cd "$(dirname "$0")"
jq --indent 2 '
  del(.users, .clients)
  | .components["org.keycloak.services.ui.extend.UiTabProvider"][0].config |= del(.smsGateway)
' tillit-realm.json > tillit-realm-template.json
echo "wrote realm-config/tillit-realm-template.json"
