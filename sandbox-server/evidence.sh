#!/usr/bin/env bash
# Exercise the running sandbox with curl and print every exchange (status, headers, body).
# Needs curl; JSON/HTML parsing uses the sandbox's virtualenv Python. Talks to 127.0.0.1 only.
#   sandbox-server/run start && sandbox-server/evidence.sh > evidence.txt
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
eval "$("$HERE/run" env)"
STATE="${SANDBOX_STATE_DIR:-$HERE/../target/sandbox-server}"
PY="${SANDBOX_VENV:-$STATE/venv}/bin/python"
B="$SANDBOX_BASE_URL"
T="$SANDBOX_TOKEN_URL"
A="$SANDBOX_AUTHORIZE_URL"
R="$SANDBOX_RESOURCE_URL"
CS="$SANDBOX_CONNECTION_SUCCESS_URL"
REDIR="$OAUTH_CONFORMANCE_REDIRECT_URI"
CC="$SANDBOX_CC_CLIENT_ID" CCS="$SANDBOX_CC_CLIENT_SECRET"
AC="$SANDBOX_AC_CLIENT_ID" ACS="$SANDBOX_AC_CLIENT_SECRET"
AC2="$SANDBOX_AC2_CLIENT_ID" AC2S="$SANDBOX_AC2_CLIENT_SECRET"

W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
JAR="$W/cookies"

