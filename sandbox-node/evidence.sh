#!/usr/bin/env bash
# Exercise the running sandbox-node (oidc-provider) with curl and print every exchange: status,
# headers, body. Needs curl; parsing uses evidence-tools.mjs with the server's node. Talks to
# 127.0.0.1 only. Client secrets and the password are redacted from what it prints.
#   sandbox-node/run start && sandbox-node/evidence.sh > sandbox-node/evidence-transcript.txt
# Cases are numbered [E01], [E02], ... so that README.md can cite them.
# Headers left out of most exchanges (shown in full in [E04] and [E05]): Date, Connection,
# Keep-Alive, Content-Length, Vary, Access-Control-Allow-Origin, Access-Control-Expose-Headers.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
eval "$("$HERE/run" env)" || exit 1
STATE="${SANDBOX_NODE_STATE_DIR:-$REPO/target/sandbox-node}"
NODE="$(cat "$STATE/node.path")"
command -v curl >/dev/null || { echo "evidence.sh needs curl" >&2; exit 1; }

B="$SANDBOX_NODE_BASE_URL"
T="$SANDBOX_NODE_TOKEN_URL"
AUTHZ="$SANDBOX_NODE_AUTHORIZE_URL"
API="$SANDBOX_NODE_API_URL"
APIW="$SANDBOX_NODE_API_WRITE_URL"
REDIR="$OAUTH_CONFORMANCE_REDIRECT_URI"
CA="$SANDBOX_NODE_CLIENT_A_ID" CAS="$SANDBOX_NODE_CLIENT_A_SECRET"
CB="$SANDBOX_NODE_CLIENT_B_ID" CBS="$SANDBOX_NODE_CLIENT_B_SECRET"
CC="$SANDBOX_NODE_CLIENT_C_ID" CCS="$SANDBOX_NODE_CLIENT_C_SECRET"
CD="$SANDBOX_NODE_CLIENT_D_ID" CDS="$SANDBOX_NODE_CLIENT_D_SECRET"
USER_="$OAUTH_CONFORMANCE_USERNAME" PASS="$OAUTH_CONFORMANCE_PASSWORD"

W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
JAR="$W/cookies"
N=0

tool() { "$NODE" "$HERE/evidence-tools.mjs" "$@"; }
redact() {
    sed -E "s/$CAS|$CBS|$CCS|$CDS/<secret>/g; s/$PASS/<password>/g; s#$W/##g"
}

# req [-full] TITLE curl-args... : one numbered exchange; body in $W/body, headers in $W/headers
req() {
    local full="" pretty=""
    if [ "$1" = "-full" ]; then full=1; shift; fi
    if [ "$1" = "-pretty" ]; then pretty=1; shift; fi
    local title="$1"
    shift
    N=$((N + 1))
    echo
    printf '### [E%02d] %s\n' "$N" "$title"
    printf '$ curl %s\n' "$*" | redact
    curl -sS --noproxy '*' -D "$W/headers" -o "$W/body" "$@"
    if [ -n "$full" ]; then
        tr -d '\r' <"$W/headers" | sed '/^$/d' | redact
    else
        tr -d '\r' <"$W/headers" | sed '/^$/d' \
            | grep -viE '^(date|connection|keep-alive|content-length|vary|access-control-allow-origin|access-control-expose-headers):' | redact
    fi
    if grep -qi '^content-type: text/html' "$W/headers"; then
        tool page "$W/body" | redact
    elif [ -n "$pretty" ]; then
        tool pretty "$W/body"
    elif [ -s "$W/body" ]; then
        tool body "$W/body" ${full:+full} | redact
    else
        echo "[empty body]"
    fi
}
note() { echo "-> $*"; }
status() { tr -d '\r' <"$W/headers" | head -n 1 | awk '{print $2}'; }
json() { tool json "$W/body" "$1"; }
location() { tr -d '\r' <"$W/headers" | grep -i '^location:' | sed 's/^[Ll]ocation: //'; }
enc() { tool enc "$1"; }
absolute() { case "$1" in http*) echo "$1" ;; *) echo "$B$1" ;; esac; }

# authz_url CLIENT SCOPE STATE [extra query]
authz_url() {
    echo "$AUTHZ?response_type=code&client_id=$1&redirect_uri=$(enc "$REDIR")&scope=$(enc "$2")&state=$3${4:-}"
}

