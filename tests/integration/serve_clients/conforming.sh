#!/usr/bin/env bash
# A small conforming client of the 401go profile, in curl: client
# credentials (one token, stored and reused), the code flow with state and
# PKCE S256, a refresh, the connection-success call. Reads only the
# OAUTH_CONFORMANCE_* variables `serve` sets. Prints no secret.
set -euo pipefail
: "${OAUTH_CONFORMANCE_TOKEN_URL:?}" "${OAUTH_CONFORMANCE_API_URL:?}"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
id=$OAUTH_CONFORMANCE_CLIENT_ID
secret=$OAUTH_CONFORMANCE_CLIENT_SECRET
enc() { printf %s "$1" | jq -sRr @uri; }

# Client credentials: HTTP Basic of the form-encoded id and secret (§2.3.1).
basic=$(printf '%s:%s' "$(enc "$id")" "$(enc "$secret")" | base64 -w0)
token=$(curl -sf -H "Authorization: Basic $basic" \
  --data-urlencode grant_type=client_credentials --data-urlencode "scope=read write" \
  "$OAUTH_CONFORMANCE_TOKEN_URL" | jq -r .access_token)
for _ in 1 2 3; do
  curl -sf -H "Authorization: Bearer $token" "$OAUTH_CONFORMANCE_API_URL" >/dev/null
done
echo "client credentials: one token, three calls"

# The code flow, twice (fresh state and verifier each time).
for round in 1 2; do
  state=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')
  verifier=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')
  challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | base64 -w0 | tr '+/' '-_' | tr -d '=')
  redirect=$OAUTH_CONFORMANCE_REDIRECT_URI
  page=$(curl -sf -c "$jar" -b "$jar" -G "$OAUTH_CONFORMANCE_AUTHORIZATION_URL" \
    --data-urlencode response_type=code --data-urlencode "client_id=$id" \
    --data-urlencode "redirect_uri=$redirect" --data-urlencode "state=$state" \
    --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256)
  field() { sed -n "s/.*name=\"$1\" value=\"\\([^\"]*\\)\".*/\\1/p" <<<"$2" | head -1; }
  session=$(field session "$page")
  page=$(curl -sf -c "$jar" -b "$jar" "${OAUTH_CONFORMANCE_AUTHORIZATION_URL}login" \
    --data-urlencode "session=$session" --data-urlencode "username=$OAUTH_CONFORMANCE_USERNAME" \
    --data-urlencode "password=$OAUTH_CONFORMANCE_PASSWORD")
  csrf=$(field csrf_token "$page")
  location=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" \
    "${OAUTH_CONFORMANCE_AUTHORIZATION_URL}consent" --data-urlencode "session=$session" \
    --data-urlencode "csrf_token=$csrf" --data-urlencode account=participant \
    --data-urlencode allow=Authorize)
  query=${location#*\?}
  param() { tr '&' '\n' <<<"$query" | sed -n "s/^$1=//p" | head -1; }
  [ "$(param state)" = "$state" ] || { echo "state mismatch: refusing the redirect" >&2; exit 1; }
  code=$(param code)
  tokens=$(curl -sf "$OAUTH_CONFORMANCE_TOKEN_URL" --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=$code" --data-urlencode "redirect_uri=$redirect" \
    --data-urlencode "code_verifier=$verifier" \
    --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret")
  user_token=$(jq -r .access_token <<<"$tokens")
  refresh=$(jq -r .refresh_token <<<"$tokens")
  # Seed 001: the connection-success call, client_id as form data.
  curl -sf -H "Authorization: Bearer $user_token" --data-urlencode "client_id=$id" \
    "$OAUTH_CONFORMANCE_CONNECTION_SUCCESS_URL" >/dev/null
done
echo "code flow: two authorizations"

# A refresh, then the API refuses its token once (a fault on cue): the
# client renews with the refresh token it holds and retries once.
tokens=$(curl -sf "$OAUTH_CONFORMANCE_TOKEN_URL" --data-urlencode grant_type=refresh_token \
  --data-urlencode "refresh_token=$refresh" \
  --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret")
refresh=$(jq -r --arg old "$refresh" '.refresh_token // $old' <<<"$tokens")
user_token=$(jq -r .access_token <<<"$tokens")
curl -sf -H "Authorization: Bearer $user_token" "$OAUTH_CONFORMANCE_API_URL" >/dev/null
curl -sf "${OAUTH_CONFORMANCE_CONTROL_URL}faults" -d '{"fault": "api_token_rejected", "times": 1}' >/dev/null
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $user_token" "$OAUTH_CONFORMANCE_API_URL")
if [ "$status" = 401 ]; then
  tokens=$(curl -sf "$OAUTH_CONFORMANCE_TOKEN_URL" --data-urlencode grant_type=refresh_token \
    --data-urlencode "refresh_token=$refresh" \
    --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret")
  user_token=$(jq -r .access_token <<<"$tokens")
  curl -sf -H "Authorization: Bearer $user_token" "$OAUTH_CONFORMANCE_API_URL" >/dev/null
fi
echo "refresh: renewed once after a refused token"
