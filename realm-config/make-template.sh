#!/usr/bin/env bash
# Writes tillit-realm-template.json, the realm to import in production, from the demo realm
# tillit-realm.json: the same flows, policies, user profile, theme, events and Tillit settings,
# without the demo user (whose password is published) and the demo clients (localhost redirects;
# the reviewers' page client tillit-kyc-review stays: its addresses are relative to Keycloak's own),
# and with no SMS gateway chosen (the console gateway only works in development mode).
# It first copies user-profile.json (the one place to edit the user profile) into the demo realm,
# which carries it as a JSON string.
# Run after changing tillit-realm.json or user-profile.json; RealmTemplateTest fails while they disagree.
set -euo pipefail
cd "$(dirname "$0")"
jq --indent 2 --arg profile "$(jq -c . user-profile.json)" '
  .components["org.keycloak.userprofile.UserProfileProvider"][0].config["kc.user.profile.config"] = [$profile]
' tillit-realm.json > tillit-realm.json.new
mv tillit-realm.json.new tillit-realm.json
jq --indent 2 '
  del(.users)
  | .clients |= map(select(.clientId == "tillit-kyc-review"))
  | .components["org.keycloak.services.ui.extend.UiTabProvider"][0].config |= del(.smsGateway)
' tillit-realm.json > tillit-realm-template.json
echo "wrote realm-config/tillit-realm-template.json"
