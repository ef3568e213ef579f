#!/bin/sh
# A login command (README, "The login driver"): logs the user in on the
# embedded mock's standard login and consent pages with plain curl, and
# prints where the server finally redirected. The suite runs it with
#   OAUTH_CONFORMANCE_LOGIN_URL      the authorization URL
#   OAUTH_CONFORMANCE_REDIRECT_URI   where the login ends (never loaded)
#   OAUTH_CONFORMANCE_USERNAME, OAUTH_CONFORMANCE_PASSWORD
#   OAUTH_CONFORMANCE_LOGIN_INTENT   approve, deny or wrong-password
#   OAUTH_CONFORMANCE_ACCOUNT        the account to choose (when one is asked for)
# Its last line of output: the redirect URL; "refused" when the login form
# came back (or a 4xx answered the password); "no-account" when the
# account to choose is not offered; "error <status>" when the
# server answered an error page instead. Anything else, or a non-zero exit,
# is "not run".
set -eu
: "${OAUTH_CONFORMANCE_LOGIN_URL:?}" "${OAUTH_CONFORMANCE_USERNAME:?}" "${OAUTH_CONFORMANCE_PASSWORD:?}"
intent=${OAUTH_CONFORMANCE_LOGIN_INTENT:-approve}

jar=$(mktemp)
secret=$(mktemp)
trap 'rm -f "$jar" "$secret"' EXIT
origin=$(printf '%s' "$OAUTH_CONFORMANCE_LOGIN_URL" | sed 's#^\(https*://[^/]*\).*#\1#')

# The value of the (hidden) field $2 in the page $1, and a form's action.
field() {
  printf '%s' "$1" | grep -o "name=\"$2\" value=\"[^\"]*\"" | head -n 1 | sed 's/.*value="\([^"]*\)"/\1/'
}
action() {
  printf '%s' "$1" | grep -o '<form method="post" action="[^"]*"' | head -n 1 | sed 's/.*action="\([^"]*\)"/\1/'
}

# One request (curl's arguments): sets $page, $status and $location. A
# redirect is never followed: its target is printed when it is where the
# login ends, and an error status is printed as such.
fetch() {
  out=$(curl -sS --max-time 10 -c "$jar" -b "$jar" -w '\n%{http_code} %{redirect_url}' "$@")
  page=$(printf '%s' "$out" | sed '$d')
  last=$(printf '%s' "$out" | tail -n 1)
  status=${last%% *}
  location=${last#* }
}
ended() {
  case $status in
    3*) echo "$location"; exit 0 ;;
    4* | 5*) echo "error $status"; exit 0 ;;
  esac
}

# The login page (or straight back with a code or an error, or an error
# page): its session field and where the form posts.
fetch "$OAUTH_CONFORMANCE_LOGIN_URL"
ended
session=$(field "$page" session)
login=$(action "$page")
[ -n "$session" ] && [ -n "$login" ] || { echo "no login form at $origin" >&2; exit 1; }

# The password goes to curl in a file only this user can read, never on
# its command line (where ps would show it).
printf '%s' "$OAUTH_CONFORMANCE_PASSWORD" >"$secret"
fetch --data-urlencode "session=$session" --data-urlencode "username=$OAUTH_CONFORMANCE_USERNAME" \
  --data-urlencode "password@$secret" "$origin$login"
case $status in 4*) echo refused; exit 0 ;; esac
ended
if printf '%s' "$page" | grep -q 'type="password"'; then
  echo refused
  exit 0
fi

# The consent page: approve (with the account) or deny (its Cancel sends no
# "allow"); the answer is a redirect, printed, never followed.
consent=$(action "$page")
csrf=$(field "$page" csrf_token)
offered=$(printf '%s' "$page" | grep -o '<option value="[^"]*"' | sed 's/.*value="\([^"]*\)"/\1/')
[ -n "$offered" ] || offered=$(field "$page" account)
account=${OAUTH_CONFORMANCE_ACCOUNT:-$(printf '%s\n' "$offered" | head -n 1)}
if [ "$intent" != deny ] && ! printf '%s\n' "$offered" | grep -qx "$account"; then
  echo no-account
  exit 0
fi
[ -n "$consent" ] || { echo "no consent form at $origin" >&2; exit 1; }
set -- --data-urlencode "session=$session" --data-urlencode "csrf_token=$csrf" --data-urlencode "account=$account"
[ "$intent" = deny ] || set -- "$@" --data-urlencode "allow=Authorize"
fetch "$@" "$origin$consent"
ended
echo "the consent was answered $status without a redirect" >&2
exit 1
