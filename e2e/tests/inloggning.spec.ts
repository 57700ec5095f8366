import { test, expect, Page, Browser } from '@playwright/test';
import { checkPage } from './helpers';

/** Signs in at the test identity provider's page, as `account` with `method`. */
async function atProvider(page: Page, account: string, method: string) {
  await expect(page.getByRole('heading', { level: 1, name: 'Testinloggning' })).toBeVisible();
  await page.getByLabel('Konto hos identitetsleverantören').selectOption(account);
  await page.getByLabel('Inloggningsmetod').selectOption({ label: method });
  await page.getByRole('button', { name: 'Logga in' }).click();
}

async function staffSignIn(browser: Browser, account: string, method: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/inkorg');
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await page.getByRole('link', { name: 'Logga in med SITHS eID' }).click();
  await atProvider(page, account, method);
  return page;
}

test('personalen loggar in med SITHS eID via organisationens identitetsleverantör; svag inloggning och okänt HSA-id nekas', async ({ browser }) => {
  // A nurse with SITHS eID: back at the page she asked for, the inbox, as herself.
  const nurse = await staffSignIn(browser, 'sjukskoterska', 'SITHS eID (stark)');
  await expect(nurse).toHaveURL(/\/inkorg$/);
  await expect(nurse.getByRole('heading', { level: 1, name: 'Begäranden – Hemsjukvården Örebro' })).toBeVisible();
  await expect(nurse.getByText('Sara Sjöberg')).toBeVisible();
  await checkPage(nurse, '50-sso-inkorg');

  // Signing out ends Samsyn's session and goes on to the provider's end-session page.
  await nurse.getByRole('button', { name: 'Logga ut' }).click();
  await expect(nurse).toHaveURL(/127\.0\.0\.1:\d+\/session\/end/);
  await nurse.goto('/inkorg');
  await expect(nurse.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();

  // The same person with only a password at the provider: not strong enough.
  const weak = await staffSignIn(browser, 'sjukskoterska', 'Lösenord (svag)');
  await expect(weak.getByRole('heading', { level: 1 })).toHaveText('Inloggningen var inte stark nog');
  await expect(weak.getByText('Logga in igen med SITHS eID')).toBeVisible();
  await checkPage(weak, '51-sso-svag-inloggning');
  await weak.goto('/inkorg');
  await expect(weak.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();

  // Strongly signed in, but no account in Samsyn has her HSA-id: none is made.
  const unknown = await staffSignIn(browser, 'okand', 'SITHS eID (stark)');
  await expect(unknown.getByRole('heading', { level: 1 })).toHaveText('Du har inget konto i Samsyn');
  await expect(unknown.getByText('SE9999999999-P9999')).toBeVisible();
  await checkPage(unknown, '52-sso-okant-hsa-id');
  await unknown.goto('/inkorg');
  await expect(unknown.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
});

test('en invånare loggar in på Min sida med e-legitimation och ser bara sig själv', async ({ browser }) => {
  const person = await (await browser.newContext()).newPage();
  await person.goto('/logga-in');
  await person.getByRole('link', { name: 'Min sida' }).click();
  await expect(person.getByRole('heading', { level: 1, name: 'Min sida' })).toBeVisible();
  await person.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await atProvider(person, 'invanare', 'BankID (stark, invånare)');
  await expect(person).toHaveURL(/\/min-sida$/);
  await expect(person.getByText('Du är inloggad som Ingrid Invånare, personnummer 20030606-2381.')).toBeVisible();
  // Her fastställd behandlingsplan in plain words, and as a PDF to print.
  const plan = person.locator('.own-plan').first();
  await expect(plan.getByRole('heading', { level: 3 })).toHaveText('Din medicinska behandlingsplan');
  await expect(plan.getByRole('heading', { name: 'Dina kontakter' })).toBeVisible();
  await expect(plan).toContainText('Fast läkarkontakt på vårdcentralen:');
  await expect(plan).toContainText('Nästa uppföljning:');
  // And her rehabiliteringsplan from the rehab team.
  const rehab = person.locator('.own-plan').filter({ hasText: 'Din rehabiliteringsplan' });
  await expect(rehab).toContainText('Planen är gjord av Rehabteamet Örebro');
  await expect(rehab.getByRole('heading', { name: 'Dina mål' })).toBeVisible();
  await expect(rehab).toContainText('Gå till affären med rollator.');
  await checkPage(person, '53-min-sida');
  const pdfLink = await plan.getByRole('link', { name: 'Skriv ut planen (PDF)' }).getAttribute('href');
  const pdf = await person.request.get(pdfLink!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  const otherCase = pdfLink!.replace(/plan\/[^/]+\/pdf/, 'plan/0000-finns-inte/pdf');
  expect((await person.request.get(otherCase)).status()).toBe(404);

  // Her session opens no staff page: they ask for a staff sign-in.
  for (const staffPage of ['/inkorg', '/logg', '/tillagg', '/admin/anvandare']) {
    await person.goto(staffPage);
    await expect(person.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  }
  const api = await person.request.get('/api/v1/requests');
  expect(api.status()).toBe(401);

  // A staff member's session does not open Min sida.
  const nurse = await staffSignIn(browser, 'sjukskoterska', 'SITHS eID (stark)');
  await nurse.goto('/min-sida');
  await expect(nurse.getByRole('heading', { level: 1 })).toHaveText('Inte tillåtet');
  await nurse.goto(pdfLink!);
  await expect(nurse.getByRole('heading', { level: 1 })).toHaveText('Inte tillåtet');

  await person.goto('/min-sida');
  await person.getByRole('button', { name: 'Logga ut' }).click();
  await expect(person.getByRole('link', { name: 'Logga in med e-legitimation' })).toBeVisible();
});
