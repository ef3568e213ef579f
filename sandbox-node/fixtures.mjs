// Test-only fixtures of sandbox-node: clients, user, scopes, URLs. The single source of truth for
// server.mjs and for `run env` (which runs this file: `node fixtures.mjs env <port>`).
// Every secret here is a fixed test value for a server that only ever binds 127.0.0.1.

export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 8766;

// The one test user. oidc-provider's development login page accepts any password (see README);
// server.mjs's findAccount only knows this username, so another username is sent back to the
// login page.
export const USER = {
  username: 'conformance-user',
  password: 'conformance-pass-AALnCPPZjDFJRTCXtxqK',
};

// Scopes of the one resource server (the API probe). `openid` and `offline_access` are
// oidc-provider's own (OpenID Connect) scopes and are not listed here.
export const RESOURCE_SCOPES = ['read', 'write'];

export function fixtures(port = DEFAULT_PORT) {
  const base = `http://${HOST}:${port}`;
  const redirectUri = `${base}/callback`;
  // An http redirect URI on a host that is not loopback, which client B tries to register
  // beside its own (RFC 9700 §2.6: the server must not allow it; oidc-provider validates
  // static clients at start, so one it refused would stop the server). Never contacted.
  const httpRedirectUri = 'http://client.example.test/callback';
  const full = {
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  return {
    port,
    base,
    issuer: base,
    resource: `${base}/api`,
    redirectUri,
    httpRedirectUri,
    user: USER,
    scopes: RESOURCE_SCOPES,
    clients: {
      // A: the suite's client. client_secret_basic registered; oidc-provider also accepts the
      // same secret as client_secret_post for it (see README).
      a: { client_id: 'conformance-node-a', client_secret: 'sbx-node-a-m2PbLqxKWQY5AMcFrJLo', ...full },
      // B: "a second registered client", same registration as A.
      // It also tries to register the http redirect URI on a host that is not loopback.
      b: {
        client_id: 'conformance-node-b',
        client_secret: 'sbx-node-b-tcZebPUiS6kDaTQeTEmN',
        ...full,
        redirect_uris: [redirectUri, httpRedirectUri],
      },
      // C: authorization_code only (no refresh_token, no client_credentials) for unauthorized_client.
      // D: same registration as A, but server.mjs's rotateRefreshToken policy always rotates its
      // refresh tokens (oidc-provider's default policy rotates a confidential client's refresh
      // token only after 70 % of its lifetime), so rotation and rotated-token reuse can be seen.
      d: { client_id: 'conformance-node-rotating', client_secret: 'sbx-node-d-Yq7WcRk3pN5tLz9hVb2M', ...full },
      c: {
        client_id: 'conformance-node-c',
        client_secret: 'sbx-node-c-sS8i8W5dPDQhHypzpJ6a',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    },
    // Signs oidc-provider's cookies (cookies.keys); test-only.
    cookieKeys: ['sbx-node-cookie-iDbEQ2eTujCV8T4ohCcX'],
  };
}

// `export NAME=value` lines for `run env`: the suite's settings, then SANDBOX_NODE_* extras.
export function envLines(port, { repo } = {}) {
  const f = fixtures(port);
  const { a, b, c, d } = f.clients;
  const q = (v) => (/^[A-Za-z0-9_./:@%+=,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const vars = [
    ['OAUTH_CONFORMANCE_TARGET', f.base],
    ['OAUTH_CONFORMANCE_CLIENT_ID', a.client_id],
    ['OAUTH_CONFORMANCE_CLIENT_SECRET', a.client_secret],
    ['OAUTH_CONFORMANCE_SECOND_CLIENT_ID', b.client_id],
    ['OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET', b.client_secret],
    ['OAUTH_CONFORMANCE_REDIRECT_URI', f.redirectUri],
    ['OAUTH_CONFORMANCE_HTTP_REDIRECT_URI', f.httpRedirectUri],
    ['OAUTH_CONFORMANCE_RESTRICTED_CLIENT_ID', c.client_id],
    ['OAUTH_CONFORMANCE_RESTRICTED_CLIENT_SECRET', c.client_secret],
    ['OAUTH_CONFORMANCE_USERNAME', f.user.username],
    ['OAUTH_CONFORMANCE_PASSWORD', f.user.password],
    ['SANDBOX_NODE_BASE_URL', f.base],
    ['SANDBOX_NODE_ISSUER', f.issuer],
    ['SANDBOX_NODE_METADATA_URL', `${f.base}/.well-known/openid-configuration`],
    ['SANDBOX_NODE_TOKEN_URL', `${f.base}/token`],
    ['SANDBOX_NODE_AUTHORIZE_URL', `${f.base}/auth`],
    ['SANDBOX_NODE_JWKS_URL', `${f.base}/jwks`],
    ['SANDBOX_NODE_REVOKE_URL', `${f.base}/token/revocation`],
    ['SANDBOX_NODE_INTROSPECT_URL', `${f.base}/token/introspection`],
    ['SANDBOX_NODE_RESOURCE', f.resource],
    ['SANDBOX_NODE_API_URL', `${f.base}/api`],
    ['SANDBOX_NODE_API_WRITE_URL', `${f.base}/api/write`],
    ['SANDBOX_NODE_CALLBACK_URL', f.redirectUri],
    ['SANDBOX_NODE_SCOPES', f.scopes.join(' ')],
    ['SANDBOX_NODE_CLIENT_A_ID', a.client_id],
    ['SANDBOX_NODE_CLIENT_A_SECRET', a.client_secret],
    ['SANDBOX_NODE_CLIENT_B_ID', b.client_id],
    ['SANDBOX_NODE_CLIENT_B_SECRET', b.client_secret],
    ['SANDBOX_NODE_CLIENT_C_ID', c.client_id],
    ['SANDBOX_NODE_CLIENT_C_SECRET', c.client_secret],
    ['SANDBOX_NODE_CLIENT_D_ID', d.client_id],
    ['SANDBOX_NODE_CLIENT_D_SECRET', d.client_secret],
  ];
  if (repo) {
    // The profile and the known deviations of this server (README "For the suite").
    vars.splice(1, 0,
      ['OAUTH_CONFORMANCE_PROFILE', `${repo}/sandbox-node/profile.toml`],
      ['OAUTH_CONFORMANCE_DEVIATIONS', `${repo}/profiles/deviations/oidc-provider.toml`]);
    vars.push(['SANDBOX_NODE_DIR', `${repo}/sandbox-node`]);
  }
  return vars.map(([k, v]) => `export ${k}=${q(v)}`);
}

// CLI: `node fixtures.mjs env <port> [repo]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, port, repo] = process.argv.slice(2);
  if (cmd !== 'env' || !/^[0-9]+$/.test(port ?? '')) {
    console.error('usage: node fixtures.mjs env <port> [repo]');
    process.exit(2);
  }
  console.log(envLines(Number(port), { repo }).join('\n'));
}