# req TITLE curl-args... : run one request, print it; body in $W/body, headers in $W/headers
req() {
    local title="$1"
    shift
    echo
    echo "### $title"
    echo "\$ curl $*" | sed -E 's/(client_secret=)[^& ]+/\1<secret>/g; s/(-u [^: ]+:)[^ ]+/\1<secret>/g; s/(password=)[^& ]+/\1<password>/g'
    curl -sS --noproxy '*' -D "$W/headers" -o "$W/body" "$@"
    tr -d '\r' <"$W/headers" | grep -viE '^(date|content-length|x-content-type-options|referrer-policy|cross-origin-opener-policy|x-frame-options|vary|server):' | sed '/^$/d'
    local ctype
    ctype="$(tr -d '\r' <"$W/headers" | grep -i '^content-type:' | tail -n 1)"
    if echo "$ctype" | grep -qi 'text/html'; then
        echo "[html body: $(wc -c <"$W/body") bytes; title: $(grep -o '<title>[^<]*' "$W/body" | sed 's/<title>//')$(html_text)]"
    else
        head -c 700 "$W/body"
        echo
    fi
}
# text of <h1>/<p> for error pages
html_text() {
    local t
    t="$(grep -oE '<(h1|p)>[^<]*' "$W/body" | sed -E 's/<(h1|p)>//' | tr '\n' ' ' | sed 's/ *$//')"
    if [ -n "$t" ]; then printf '; text: %s' "$t"; fi
}
status() { tr -d '\r' <"$W/headers" | head -n 1 | awk '{print $2}'; }
json() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$W/body" "$1"; }
location() { tr -d '\r' <"$W/headers" | grep -i '^location:' | sed 's/^[Ll]ocation: //'; }
qparam() { "$PY" -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query).get(sys.argv[2],[""])[0])' "$1" "$2"; }
enc() { "$PY" -c 'import sys,urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$1"; }
csrf() { grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$W/body" | head -n 1 | sed 's/.*value="//; s/"$//'; }
# consent form -> urlencoded hidden fields (+ csrf)
consent_fields() {
    "$PY" - "$W/body" <<'PY'
import html.parser, sys, urllib.parse
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.f = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.f.append((a.get("name"), a.get("value") or ""))
p = P(); p.feed(open(sys.argv[1]).read())
print(urllib.parse.urlencode(p.f))
PY
}
pkce() { # -> "verifier challenge"
    "$PY" -c '
import base64,hashlib,secrets
v = secrets.token_urlsafe(48)
c = base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b"=").decode()
print(v, c)'
}

# login as the conformance user, starting from the authorize request's redirect
# to the login page (LOCATION), as a browser would; ends on the consent form
login() {
    local login_url="$B$1"
    req "login form (GET the Location above)" -c "$JAR" -b "$JAR" "$login_url"
    local token next
    token="$(csrf)"
    next="$(grep -o 'name="next" value="[^"]*"' "$W/body" | head -n 1 | sed 's/.*value="//; s/"$//; s/&amp;/\&/g')"
    req "login POST (csrf token + username + password + next)" -c "$JAR" -b "$JAR" \
        --data-urlencode "csrfmiddlewaretoken=$token" \
        --data-urlencode "username=$OAUTH_CONFORMANCE_USERNAME" \
        --data-urlencode "password=$OAUTH_CONFORMANCE_PASSWORD" \
        --data-urlencode "next=$next" "$login_url"
}

# authorize CLIENT CHALLENGE STATE [ACCOUNT] -> sets CODE (consent allowed)
authorize() {
    local client="$1" challenge="$2" state="$3" account="${4:-participant}"
    local url="$A?response_type=code&client_id=$client&redirect_uri=$(enc "$REDIR")&scope=$(enc "read participant:read")&state=$state&code_challenge=$challenge&code_challenge_method=S256"
    req "authorize GET (logged in) -> consent form" -c "$JAR" -b "$JAR" "$url"
    local fields
    fields="$(consent_fields)"
    req "consent POST allow (account=$account)" -c "$JAR" -b "$JAR" -H "Referer: $url" \
        --data "$fields&allow=Authorize&account=$account" "$url"
    CODE="$(qparam "$(location)" code)"
    echo "-> code=$CODE state=$(qparam "$(location)" state)"
}

echo "===== client credentials ====="
req "CC: Basic auth, form body" -u "$CC:$CCS" -d grant_type=client_credentials "$T"
CC_TOKEN="$(json access_token)"
req "CC: credentials in form body (client_secret_post)" -d grant_type=client_credentials \
    -d "client_id=$CC" -d "client_secret=$CCS" -d "scope=read participant:read" "$T"
req "CC: wrong secret (Basic)" -u "$CC:wrong" -d grant_type=client_credentials "$T"
req "CC: wrong secret (body)" -d grant_type=client_credentials -d "client_id=$CC" -d client_secret=wrong "$T"
req "CC: unknown client (Basic)" -u "nobody:nothing" -d grant_type=client_credentials "$T"
req "CC: no client authentication at all" -d grant_type=client_credentials "$T"
req "CC: both Basic and body credentials (README item 30)" -u "$CC:$CCS" -d grant_type=client_credentials \
    -d "client_id=$CC" -d "client_secret=$CCS" "$T"
req "CC: grant_type twice (README item 29)" -u "$CC:$CCS" -d grant_type=client_credentials \
    -d grant_type=client_credentials "$T"
req "unknown grant_type" -u "$CC:$CCS" -d grant_type=urn:example:unknown "$T"
req "CC: an empty scope= (README item 28)" -u "$CC:$CCS" -d grant_type=client_credentials -d scope= "$T"
req "CC: an unknown parameter" -u "$CC:$CCS" -d grant_type=client_credentials -d x_conformance_extension=1 "$T"
req "missing grant_type" -u "$CC:$CCS" -d scope=read "$T"
req "invalid scope" -u "$CC:$CCS" -d grant_type=client_credentials -d scope=admin "$T"
req "CC grant by an authorization-code client (unauthorized_client?)" -u "$AC:$ACS" -d grant_type=client_credentials "$T"
req "GET on the token endpoint" -u "$CC:$CCS" "$T?grant_type=client_credentials"
req "JSON body on the token endpoint" -u "$CC:$CCS" -H 'Content-Type: application/json' \
    -d '{"grant_type":"client_credentials"}' "$T"

echo
echo "===== authorization code ====="
read -r VERIFIER CHALLENGE <<<"$(pkce)"
STATE1="st-$RANDOM$RANDOM"
URL="$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=$(enc "read participant:read")&state=$STATE1&code_challenge=$CHALLENGE&code_challenge_method=S256"
req "authorize GET, not logged in" -c "$JAR" -b "$JAR" "$URL"
login "$(location)"
echo "-> login redirects back to: $(location)"
authorize "$AC" "$CHALLENGE" "$STATE1" company
CODE1="$CODE"
req "follow the redirect (sandbox /callback echoes the query)" "$(location)"
req "code exchange, client_id+client_secret in body, PKCE verifier" -d grant_type=authorization_code \
    -d "code=$CODE1" -d "redirect_uri=$REDIR" -d "client_id=$AC" -d "client_secret=$ACS" \
    -d "code_verifier=$VERIFIER" "$T"
AT1="$(json access_token)" RT1="$(json refresh_token)"
req "code reuse (same client, same verifier)" -d grant_type=authorization_code \
    -d "code=$CODE1" -d "redirect_uri=$REDIR" -d "client_id=$AC" -d "client_secret=$ACS" \
    -d "code_verifier=$VERIFIER" "$T"
req "access token from the first exchange, after the code reuse" -H "Authorization: Bearer $AT1" "$R"
req "refresh (body credentials)" -d grant_type=refresh_token -d "refresh_token=$RT1" \
    -d "client_id=$AC" -d "client_secret=$ACS" "$T"
AT2="$(json access_token)" RT2="$(json refresh_token)"
req "old access token after refresh" -H "Authorization: Bearer $AT1" "$R"
req "new access token after refresh" -H "Authorization: Bearer $AT2" "$R"
req "reuse of the rotated (old) refresh token" -d grant_type=refresh_token -d "refresh_token=$RT1" \
    -d "client_id=$AC" -d "client_secret=$ACS" "$T"
req "new refresh token still usable after the replay? (Basic)" -u "$AC:$ACS" -d grant_type=refresh_token \
    -d "refresh_token=$RT2" "$T"
AT3="$(json access_token)" RT3="$(json refresh_token)"
req "refresh token of client AC presented by client AC2" -d grant_type=refresh_token -d "refresh_token=$RT3" \
    -d "client_id=$AC2" -d "client_secret=$AC2S" "$T"
req "refresh with a narrower scope" -u "$AC:$ACS" -d grant_type=refresh_token -d "refresh_token=$RT3" -d scope=read "$T"
RT4="$(json refresh_token)"
req "the narrower refresh's new refresh token, asking for scope within the original grant (README item 31)" -u "$AC:$ACS" -d grant_type=refresh_token \
    -d "refresh_token=$RT4" -d "scope=read write" "$T"

read -r V2 C2 <<<"$(pkce)"
authorize "$AC" "$C2" "st2" participant
req "code of client AC exchanged by client AC2" -d grant_type=authorization_code -d "code=$CODE" \
    -d "redirect_uri=$REDIR" -d "client_id=$AC2" -d "client_secret=$AC2S" -d "code_verifier=$V2" "$T"
req "same code, now by the right client (was it burnt by the wrong-client attempt?)" -u "$AC:$ACS" \
    -d grant_type=authorization_code -d "code=$CODE" -d "redirect_uri=$REDIR" -d "code_verifier=$V2" "$T"
RT_OLD="$(json refresh_token)"
# age the pair: DOT's refresh token dies REFRESH_TOKEN_EXPIRE_SECONDS after its access token expires
(cd "$HERE/project" && SANDBOX_STATE_DIR="$STATE" "$PY" manage.py shell -v 0 -c "
import datetime, hashlib
from django.utils import timezone
from oauth2_provider.models import RefreshToken
rt = RefreshToken.objects.get(token_checksum=hashlib.sha256('$RT_OLD'.encode()).hexdigest())
at = rt.access_token
at.expires = timezone.now() - datetime.timedelta(days=30, seconds=10)
at.save(update_fields=['expires'])
")
req "refresh token whose access token expired 30 days + 10 s ago" -u "$AC:$ACS" -d grant_type=refresh_token \
    -d "refresh_token=$RT_OLD" "$T"

read -r V3 C3 <<<"$(pkce)"
authorize "$AC" "$C3" "st3"
req "code exchange without code_verifier" -u "$AC:$ACS" -d grant_type=authorization_code \
    -d "code=$CODE" -d "redirect_uri=$REDIR" "$T"
req "code exchange with a wrong code_verifier" -u "$AC:$ACS" -d grant_type=authorization_code \
    -d "code=$CODE" -d "redirect_uri=$REDIR" -d "code_verifier=$V2" "$T"
req "code exchange with the right verifier after two failures" -u "$AC:$ACS" -d grant_type=authorization_code \
    -d "code=$CODE" -d "redirect_uri=$REDIR" -d "code_verifier=$V3" "$T"
AC_LIVE="$(json access_token)"

read -r V4 C4 <<<"$(pkce)"
authorize "$AC" "$C4" "st4"
req "code exchange with a different redirect_uri" -u "$AC:$ACS" -d grant_type=authorization_code \
    -d "code=$CODE" -d "redirect_uri=http://127.0.0.1:8765/other" -d "code_verifier=$V4" "$T"
req "code exchange without redirect_uri" -u "$AC:$ACS" -d grant_type=authorization_code \
    -d "code=$CODE" -d "code_verifier=$V4" "$T"
RT_29="$(json refresh_token)"
(cd "$HERE/project" && SANDBOX_STATE_DIR="$STATE" "$PY" manage.py shell -v 0 -c "
import datetime, hashlib
from django.utils import timezone
from oauth2_provider.models import RefreshToken
rt = RefreshToken.objects.get(token_checksum=hashlib.sha256('$RT_29'.encode()).hexdigest())
at = rt.access_token
at.expires = timezone.now() - datetime.timedelta(days=29)
at.save(update_fields=['expires'])
")
req "refresh token whose access token expired 29 days ago" -u "$AC:$ACS" -d grant_type=refresh_token \
    -d "refresh_token=$RT_29" "$T"
req "code exchange with wrong client secret" -d grant_type=authorization_code -d "code=$CODE" \
    -d "redirect_uri=$REDIR" -d "client_id=$AC" -d client_secret=wrong -d "code_verifier=$V4" "$T"

read -r V5 C5 <<<"$(pkce)"
authorize "$AC" "$C5" "st5"
(cd "$HERE/project" && SANDBOX_STATE_DIR="$STATE" "$PY" manage.py shell -v 0 -c "
import datetime
from django.utils import timezone
from oauth2_provider.models import Grant
Grant.objects.filter(code='$CODE').update(expires=timezone.now() - datetime.timedelta(seconds=1))
")
req "code exchange after the code expired (AUTHORIZATION_CODE_EXPIRE_SECONDS=60)" -u "$AC:$ACS" \
    -d grant_type=authorization_code -d "code=$CODE" -d "redirect_uri=$REDIR" -d "code_verifier=$V5" "$T"

req "authorize without PKCE (code_challenge missing)" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=read&state=nopkce"
req "authorize with code_challenge_method=plain" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=read&state=plain&code_challenge=$V4&code_challenge_method=plain"
req "authorize with unregistered redirect_uri" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "http://127.0.0.1:8765/other")&scope=read&state=x&code_challenge=$C4&code_challenge_method=S256"
req "authorize with registered loopback redirect_uri on another port (RFC 8252)" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "http://127.0.0.1:9999/callback")&scope=read&state=x&code_challenge=$C4&code_challenge_method=S256"
req "authorize with unknown client_id" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=nobody&redirect_uri=$(enc "$REDIR")&scope=read&state=x&code_challenge=$C4&code_challenge_method=S256"
req "authorize with unsupported response_type" -c "$JAR" -b "$JAR" \
    "$A?response_type=token2&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=read&state=x&code_challenge=$C4&code_challenge_method=S256"
req "authorize with invalid scope" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=admin&state=x&code_challenge=$C4&code_challenge_method=S256"
req "authorize with a client-credentials client" -c "$JAR" -b "$JAR" \
    "$A?response_type=code&client_id=$CC&redirect_uri=$(enc "$REDIR")&scope=read&state=x&code_challenge=$C4&code_challenge_method=S256"
DENY_URL="$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")&scope=read&state=deny1&code_challenge=$C4&code_challenge_method=S256"
req "authorize GET for a denial" -c "$JAR" -b "$JAR" "$DENY_URL"
F="$(consent_fields)"
req "consent POST without allow (user clicks Cancel)" -c "$JAR" -b "$JAR" --data "$F" "$DENY_URL"
req "consent POST without csrf token" -c "$JAR" -b "$JAR" \
    --data "client_id=$AC&redirect_uri=$(enc "$REDIR")&response_type=code&scope=read&allow=Authorize" "$DENY_URL"

echo
echo "===== protected resource /api/example-endpoint ====="
req "valid token (client credentials)" -H "Authorization: Bearer $CC_TOKEN" "$R"
req "valid token (authorization code; consent chose account=participant)" -H "Authorization: Bearer $AC_LIVE" "$R"
req "missing token" "$R"
req "wrong token" -H "Authorization: Bearer not-a-real-token" "$R"
req "Basic credentials instead of a bearer token" -u "$CC:$CCS" "$R"
req "malformed Bearer header (no token)" -H "Authorization: Bearer" "$R"
req "token in the query string (?access_token=)" "$R?access_token=$CC_TOKEN"
READ_TOKEN="$(curl -sS --noproxy '*' -u "$CC:$CCS" -d grant_type=client_credentials -d scope=read "$T" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
req "insufficient scope (/write with a read-only token)" -H "Authorization: Bearer $READ_TOKEN" "$SANDBOX_RESOURCE_WRITE_URL"
# expire a token in the database to show the expired-token answer
EXP_TOKEN="$(curl -sS --noproxy '*' -u "$CC:$CCS" -d grant_type=client_credentials "$T" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
(cd "$HERE/project" && SANDBOX_STATE_DIR="$STATE" "$PY" manage.py shell -v 0 -c "
import datetime, hashlib
from django.utils import timezone
from oauth2_provider.models import AccessToken
AccessToken.objects.filter(token_checksum=hashlib.sha256('$EXP_TOKEN'.encode()).hexdigest()).update(expires=timezone.now() - datetime.timedelta(seconds=5))
")
req "expired token" -H "Authorization: Bearer $EXP_TOKEN" "$R"
req "introspect an active token (RFC 7662, Basic client auth)" -u "$CC:$CCS" -d "token=$CC_TOKEN" "$SANDBOX_INTROSPECT_URL"
req "revoke the client-credentials token (RFC 7009)" -u "$CC:$CCS" -d "token=$CC_TOKEN" "$SANDBOX_REVOKE_URL"
req "revoked token" -H "Authorization: Bearer $CC_TOKEN" "$R"
req "DOT stock ProtectedResourceView: missing token" "$B/api/dot-default-protected"
req "DOT stock ProtectedResourceView: wrong token" -H "Authorization: Bearer nope" "$B/api/dot-default-protected"
req "DOT ProtectedResourceMetadataMixin: missing token" "$B/api/dot-rfc9728-protected"
req "DOT ProtectedResourceMetadataMixin: wrong token" -H "Authorization: Bearer nope" "$B/api/dot-rfc9728-protected"

echo
echo "===== connection success ====="
req "form body with client_id" -H "Authorization: Bearer $AC_LIVE" -d "client_id=$AC" "$CS"
req "JSON body" -H "Authorization: Bearer $AC_LIVE" -H 'Content-Type: application/json' -d "{\"client_id\":\"$AC\"}" "$CS"
req "form body, no token" -d "client_id=$AC" "$CS"
req "form body, client_id of another client" -H "Authorization: Bearer $AC_LIVE" -d "client_id=$AC2" "$CS"
req "form body without client_id" -H "Authorization: Bearer $AC_LIVE" -d "foo=bar" "$CS"
req "GET" -H "Authorization: Bearer $AC_LIVE" "$CS"
req "alias path /api/connection-success/" -H "Authorization: Bearer $AC_LIVE" -d "client_id=$AC" "$B/api/connection-success/"

echo
echo "===== framing and CORS at the authorization endpoint (RFC 9700 §4.16, §2.6) ====="
# Only the headers these rules are about (req() leaves X-Frame-Options out).
browser_headers() { tr -d '\r' <"$W/headers" | grep -iE '^(HTTP/|x-frame-options|content-security-policy|access-control-)'; }
UNKNOWN_AUTH="$A?response_type=code&client_id=unknown-client&redirect_uri=$(enc "$REDIR")"
for page in "$B/accounts/login/" "$UNKNOWN_AUTH"; do
    echo
    echo "### frame protection of GET $page"
    curl -sS --noproxy '*' -D "$W/headers" -o /dev/null "$page"
    browser_headers
    grep -qi '^content-security-policy' "$W/headers" || echo "(no Content-Security-Policy header)"
done
echo
echo "### CORS preflight from another site: OPTIONS $A"
curl -sS --noproxy '*' -X OPTIONS -H 'Origin: https://cross-site.invalid' \
    -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type' \
    -D "$W/headers" -o /dev/null "$A?response_type=code&client_id=$AC"
browser_headers
grep -qi '^access-control-allow-origin' "$W/headers" || echo "(no Access-Control-Allow-Origin header)"
echo
echo "### CORS simple request from another site: GET $A"
curl -sS --noproxy '*' -H 'Origin: https://cross-site.invalid' -D "$W/headers" -o /dev/null \
    "$A?response_type=code&client_id=$AC&redirect_uri=$(enc "$REDIR")"
browser_headers
grep -qi '^access-control-allow-origin' "$W/headers" || echo "(no Access-Control-Allow-Origin header)"
