import { test, expect, Browser, Page } from '@playwright/test';
import { checkPage } from './helpers';

// A second region adopts Samsyn by its rule set alone: the same binary, started with
// `--rules rules/exempel-2026.toml` on an empty database, serves Region Exempel's demo county.
const base = process.env.SAMSYN_E2E_EXAMPLE_URL ?? 'http://127.0.0.1:18081';

async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill('samsyn-demo');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toHaveCount(0);
  return page;
}

test('exempelregionen: egna kommuner, inget psykiatrispår, två potter, och varje sida säger att regionen är påhittad', async ({ browser }) => {
  const nurse = await signIn(browser, 'sjukskoterska');
  const banner = nurse.getByRole('note').filter({ hasText: 'EXEMPEL' });
  await expect(banner).toContainText('Region Exempel är en påhittad region');
  await expect(nurse.locator('body')).toContainText('Hemsjukvården Ekby');
  await expect(nurse.locator('body')).not.toContainText('Örebro');
  await checkPage(nurse, 'exempel-inkorg');

  // The example's agreement has no psychiatric sub-process: the form does not offer it.
  const psychiatrist = await signIn(browser, 'psykiater');
  await psychiatrist.goto('/begaran/ny?spar=specialiserad');
  await expect(psychiatrist.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(psychiatrist.getByLabel(/behandlingsansvaret kvarstår hos psykiatrin/)).toHaveCount(0);
  await expect(psychiatrist.getByRole('note').filter({ hasText: 'EXEMPEL' })).toBeVisible();
  await checkPage(psychiatrist, 'exempel-begaran-specialiserad');

  // The tilläggsbelopp: the example's two pots, the basic one by all inhabitants.
  const economist = await signIn(browser, 'ekonom');
  await economist.goto('/tillagg?ar=2026');
  const body = economist.locator('main');
  await expect(body).toContainText('Grundbelopp');
  await expect(body).toContainText('Kompensation för avstånd');
  await expect(body).not.toContainText('Avancerad hemsjukvård');
  await expect(economist.locator('footer')).toContainText('exempel: påhittad region');
  await checkPage(economist, 'exempel-tillaggsbelopp');
});
