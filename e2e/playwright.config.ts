import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// The Samsyn binary under test and a throwaway database; scripts/test sets both.
const binary = process.env.SAMSYN_BIN ?? path.resolve(__dirname, '../target/debug/samsyn');
const port = process.env.SAMSYN_E2E_PORT ?? '18080';
const database = process.env.SAMSYN_E2E_DB ?? path.join(os.tmpdir(), `samsyn-e2e-${process.pid}.db`);

export default defineConfig({
  testDir: './tests',
  outputDir: '../artifacts/e2e-results',
  timeout: 60_000,
  workers: 1,
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
  webServer: {
    command: `"${binary}" --database "sqlite://${database}" serve --bind 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
