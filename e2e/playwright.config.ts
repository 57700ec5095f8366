import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// The Samsyn binary under test and a throwaway database; scripts/test sets both.
const binary = process.env.SAMSYN_BIN ?? path.resolve(__dirname, '../target/debug/samsyn');
const port = process.env.SAMSYN_E2E_PORT ?? '18080';
const oidcPort = process.env.SAMSYN_E2E_OIDC_PORT ?? '18400';
const issuer = `http://127.0.0.1:${oidcPort}`;
const smtpPort = process.env.SAMSYN_E2E_SMTP_PORT ?? String(Number(port) + 445);
const smtpHttpPort = process.env.SAMSYN_E2E_SMTP_HTTP_PORT ?? String(Number(port) + 446);
// The tests read the sink from here.
process.env.SAMSYN_E2E_SMTP_HTTP_PORT = smtpHttpPort;
const database = process.env.SAMSYN_E2E_DB ?? path.join(os.tmpdir(), `samsyn-e2e-${process.pid}.db`);
// A second Samsyn under the example region's rule set, with a demo county of its own.
const examplePort = String(Number(port) + 1);
const exampleDatabase = `${database}-exempel.db`;
const exampleRules = path.resolve(__dirname, '../rules/exempel-2026.toml');
process.env.SAMSYN_E2E_EXAMPLE_URL = `http://127.0.0.1:${examplePort}`;
// The specs run in three lanes side by side: one at a time kept only a third of the two cores
// busy, three keep both busy. Each lane has a
// Samsyn with a demo county of its own, so that no lane sees another's cases, accounts or
// decisions; within a lane, files run one at a time and in order, as they expect. The tour of
// every role's pages only reads, so its tests may run two at a time, beside the disagreement's
// journey. The lanes are balanced by their measured lengths (5 to 7 minutes each).
const lanes = [
  { name: 'spar', offset: 3, specs: ['tracks', 'uppfoljning'] },
  { name: 'roller', offset: 2, specs: ['alla-roller', 'exempelregion', 'oenighet'], workers: 2 },
].map((lane) => ({
  ...lane,
  port: String(Number(port) + lane.offset),
  database: `${database}-${lane.name}.db`,
  match: lane.specs.map((spec) => `**/${spec}.spec.ts`),
}));

/** A Samsyn serving a demo county of its own from `database` on `port`; ready when it answers. */
function samsyn(
  port: string,
  database: string,
  extra: { rules?: string; serve?: string[]; env?: Record<string, string> } = {},
) {
  const rules = extra.rules ? `--rules "${extra.rules}" ` : '';
  return {
    command: [
      `"${binary}" ${rules}--database "sqlite://${database}" serve --bind 127.0.0.1:${port}`,
      ...(extra.serve ?? []),
    ].join(' '),
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe' as const,
    env: extra.env,
  };
}

export default defineConfig({
  testDir: './tests',
  outputDir: '../artifacts/e2e-results',
  // A test walks a journey through several accounts, and three lanes share two cores.
  timeout: 180_000,
  workers: 3,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    locale: 'sv-SE',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium; never a browser downloaded by a test tool.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      // Sign-in through the identity provider, e-mail notices, accounts, the intake and money.
      name: 'arbete',
      testIgnore: lanes.flatMap((lane) => lane.match),
      workers: 1,
    },
    ...lanes.map((lane) => ({
      name: lane.name,
      testMatch: lane.match,
      workers: lane.workers ?? 1,
      use: { baseURL: `http://127.0.0.1:${lane.port}` },
    })),
  ],
  webServer: [
    {
      // A local SMTP sink that keeps what Samsyn sends, for the e-mail notice's test.
      command: `node smtp/sink.mjs`,
      url: `http://127.0.0.1:${smtpHttpPort}/messages`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { SAMSYN_E2E_SMTP_PORT: smtpPort, SAMSYN_E2E_SMTP_HTTP_PORT: smtpHttpPort },
    },
    {
      // A real OpenID Connect provider on loopback, standing in for the organisation's.
      command: `node oidc/provider.mjs`,
      url: `${issuer}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { SAMSYN_E2E_OIDC_PORT: oidcPort, SAMSYN_E2E_BASE: `http://127.0.0.1:${port}` },
    },
    samsyn(port, database, {
      serve: [
        `--oidc-issuer ${issuer} --oidc-client-id samsyn --oidc-hsa-id-claim hsa_id --oidc-scopes hsa`,
        `--person-oidc-issuer ${issuer} --person-oidc-client-id samsyn-min-sida`,
        `--person-oidc-personnummer-claim personnummer --person-oidc-scopes pnr`,
        `--smtp-url smtp://127.0.0.1:${smtpPort} --smtp-from "Samsyn <samsyn@example.se>"`,
      ],
      env: {
        SAMSYN_OIDC_CLIENT_SECRET: 'e2e-personal-hemlighet',
        SAMSYN_PERSON_OIDC_CLIENT_SECRET: 'e2e-invanare-hemlighet',
      },
    }),
    ...lanes.map((lane) => samsyn(lane.port, lane.database)),
    samsyn(examplePort, exampleDatabase, { rules: exampleRules }),
  ],
});
