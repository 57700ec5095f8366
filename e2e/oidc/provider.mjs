// A real OpenID Connect provider (the maintained `oidc-provider` package) for the browser tests:
// it stands where a region's identity provider (staff, SITHS eID) and an e-identification
// broker (persons) stand in production. Its sign-in page lets the test choose who signs in and
// how strongly, so the tests can see Samsyn refuse a weak sign-in and an unknown HSA-id.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.SAMSYN_E2E_OIDC_PORT ?? '18400');
const samsyn = process.env.SAMSYN_E2E_BASE ?? 'http://127.0.0.1:18080';
const issuer = `http://127.0.0.1:${port}`;

// What a SITHS eID sign-in counts as, and what a password at the provider counts as.
export const STRONG = 'http://id.sambi.se/loa/loa3';
export const WEAK = 'http://id.sambi.se/loa/loa2';
export const PERSON_STRONG = 'http://id.elegnamnden.se/loa/1.0/loa3';

// Accounts at the provider. HSA-ids follow the demo county's synthetic series; the last has
// no account in Samsyn. The person's number is one of Skatteverket's test personnummer.
const accounts = {
  sjukskoterska: { hsa_id: 'SE9999999999-P0038', name: 'Sara Sjöberg' },
  lakare: { hsa_id: 'SE9999999999-P0019', name: 'Lena Lind' },
  okand: { hsa_id: 'SE9999999999-P9999', name: 'Olle Okänd' },
  invanare: { personnummer: '200306062381', given_name: 'Ingrid', family_name: 'Invånare' },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'samsyn',
      client_secret: 'e2e-personal-hemlighet',
      redirect_uris: [`${samsyn}/logga-in/sso/klar`],
      post_logout_redirect_uris: [`${samsyn}/logga-in`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    {
      client_id: 'samsyn-min-sida',
      client_secret: 'e2e-invanare-hemlighet',
      redirect_uris: [`${samsyn}/min-sida/logga-in/klar`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  acrValues: [STRONG, WEAK, PERSON_STRONG],
  claims: {
    openid: ['sub'],
    hsa: ['hsa_id', 'name'],
    pnr: ['personnummer', 'given_name', 'family_name'],
  },
  scopes: ['openid', 'hsa', 'pnr'],
  // The identity claims travel in the ID token, as Samsyn reads them there.
  conformIdTokenClaims: false,
  cookies: { keys: ['e2e-cookie-key'], names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_resume' } },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  // First-party clients: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid hsa pnr');
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

const page = (uid) => `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Testinloggning</title></head>
<body><main><h1>Testinloggning</h1>
<form method="post" action="/interaction/${uid}">
  <label for="login">Konto hos identitetsleverantören</label>
  <select id="login" name="login">${Object.keys(accounts).map((a) => `<option>${a}</option>`).join('')}</select>
  <label for="acr">Inloggningsmetod</label>
  <select id="acr" name="acr">
    <option value="${STRONG}">SITHS eID (stark)</option>
    <option value="${WEAK}">Lösenord (svag)</option>
    <option value="${PERSON_STRONG}">BankID (stark, invånare)</option>
  </select>
  <button type="submit">Logga in</button>
</form></main></body></html>`;

const callback = provider.callback();
http
  .createServer(async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page(details.uid));
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: form.get('login'), acr: form.get('acr') } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    }
  })
  .listen(port, '127.0.0.1', () => console.log(`test identity provider on ${issuer}`));
