#!/usr/bin/env bash
# A client of the 401go profile that breaks four rules on purpose: the
# secret in the token request's query, no state in its authorization
# request, a new token for every API call, and the token sent on to another
# origin after a redirect.
set -euo pipefail
id=$OAUTH_CONFORMANCE_CLIENT_ID
secret=$OAUTH_CONFORMANCE_CLIENT_SECRET
enc() { printf %s "$1" | jq -sRr @uri; }
basic=$(printf '%s:%s' "$(enc "$id")" "$(enc "$secret")" | base64 -w0)
# The secret in the URL query (RFC 6749 §2.3.1: MUST NOT).
curl -s -o /dev/null "$OAUTH_CONFORMANCE_TOKEN_URL?client_id=$(enc "$id")&client_secret=$(enc "$secret")" \
  --data-urlencode grant_type=client_credentials
# A new token for every call (seed 002).
for _ in 1 2 3; do
  token=$(curl -sf -H "Authorization: Basic $basic" --data-urlencode grant_type=client_credentials \
    "$OAUTH_CONFORMANCE_TOKEN_URL" | jq -r .access_token)
  curl -sf -H "Authorization: Bearer $token" "$OAUTH_CONFORMANCE_API_URL" >/dev/null
done
# The token follows a redirect to another origin (RFC 6750 §5.3).
curl -s -o /dev/null --location-trusted -H "Authorization: Bearer $token" \
  "${OAUTH_CONFORMANCE_TARGET}conformance/moved"
# An authorization request without state (RFC 6749 §10.12).
curl -s -o /dev/null -G "$OAUTH_CONFORMANCE_AUTHORIZATION_URL" \
  --data-urlencode response_type=code --data-urlencode "client_id=$id" \
  --data-urlencode "redirect_uri=$OAUTH_CONFORMANCE_REDIRECT_URI"
echo "done"
