// sandbox-node: panva's oidc-provider as a test-only OAuth 2.0 authorization server on 127.0.0.1,
// for the oauth-conformance suite. Everything OAuth is oidc-provider's own; the glue that is ours
// is marked "OURS" below: the API probe (/api, /api/write), /callback, /healthz, the
// /.well-known/jwks.json alias, the account lookup and the PID file.
//
// Environment: SANDBOX_NODE_PORT (default 8766), SANDBOX_NODE_PIDFILE (optional),
// SANDBOX_NODE_ACCESS_TOKEN_FORMAT = jwt (default) | opaque,
// SANDBOX_NODE_REFRESH_TOKENS = offline_access (default: oidc-provider's own rule) | always,
// SANDBOX_NODE_DEBUG=1 (log every request line and why grants and tokens were refused).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider, { errors } from 'oidc-provider';
import * as jose from 'jose';

import { HOST, DEFAULT_PORT, fixtures } from './fixtures.mjs';

const PORT = Number(process.env.SANDBOX_NODE_PORT || DEFAULT_PORT);
if (!Number.isInteger(PORT) || PORT <= 0 || PORT > 65535) {
  console.error(`sandbox-node: bad SANDBOX_NODE_PORT ${process.env.SANDBOX_NODE_PORT}`);
  process.exit(2);
}
const FORMAT = process.env.SANDBOX_NODE_ACCESS_TOKEN_FORMAT || 'jwt';
if (FORMAT !== 'jwt' && FORMAT !== 'opaque') {
  console.error(`sandbox-node: SANDBOX_NODE_ACCESS_TOKEN_FORMAT must be jwt or opaque, got ${FORMAT}`);
  process.exit(2);
}
const REFRESH = process.env.SANDBOX_NODE_REFRESH_TOKENS || 'offline_access';
if (REFRESH !== 'offline_access' && REFRESH !== 'always') {
  console.error(`sandbox-node: SANDBOX_NODE_REFRESH_TOKENS must be offline_access or always, got ${REFRESH}`);
  process.exit(2);
}
const DEBUG = process.env.SANDBOX_NODE_DEBUG === '1';
const OIDC_PROVIDER_VERSION = JSON.parse(
  fs.readFileSync(new URL('./node_modules/oidc-provider/package.json', import.meta.url)),
).version;
const F = fixtures(PORT);

// A fresh RSA signing key per start (the memory adapter forgets every token on restart anyway),
// instead of oidc-provider's built-in development keystore, whose private key is public.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: `sbx-${crypto.randomUUID().slice(0, 8)}`, use: 'sig', alg: 'RS256' };

// OURS: the one test user. devInteractions' login page itself accepts any login and any password
// (it never reads the password); the HTTP front below refuses every other login/password before
// oidc-provider sees it, so this only ever resolves the test user.
async function findAccount(ctx, sub) {
  if (sub !== F.user.username) return undefined;
  return {
    accountId: sub,
    async claims() {
      return { sub };
    },
  };
}

// oidc-provider's default rotateRefreshToken policy (lib/helpers/defaults.js of 9.13.3), kept
// as is for every client but D, whose refresh tokens always rotate (see fixtures.mjs).
function rotateRefreshToken(ctx) {
  const { RefreshToken: refreshToken, Client: client } = ctx.oidc.entities;
  if (client.clientId === F.clients.d.client_id) return true;
  if (refreshToken.totalLifetime() >= 365.25 * 24 * 60 * 60) return false;
  if (client.clientAuthMethod === 'none' && !refreshToken.isSenderConstrained()) return true;
  return refreshToken.ttlPercentagePassed() >= 70;
}

