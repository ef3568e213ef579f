"""A client written with requests-oauthlib, as its documentation shows,
against `oauth-conformance serve --profile 401go` (run by ./run).

Client credentials (BackendApplicationClient), the authorization code flow
with PKCE S256 (OAuth2Session(pkce="S256")), a refresh, and API calls with
the session's token. The login and consent pages a browser would show are
played by `browser_authorize`, with plain requests. Reads only the
OAUTH_CONFORMANCE_* variables serve gives its command; prints no secret.
"""

import os
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

# The double listens on plain http on 127.0.0.1; oauthlib refuses http
# unless told (its own transport rule, RFC 6749 §3.1).
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

ENV = os.environ
TOKEN_URL = ENV["OAUTH_CONFORMANCE_TOKEN_URL"]
AUTHORIZATION_URL = ENV["OAUTH_CONFORMANCE_AUTHORIZATION_URL"]
API_URL = ENV["OAUTH_CONFORMANCE_API_URL"]
CLIENT_ID = ENV["OAUTH_CONFORMANCE_CLIENT_ID"]
CLIENT_SECRET = ENV["OAUTH_CONFORMANCE_CLIENT_SECRET"]
USERNAME = ENV["OAUTH_CONFORMANCE_USERNAME"]
PASSWORD = ENV["OAUTH_CONFORMANCE_PASSWORD"]
REDIRECT_URI = ENV["OAUTH_CONFORMANCE_REDIRECT_URI"]


class Form(HTMLParser):
    """The first form of a page, as a browser submits it."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = []
        self.password = False
        self.submitted = False
        self.select = None
        self.done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "submit":
                if not self.submitted:
                    self.submitted = True
                    self.fields.append((a["name"], a.get("value", "")))
            elif kind == "radio":
                if not any(k == a["name"] for k, _ in self.fields):
                    self.fields.append((a["name"], a.get("value", "")))
            elif kind == "checkbox":
                pass
            else:
                self.password |= kind == "password"
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select:
            self.fields.append((self.select, a.get("value", "")))
            self.select = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.done = True


def browser_authorize(url):
    """The user signs in and allows; the redirect to REDIRECT_URI."""
    browser = requests.Session()
    browser.trust_env = False
    answer = browser.get(url, allow_redirects=False)
    page_url = url
    for _ in range(8):
        location = answer.headers.get("location")
        if location:
            target = urljoin(page_url, location)
            if target.split("?")[0] == REDIRECT_URI.split("?")[0]:
                return target
            page_url = target
            answer = browser.get(target, allow_redirects=False)
            continue
        answer.raise_for_status()
        form = Form()
        form.feed(answer.text)
        fields = [(k, v) for k, v in form.fields if k not in ("username", "password")]
        if form.password:
            fields += [("username", USERNAME), ("password", PASSWORD)]
        page_url = urljoin(page_url, form.action or "")
        answer = browser.post(page_url, data=fields, allow_redirects=False)
    raise RuntimeError("more than 8 pages before the redirect")


def main(only_client_credentials):
    # Client credentials (requests-oauthlib's "Backend Application Flow").
    client = BackendApplicationClient(client_id=CLIENT_ID)
    service = OAuth2Session(client=client, scope=["read", "write"])
    service.trust_env = False
    service.fetch_token(token_url=TOKEN_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    for _ in range(3):
        service.get(API_URL).raise_for_status()
    print("client credentials: one token, three calls")
    if only_client_credentials:
        return

    # The authorization code flow, with PKCE S256; client_secret_post, as
    # the 401GO guide's code flow says (include_client_id=True).
    user = OAuth2Session(CLIENT_ID, redirect_uri=REDIRECT_URI, pkce="S256")
    user.trust_env = False
    url, state = user.authorization_url(AUTHORIZATION_URL)
    redirect = browser_authorize(url)
    token = user.fetch_token(
        TOKEN_URL,
        authorization_response=redirect,
        client_secret=CLIENT_SECRET,
        include_client_id=True,
    )
    user.get(API_URL).raise_for_status()
    print("code flow: one authorization, state checked by the library")

    # A refresh, the client's credentials in the body.
    user.refresh_token(TOKEN_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    user.get(API_URL).raise_for_status()
    rotated = user.token.get("refresh_token") != token.get("refresh_token")
    print("refresh: a new access token%s" % (", the refresh token rotated" if rotated else ""))


if __name__ == "__main__":
    try:
        main("--client-credentials" in sys.argv[1:])
    except Exception as e:  # what the library did, said plainly, no secret
        print("python client: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