# flow URL DECISION: a user agent with the cookie jar $JAR from the authorize URL to the
# redirect to REDIR. DECISION: approve | deny (the consent page's "[ Cancel ]" link) |
# cancel-login (the login page's "[ Cancel ]" link) | stranger (log in as an unknown user once).
# Sets CODE, CB_STATE, CB_ERROR, CB_URL. Pages are summarised with their forms and links.
flow() {
    local url="$1" decision="${2:-approve}" next hops=0 logged_in=""
    CODE="" CB_STATE="" CB_ERROR="" CB_URL=""
    req "authorize GET ($decision)" -c "$JAR" -b "$JAR" "$url"
    while :; do
        hops=$((hops + 1))
        [ "$hops" -le 12 ] || { note "too many hops"; return 1; }
        case "$(status)" in
            30?) next="$(absolute "$(location)")" ;;
            200)
                local prompt action
                prompt="$(tool prompt "$W/body")"
                action="$(tool form-action "$W/body")"
                case "$prompt/$decision" in
                    login/cancel-login | consent/deny)
                        next="$(tool link "$W/body" Cancel)"
                        req "$prompt page: follow the \"[ Cancel ]\" link (GET)" -c "$JAR" -b "$JAR" "$next"
                        continue
                        ;;
                    login/stranger)
                        if [ -z "$logged_in" ]; then
                            logged_in=1
                            req "login POST as ${STRANGER_LOGIN:-an unknown user} with a wrong password" -c "$JAR" -b "$JAR" \
                                --data "$(tool form-data "$W/body" "login=${STRANGER_LOGIN:-somebody-else}" password=anything)" "$action"
                            continue
                        fi
                        note "the login page came back: the login was refused; stopping here"
                        return 0
                        ;;
                    login/*)
                        req "login POST (prompt=login, login=<username>, password=<password>)" -c "$JAR" -b "$JAR" \
                            --data "$(tool form-data "$W/body" "login=$USER_" "password=$PASS")" "$action"
                        continue
                        ;;
                    consent/*)
                        req "consent POST (prompt=consent: the \"Continue\" button)" -c "$JAR" -b "$JAR" \
                            --data "$(tool form-data "$W/body")" "$action"
                        continue
                        ;;
                    *) note "unexpected page"; return 1 ;;
                esac
                ;;
            *) note "stopped at status $(status)"; return 0 ;;
        esac
        case "$next" in
            "$REDIR"*)
                CB_URL="$next"
                CODE="$(tool qparam "$next" code)"
                CB_STATE="$(tool qparam "$next" state)"
                CB_ERROR="$(tool qparam "$next" error)"
                note "redirect to the client: $(tool query "$next")"
                return 0
                ;;
        esac
        req "follow Location" -c "$JAR" -b "$JAR" "$next"
    done
}

# exchange TITLE CLIENT SECRET CODE [extra curl args]: authorization_code grant with Basic auth
exchange() {
    local title="$1" id="$2" secret="$3" code="$4"
    shift 4
    req "$title" -u "$id:$secret" -d grant_type=authorization_code --data-urlencode "code=$code" "$@" "$T"
}
# code_for CLIENT SCOPE [extra query]: a fresh code (user already logged in via $JAR)
code_for() {
    flow "$(authz_url "$1" "$2" "s$RANDOM$RANDOM" "${3:-}")" approve >/dev/null
    echo "$CODE"
}

echo "sandbox-node evidence transcript: $(curl -sS --noproxy '*' "$B/healthz")"
echo "(client secrets and the user's password are shown as <secret> and <password>)"

echo
echo "===== metadata ====="
req -pretty "OpenID Connect discovery document" "$B/.well-known/openid-configuration"
cp "$W/body" "$W/oidc-metadata"
req "RFC 8414 path /.well-known/oauth-authorization-server" "$B/.well-known/oauth-authorization-server"
if [ "$(status)" = 200 ]; then note "compared with the discovery document: $(tool same-json "$W/oidc-metadata" "$W/body")"; fi
req "JWKS (jwks_uri)" "$B/jwks"

echo
echo "===== client credentials ====="
req -full "CC: client A, Basic (client_secret_basic), no scope" -u "$CA:$CAS" -d grant_type=client_credentials "$T"
tool jwt "$(json access_token)"
req -full "CC: client A, client_secret_post, scope=read write" -d grant_type=client_credentials \
    -d "client_id=$CA" -d "client_secret=$CAS" --data-urlencode "scope=read write" "$T"
tool jwt "$(json access_token)"
CC_RW="$(json access_token)"
req "CC: scope=read (narrower than the resource's read write)" -u "$CA:$CAS" -d grant_type=client_credentials -d scope=read "$T"
CC_R="$(json access_token)"
req "CC: scope=admin (unknown scope)" -u "$CA:$CAS" -d grant_type=client_credentials -d scope=admin "$T"
tool jwt "$(json access_token)"
req "CC: scope=read admin (one known, one unknown)" -u "$CA:$CAS" -d grant_type=client_credentials --data-urlencode "scope=read admin" "$T"
req "CC: scope=openid (an OpenID Connect scope)" -u "$CA:$CAS" -d grant_type=client_credentials -d scope=openid "$T"
req "CC: wrong secret, Basic" -u "$CA:wrong" -d grant_type=client_credentials "$T"
req "CC: wrong secret, client_secret_post" -d grant_type=client_credentials -d "client_id=$CA" -d client_secret=wrong "$T"
req "CC: unknown client, Basic" -u "nobody:nothing" -d grant_type=client_credentials "$T"
req "CC: no client authentication at all" -d grant_type=client_credentials "$T"
req "CC: client_id only, no secret (as a public client would)" -d grant_type=client_credentials -d "client_id=$CA" "$T"
req "CC: both Basic and body credentials (same client)" -u "$CA:$CAS" -d grant_type=client_credentials \
    -d "client_id=$CA" -d "client_secret=$CAS" "$T"
req "CC: Basic for client A, client_id=B in the body" -u "$CA:$CAS" -d grant_type=client_credentials -d "client_id=$CB" "$T"
req "missing grant_type" -u "$CA:$CAS" -d scope=read "$T"
req "unknown grant_type" -u "$CA:$CAS" -d grant_type=urn:example:unknown "$T"
req "grant_type=password (not enabled)" -u "$CA:$CAS" -d grant_type=password -d username=x -d password=y "$T"
req "grant_type twice" -u "$CA:$CAS" -d grant_type=client_credentials -d grant_type=client_credentials "$T"
req "GET to the token endpoint (parameters in the query)" -u "$CA:$CAS" "$T?grant_type=client_credentials"
req "POST with grant_type in the query string, Basic auth, empty body" -X POST -u "$CA:$CAS" "$T?grant_type=client_credentials"
req "POST with client credentials in the query string" -X POST \
    "$T?grant_type=client_credentials&client_id=$CA&client_secret=$CAS"
req "JSON body" -u "$CA:$CAS" -H 'Content-Type: application/json' --data '{"grant_type":"client_credentials"}' "$T"
req "CC by client C (registered for authorization_code only): unauthorized_client?" \
    -u "$CC:$CCS" -d grant_type=client_credentials "$T"
req "CC with resource= another (unknown) resource" -u "$CA:$CAS" -d grant_type=client_credentials \
    --data-urlencode "resource=https://other.example/" "$T"

echo
echo "===== authorization endpoint: login and consent pages ====="
rm -f "$JAR"
flow "$(authz_url "$CA" read st-first)" approve
CODE_FIRST="$CODE"
note "state returned: $CB_STATE (sent st-first)"
echo
echo "--- the same authorization again (session cookie kept, grant exists, no prompt) ---"
flow "$(authz_url "$CA" read st-again)" approve
CODE_AGAIN="$CODE"
echo
echo "--- again with prompt=consent ---"
flow "$(authz_url "$CA" read st-prompt "&prompt=consent")" approve
echo
echo "--- a wider scope than already granted (read write) ---"
flow "$(authz_url "$CA" "read write" st-wider)" approve
CODE_RW="$CODE"
echo
echo "--- deny: the consent page's [ Cancel ] link ---"
flow "$(authz_url "$CA" "read write" st-deny "&prompt=consent")" deny
echo
echo "--- abort on the login page (new browser, no session) ---"
rm -f "$JAR"
flow "$(authz_url "$CA" read st-cancel-login)" cancel-login
echo
echo "--- an unknown username ---"
rm -f "$JAR"
flow "$(authz_url "$CA" read st-stranger)" stranger
echo
echo "--- the right username with a wrong password ---"
rm -f "$JAR"
STRANGER_LOGIN="$USER_" flow "$(authz_url "$CA" read st-wrong-pass)" stranger
rm -f "$JAR"
: "$(code_for "$CA" read)"
note "(logged in again as $USER_ for the cases below, output omitted)"

echo
echo "===== authorization endpoint: errors ====="
req "unregistered redirect_uri" -c "$JAR" -b "$JAR" \
    "$AUTHZ?response_type=code&client_id=$CA&redirect_uri=$(enc "http://127.0.0.1:9/evil")&scope=read&state=x1"
req "registered redirect URI with another port (loopback, RFC 8252 §7.3)" -c "$JAR" -b "$JAR" \
    "$AUTHZ?response_type=code&client_id=$CA&redirect_uri=$(enc "${REDIR/:${SANDBOX_NODE_BASE_URL##*:}/:65000}")&scope=read&state=x2"
req "unknown client_id" -c "$JAR" -b "$JAR" \
    "$AUTHZ?response_type=code&client_id=nobody&redirect_uri=$(enc "$REDIR")&scope=read&state=x3"
req "no redirect_uri (client has exactly one registered)" -c "$JAR" -b "$JAR" \
    "$AUTHZ?response_type=code&client_id=$CA&scope=read&state=x4"
note "Location query: $(tool query "$(location)")"
req "response_type=token (implicit, not registered for the client)" -c "$JAR" -b "$JAR" \
    "$(authz_url "$CA" read x5 | sed 's/response_type=code/response_type=token/')"
note "Location query: $(tool query "$(location)")"
req "no response_type" -c "$JAR" -b "$JAR" \
    "$AUTHZ?client_id=$CA&redirect_uri=$(enc "$REDIR")&scope=read&state=x6"
note "Location query: $(tool query "$(location)")"
req "scope=admin only (unknown scope) at the authorization endpoint" -c "$JAR" -b "$JAR" "$(authz_url "$CA" admin x7)"
note "Location query: $(tool query "$(location)")"
req "PKCE code_challenge_method=plain" -c "$JAR" -b "$JAR" \
    "$(authz_url "$CA" read x8 "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain")"
note "Location query: $(tool query "$(location)")"
req "PKCE code_challenge without code_challenge_method" -c "$JAR" -b "$JAR" \
    "$(authz_url "$CA" read x9 "&code_challenge=$(tool pkce | cut -d' ' -f2)")"
note "Location: $(location | sed -E 's/code=[^&]+/code=<code>/')"
req "PKCE code_challenge too short (S256)" -c "$JAR" -b "$JAR" \
    "$(authz_url "$CA" read x10 "&code_challenge=short&code_challenge_method=S256")"
note "Location query: $(tool query "$(location)")"
req "state missing" -c "$JAR" -b "$JAR" "$AUTHZ?response_type=code&client_id=$CA&redirect_uri=$(enc "$REDIR")&scope=read"
note "Location: $(location | sed -E 's/code=[^&]+/code=<code>/')"

echo
echo "===== code exchange ====="
CODE_FIRST="$(code_for "$CA" read)"
note "a fresh code (authorization codes live 60 s, oidc-provider's default)"
exchange "code of client A, no PKCE, redirect_uri given" "$CA" "$CAS" "$CODE_FIRST" --data-urlencode "redirect_uri=$REDIR"
AT_FIRST="$(json access_token)"
tool jwt "$AT_FIRST"
exchange "the same code again (reuse)" "$CA" "$CAS" "$CODE_FIRST" --data-urlencode "redirect_uri=$REDIR"
req "API probe with the access token issued from the reused code" -H "Authorization: Bearer $AT_FIRST" "$API"
CODE_AGAIN="$(code_for "$CA" read)"
exchange "client B exchanging client A's code" "$CB" "$CBS" "$CODE_AGAIN" --data-urlencode "redirect_uri=$REDIR"
exchange "the same code by its own client A afterwards (was it burnt?)" "$CA" "$CAS" "$CODE_AGAIN" --data-urlencode "redirect_uri=$REDIR"
C1="$(code_for "$CA" read)"
exchange "another redirect_uri than at the authorization request" "$CA" "$CAS" "$C1" \
    --data-urlencode "redirect_uri=$B/callback/other"
exchange "same code, right redirect_uri afterwards" "$CA" "$CAS" "$C1" --data-urlencode "redirect_uri=$REDIR"
C2="$(code_for "$CA" read)"
exchange "redirect_uri missing at the token endpoint (it was sent at the authorization request)" "$CA" "$CAS" "$C2"
C3="$(code_for "$CA" read)"
req "code exchange with client_secret_post" -d grant_type=authorization_code --data-urlencode "code=$C3" \
    --data-urlencode "redirect_uri=$REDIR" -d "client_id=$CA" -d "client_secret=$CAS" "$T"
CODE_RW="$(code_for "$CA" "read write")"
exchange "code exchange with a wrong client secret" "$CA" "wrong" "$CODE_RW" --data-urlencode "redirect_uri=$REDIR"
exchange "the same code (scope read write) with the right secret afterwards" "$CA" "$CAS" "$CODE_RW" --data-urlencode "redirect_uri=$REDIR"
exchange "a made-up code" "$CA" "$CAS" "not-a-code" --data-urlencode "redirect_uri=$REDIR"
req "authorization_code grant without code" -u "$CA:$CAS" -d grant_type=authorization_code --data-urlencode "redirect_uri=$REDIR" "$T"

if [ "${EVIDENCE_FAST:-0}" != 1 ]; then
    CEXP="$(code_for "$CA" read)"
    note "waiting 62 s for a code to expire (EVIDENCE_FAST=1 skips this)"
    sleep 62
    exchange "a code older than 60 s" "$CA" "$CAS" "$CEXP" --data-urlencode "redirect_uri=$REDIR"
fi

echo
echo "--- PKCE (RFC 7636) ---"
read -r VER CHAL <<<"$(tool pkce)"
flow "$(authz_url "$CA" read st-pkce "&code_challenge=$CHAL&code_challenge_method=S256")" approve
P1="$CODE"
exchange "PKCE code, no code_verifier" "$CA" "$CAS" "$P1" --data-urlencode "redirect_uri=$REDIR"
exchange "PKCE code, wrong code_verifier" "$CA" "$CAS" "$P1" --data-urlencode "redirect_uri=$REDIR" \
    -d code_verifier=wrongwrongwrongwrongwrongwrongwrongwrongwrong
exchange "PKCE code, the verifier itself sent as if plain were used (verifier = challenge)" "$CA" "$CAS" "$P1" \
    --data-urlencode "redirect_uri=$REDIR" -d "code_verifier=$CHAL"
exchange "PKCE code, right code_verifier (after three failures)" "$CA" "$CAS" "$P1" \
    --data-urlencode "redirect_uri=$REDIR" -d "code_verifier=$VER"
read -r VER2 CHAL2 <<<"$(tool pkce)"
P2="$(code_for "$CA" read "&code_challenge=$CHAL2&code_challenge_method=S256")"
exchange "PKCE code, right code_verifier, first try" "$CA" "$CAS" "$P2" --data-urlencode "redirect_uri=$REDIR" \
    -d "code_verifier=$VER2"
C4="$(code_for "$CA" read)"
exchange "code_verifier sent for a code issued without a challenge" "$CA" "$CAS" "$C4" \
    --data-urlencode "redirect_uri=$REDIR" -d "code_verifier=$VER"
exchange "code_verifier too short (42 chars)" "$CA" "$CAS" "$(code_for "$CA" read "&code_challenge=$CHAL&code_challenge_method=S256")" \
    --data-urlencode "redirect_uri=$REDIR" -d "code_verifier=${VER:0:42}"

echo
echo "===== refresh tokens ====="
C5="$(code_for "$CA" "read offline_access")"
note "authorization with scope 'read offline_access', no prompt=consent"
exchange "exchange: offline_access without prompt=consent" "$CA" "$CAS" "$C5" --data-urlencode "redirect_uri=$REDIR"
echo
echo "--- offline_access with prompt=consent (consent page shown) ---"
flow "$(authz_url "$CA" "read write offline_access" st-offline "&prompt=consent")" approve
exchange "exchange: offline_access with prompt=consent" "$CA" "$CAS" "$CODE" --data-urlencode "redirect_uri=$REDIR"
RT="$(json refresh_token)"
AT_RT="$(json access_token)"
tool jwt "$AT_RT"
req "refresh (client A, Basic)" -u "$CA:$CAS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" "$T"
note "refresh_token in the answer is $([ "$(json refresh_token)" = "$RT" ] && echo "THE SAME as before (not rotated)" || echo "a NEW one (rotated)")"
req "refresh again with the same refresh token" -u "$CA:$CAS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" "$T"
req "refresh with client_secret_post" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" \
    -d "client_id=$CA" -d "client_secret=$CAS" "$T"
req "refresh with a narrower scope (read)" -u "$CA:$CAS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" -d scope=read "$T"
req "refresh with a wider scope than granted (read write admin)" -u "$CA:$CAS" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT" --data-urlencode "scope=read write admin" "$T"
req "refresh with scope=openid (not granted)" -u "$CA:$CAS" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT" -d scope=openid "$T"
req "client B presenting client A's refresh token" -u "$CB:$CBS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" "$T"
req "client A's refresh token by client A afterwards" -u "$CA:$CAS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" "$T"
req "a made-up refresh token" -u "$CA:$CAS" -d grant_type=refresh_token -d refresh_token=not-a-token "$T"
req "client C (no refresh_token grant) with client A's refresh token" -u "$CC:$CCS" -d grant_type=refresh_token \
    --data-urlencode "refresh_token=$RT" "$T"

echo
echo "--- client C (authorization_code only) asks for offline_access with prompt=consent ---"
flow "$(authz_url "$CC" "read offline_access" st-c "&prompt=consent")" approve
exchange "client C exchanges its code" "$CC" "$CCS" "$CODE" --data-urlencode "redirect_uri=$REDIR"

echo
echo "--- rotation: client D (sandbox's rotateRefreshToken returns true for it) ---"
CODE="$(code_for "$CD" "read offline_access" "&prompt=consent")"
note "(logged-in user consented for client D with prompt=consent, output omitted)"
exchange "client D exchanges its code" "$CD" "$CDS" "$CODE" --data-urlencode "redirect_uri=$REDIR"
RTD1="$(json refresh_token)" ATD1="$(json access_token)"
req "client D refreshes" -u "$CD:$CDS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RTD1" "$T"
RTD2="$(json refresh_token)" ATD2="$(json access_token)"
note "refresh_token in the answer is $([ "$RTD2" = "$RTD1" ] && echo "THE SAME (not rotated)" || echo "a NEW one (rotated)")"
req "API probe with the access token issued before the rotation" -H "Authorization: Bearer $ATD1" "$API"
req "client D replays the rotated (old) refresh token" -u "$CD:$CDS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RTD1" "$T"
req "client D uses the newest refresh token after the replay" -u "$CD:$CDS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RTD2" "$T"

echo
echo "===== revocation and introspection (RFC 7009 / RFC 7662), with client B's own tokens ====="
CODEB="$(code_for "$CB" "read offline_access" "&prompt=consent")"
exchange "client B exchanges a code (offline_access, prompt=consent)" "$CB" "$CBS" "$CODEB" --data-urlencode "redirect_uri=$REDIR"
RTB="$(json refresh_token)" ATB="$(json access_token)"
req "introspect client B's JWT access token (as client B)" -u "$CB:$CBS" --data-urlencode "token=$ATB" "$SANDBOX_NODE_INTROSPECT_URL"
req "introspect client B's refresh token (as client B)" -u "$CB:$CBS" --data-urlencode "token=$RTB" "$SANDBOX_NODE_INTROSPECT_URL"
req "introspect client B's refresh token as client A" -u "$CA:$CAS" --data-urlencode "token=$RTB" "$SANDBOX_NODE_INTROSPECT_URL"
req "revoke client B's JWT access token" -u "$CB:$CBS" --data-urlencode "token=$ATB" "$SANDBOX_NODE_REVOKE_URL"
req "API probe with that JWT after the revocation attempt" -H "Authorization: Bearer $ATB" "$API"
req "client A tries to revoke client B's refresh token" -u "$CA:$CAS" --data-urlencode "token=$RTB" "$SANDBOX_NODE_REVOKE_URL"
req "client B revokes its refresh token" -u "$CB:$CBS" --data-urlencode "token=$RTB" "$SANDBOX_NODE_REVOKE_URL"
req "client B refreshes with the revoked refresh token" -u "$CB:$CBS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RTB" "$T"

echo
echo "--- code reuse and the refresh token issued from that code ---"
CR="$(code_for "$CA" "read offline_access" "&prompt=consent")"
exchange "exchange a code that yields a refresh token" "$CA" "$CAS" "$CR" --data-urlencode "redirect_uri=$REDIR"
RTR="$(json refresh_token)" ATR="$(json access_token)"
exchange "reuse that code" "$CA" "$CAS" "$CR" --data-urlencode "redirect_uri=$REDIR"
req "the refresh token issued from the reused code" -u "$CA:$CAS" -d grant_type=refresh_token --data-urlencode "refresh_token=$RTR" "$T"
req "the access token (JWT) issued from the reused code, at the API probe" -H "Authorization: Bearer $ATR" "$API"
req "client A's older refresh token from another authorization of the same user" -u "$CA:$CAS" \
    -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" "$T"

echo
echo "===== API probe (ours, RFC 6750 §3) ====="
req "no Authorization header" "$API"
req "Authorization: Basic (another scheme)" -u "$CA:$CAS" "$API"
req "Authorization: Bearer with no token" -H "Authorization: Bearer" "$API"
req "made-up token" -H "Authorization: Bearer not-a-real-token" "$API"
req "JWT with a tampered signature" -H "Authorization: Bearer $(tool tamper "$CC_RW")" "$API"
req "valid CC token (scope read write)" -H "Authorization: Bearer $CC_RW" "$API"
req "valid CC token (scope read) on /api/write" -H "Authorization: Bearer $CC_R" "$APIW"
req "valid CC token (scope read write) on /api/write" -H "Authorization: Bearer $CC_RW" "$APIW"
req "user token from the code flow" -H "Authorization: Bearer $AT_RT" "$API"
req "token in the query string (not accepted by the probe)" "$API?access_token=$CC_RW"
req "lower-case scheme: authorization: bearer <token>" -H "authorization: bearer $CC_RW" "$API"

echo
echo
echo "===== callback and health ====="
req "GET /callback echoes its query" "$REDIR?code=abc&state=xyz&iss=$(enc "$B")"
req "GET /.well-known/jwks.json (alias of /jwks)" "$B/.well-known/jwks.json"
note "compared with /jwks: $(curl -sS --noproxy '*' "$B/jwks" >"$W/jwks"; tool same-json "$W/jwks" "$W/body")"
echo
echo "===== framing and CORS at the authorization endpoint (RFC 9700 §4.16, §2.6) ====="
# Only the headers these rules are about.
browser_headers() { tr -d '\r' <"$W/headers" | grep -iE '^(HTTP/|location|x-frame-options|content-security-policy|access-control-)' | sed -E 's#(/interaction/)[A-Za-z0-9_-]+#\1<uid>#'; }
no_header() { grep -qi "^$1" "$W/headers" || echo "(no $1 header)"; }
echo
echo "### GET $AUTHZ (the login interaction starts)"
curl -sS --noproxy '*' -c "$W/framejar" -D "$W/headers" -o /dev/null \
    "$AUTHZ?response_type=code&client_id=$CA&redirect_uri=$(enc "$REDIR")&scope=openid"
browser_headers
INTERACTION="$(tr -d '\r' <"$W/headers" | grep -i '^location:' | sed 's/^[Ll]ocation: //')"
case "$INTERACTION" in /*) INTERACTION="$B$INTERACTION" ;; esac
echo
echo "### GET the login page (/interaction/<uid>)"
curl -sS --noproxy '*' -b "$W/framejar" -D "$W/headers" -o /dev/null "$INTERACTION"
browser_headers
no_header X-Frame-Options
no_header Content-Security-Policy
echo
echo "### GET $AUTHZ with a client_id it never issued (its error page)"
curl -sS --noproxy '*' -D "$W/headers" -o /dev/null \
    "$AUTHZ?response_type=code&client_id=unknown-client&redirect_uri=$(enc "$REDIR")"
browser_headers
no_header X-Frame-Options
no_header Content-Security-Policy
echo
echo "### CORS preflight from another site: OPTIONS $AUTHZ"
curl -sS --noproxy '*' -X OPTIONS -H 'Origin: https://cross-site.invalid' \
    -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type' \
    -D "$W/headers" -o /dev/null "$AUTHZ?response_type=code&client_id=$CA"
browser_headers
no_header Access-Control-Allow-Origin
echo
echo "### CORS simple request from another site: GET $AUTHZ"
curl -sS --noproxy '*' -H 'Origin: https://cross-site.invalid' -D "$W/headers" -o /dev/null \
    "$AUTHZ?response_type=code&client_id=$CA&redirect_uri=$(enc "$REDIR")&scope=openid"
browser_headers
no_header Access-Control-Allow-Origin
echo
echo "===== end: $N exchanges ====="