const configuration = {
  clients: Object.values(F.clients),
  findAccount,
  rotateRefreshToken,
  // default: a refresh token only when the grant has offline_access (which the authorization
  // endpoint keeps only with prompt=consent) and the client may use refresh_token; "always"
  // drops the offline_access condition (opt-in, off by default)
  ...(REFRESH === 'always'
    ? { issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token') }
    : {}),
  jwks: { keys: [signingJwk] },
  cookies: { keys: F.cookieKeys },
  features: {
    // default false; the suite's client credentials flow needs it
    clientCredentials: { enabled: true },
    // default false; RFC 7009 / RFC 7662 for curl users and evidence (not used by the suite)
    revocation: { enabled: true },
    introspection: { enabled: true },
    // default true (kept): oidc-provider's own login and consent pages
    devInteractions: { enabled: true },
    // default enabled; the default getResourceServerInfo refuses every resource, so it must
    // be provided: one resource server (the API probe) whose tokens are JWTs (RFC 9068) or
    // opaque, 3600 s, scopes "read write"; defaultResource makes it the resource when the
    // client names none, so a plain RFC 6749 client gets a token for the probe.
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => F.resource,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        if (resourceIndicator !== F.resource) throw new errors.InvalidTarget();
        return {
          scope: F.scopes.join(' '),
          audience: F.resource,
          accessTokenTTL: 3600,
          accessTokenFormat: FORMAT,
          ...(FORMAT === 'jwt' ? { jwt: { sign: { alg: 'RS256' } } } : {}),
        };
      },
      // default false; true lets a code/refresh exchange omit `resource` and still get a token
      // for the resource granted at the authorization endpoint (as a plain RFC 6749 client does)
      useGrantedResource: async () => true,
    },
  },
};

const provider = new Provider(F.issuer, configuration);

provider.on('server_error', (ctx, err) => {
  console.error(`sandbox-node: server_error on ${ctx.method} ${ctx.path}:`, err);
});
if (DEBUG) {
  for (const ev of ['grant.error', 'authorization.error', 'introspection.error', 'revocation.error']) {
    provider.on(ev, (ctx, err) => console.error(`sandbox-node: ${ev}: ${err.message} (${err.error_description ?? ''})`));
  }
}

// ---- OURS: the bearer-protected API probe (RFC 6750 §3 answers) ---------------------------

const REALM = 'sandbox-node';
const publicJwk = { kty: signingJwk.kty, n: signingJwk.n, e: signingJwk.e, kid: signingJwk.kid, alg: 'RS256', use: 'sig' };
const verifyKey = await jose.importJWK(publicJwk, 'RS256');

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function challenge(res, status, error, description, scope) {
  let value = `Bearer realm="${REALM}"`;
  if (error) value += `, error="${error}", error_description="${description}"`;
  if (scope) value += `, scope="${scope}"`;
  const body = error ? { error, error_description: description } : { error_description: description };
  sendJson(res, status, body, { 'WWW-Authenticate': value, 'Cache-Control': 'no-store' });
}

