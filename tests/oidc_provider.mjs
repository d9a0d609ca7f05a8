// A real OpenID Connect provider for the tests (the certified `oidc-provider` package), on a free port.
//
// The test gives it, as JSON in environment variables:
//   OIDC_TEST_CLIENTS   [{client_id, client_secret, redirect_uris}]
//   OIDC_TEST_ACCOUNTS  {login: {email, email_verified, ...claims}}   (email_verified may be left out)
//   OIDC_TEST_JWKS      {keys: [a private JWK]}: the test signs tokens of its own with the provider's key
// It prints "listening http://127.0.0.1:<port>" once it serves, and stops when its standard input closes.
// Sign-in goes through the package's own login page (any password; the login names the account), then
// its consent page; PKCE (S256) is required of every client.
import http from 'node:http';

import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || '{}');
const jwks = JSON.parse(process.env.OIDC_TEST_JWKS || 'null');

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    ...(jwks ? { jwks } : {}),
    cookies: { keys: ['a cookie key only for the tests'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Every client must use PKCE, as a public one would have to.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      if (!(id in accounts)) {
        return undefined;
      }
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
    },
  });
  // http on 127.0.0.1 is what the tests need; the package warns about it once, on stderr.
  server.on('request', provider.callback());
  process.stdout.write(`listening ${issuer}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
setTimeout(() => process.exit(0), 60 * 60 * 1000).unref();