// Validates a JWT access token against the provider's key (iss, aud, exp, typ at+jwt), or looks
// an opaque one up in the provider's own store. Returns the claims or throws with a reason.
async function validate(token) {
  if (token.split('.').length === 3) {
    const { payload } = await jose.jwtVerify(token, verifyKey, {
      issuer: F.issuer,
      audience: F.resource,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    return { format: 'jwt', ...payload };
  }
  const found = (await provider.AccessToken.find(token)) || (await provider.ClientCredentials.find(token));
  if (!found) throw new Error('unknown, expired or revoked token');
  const aud = found.aud;
  if (aud !== F.resource && !(Array.isArray(aud) && aud.includes(F.resource))) {
    throw new Error('token is not for this resource');
  }
  return {
    format: 'opaque',
    sub: found.accountId || found.clientId,
    client_id: found.clientId,
    scope: found.scope,
    aud,
    exp: found.exp,
  };
}

async function apiProbe(req, res, needScope) {
  const auth = req.headers.authorization;
  const m = auth && /^Bearer(?: +(.*))?$/i.exec(auth);
  if (!m) {
    // no credentials, or another scheme (RFC 6750 §3.1: no error code)
    return challenge(res, 401, undefined, 'Bearer token required.');
  }
  const token = (m[1] || '').trim();
  if (!token) return challenge(res, 400, 'invalid_request', 'The bearer token is empty.');
  let claims;
  try {
    claims = await validate(token);
  } catch (err) {
    const why = err.code === 'ERR_JWT_EXPIRED' ? 'The access token has expired.' : 'The access token is invalid.';
    if (DEBUG) console.error(`sandbox-node: api probe refused a token: ${err.code ?? ''} ${err.message}`);
    return challenge(res, 401, 'invalid_token', why);
  }
  const scopes = new Set((claims.scope || '').split(' ').filter(Boolean));
  if (needScope && !scopes.has(needScope)) {
    return challenge(res, 403, 'insufficient_scope', `This resource needs scope ${needScope}.`, needScope);
  }
  return sendJson(res, 200, {
    ok: true,
    format: claims.format,
    sub: claims.sub,
    client_id: claims.client_id,
    scope: claims.scope ?? null,
    aud: claims.aud,
    exp: claims.exp,
  });
}

// ---- OURS: HTTP front: our few routes, everything else goes to oidc-provider ----------------

const providerCallback = provider.callback();
const INTERACTION = /^\/interaction\/[A-Za-z0-9_-]+$/;

function readBody(req, limit = 56 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) { reject(new Error('body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// OURS: the credential check in front of devInteractions' login form. A POST of that form
// (prompt=login) with another username or password is answered 303 back to the same
// interaction, where oidc-provider shows its login page again; anything else goes on to
// oidc-provider with the body already read (it then uses req.body, see its selective_body.js).
async function interactionSubmit(req, res, pathname) {
  const body = await readBody(req);
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('prompt') === 'login'
    && (form.get('login') !== F.user.username || form.get('password') !== F.user.password)) {
    console.log(`sandbox-node: refused a login as ${JSON.stringify(form.get('login'))} `
      + '(unknown username or wrong password); back to the login page');
    res.writeHead(303, { Location: pathname, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    return res.end();
  }
  req.body = body;
  return providerCallback(req, res);
}

const server = http.createServer((req, res) => {
  if (DEBUG) console.error(`sandbox-node: ${req.method} ${req.url}`);
  const url = new URL(req.url, F.base);
  const { pathname } = url;
  if (pathname === '/healthz') {
    return sendJson(res, 200, {
      ok: true,
      issuer: F.issuer,
      oidc_provider: OIDC_PROVIDER_VERSION,
      node: process.version,
      access_token_format: FORMAT,
      refresh_tokens: REFRESH,
    });
  }
  if (pathname === '/callback') {
    // stand-in redirect target: echo the query (repeated names become arrays)
    const query = {};
    for (const [k, v] of url.searchParams) {
      query[k] = k in query ? [].concat(query[k], v) : v;
    }
    return sendJson(res, 200, { callback: true, query });
  }
  if (pathname === '/api' || pathname === '/api/write') {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
    }
    req.resume(); // the probe reads no body
    return apiProbe(req, res, pathname === '/api/write' ? 'write' : undefined).catch((err) => {
      console.error('sandbox-node: api probe failed:', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  }
  if (req.method === 'POST' && INTERACTION.test(pathname)) {
    return interactionSubmit(req, res, pathname).catch((err) => {
      console.error('sandbox-node: interaction submit failed:', err);
      if (!res.headersSent) sendJson(res, 400, { error: 'invalid_request', error_description: err.message });
    });
  }
  if (pathname === '/.well-known/jwks.json') {
    // alias: the conventional JWKS path the suite looks at; oidc-provider serves it at /jwks
    req.url = `/jwks${url.search}`;
  }
  return providerCallback(req, res);
});

server.on('error', (err) => {
  console.error(`sandbox-node: cannot listen on ${HOST}:${PORT}: ${err.message}`);
  process.exit(1);
});

server.listen(PORT, HOST, () => {
  const addr = server.address();
  if (process.env.SANDBOX_NODE_PIDFILE) {
    fs.writeFileSync(process.env.SANDBOX_NODE_PIDFILE, `${process.pid}\n`);
  }
  console.log(`sandbox-node: oidc-provider listening on http://${addr.address}:${addr.port} `
    + `(issuer ${F.issuer}, access tokens ${FORMAT}, node ${process.version}, pid ${process.pid})`);
});

function shutdown(signal) {
  console.log(`sandbox-node: ${signal}, shutting down`);
  if (process.env.SANDBOX_NODE_PIDFILE) {
    try { fs.unlinkSync(process.env.SANDBOX_NODE_PIDFILE); } catch { /* already gone */ }
  }
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
