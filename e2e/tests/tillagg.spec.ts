import { test, expect } from '@playwright/test';
import { checkPage, isoDay, login } from './helpers';

test('tilläggsbelopp 2026: per kommun och pott, med underlag för varje belopp och Excel', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  await economist.getByRole('link', { name: 'Tilläggsbelopp' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Tilläggsbelopp 2026');
  const table = economist.getByRole('table', { name: /Tilläggsbelopp 2026 per kommun och pott/ });
  await expect(table.locator('tfoot')).toContainText('25\u00a0115\u00a0096 kr');
  await expect(table.locator('tfoot')).toContainText('18\u00a0729\u00a0643 kr');
  const pots = economist.getByRole('table', { name: /fördelningsnyckel och källa/ });
  await expect(pots.getByRole('row').filter({ hasText: 'Avancerad hemsjukvård' })).toContainText('patienter i kategori 4, mätningen 2025-10');
  await economist.getByText(/^Örebro: /).click();
  await expect(economist.getByText(/^Örebro, avancerad hemsjukvård 2026: pott 5\u00a0490\u00a0258 kr × \(70 \/ 117 patienter i kategori 4/)).toBeVisible();
  const distance = economist.getByRole('table', { name: /centralort ligger mer än 35 km/ });
  await expect(distance.getByRole('row').filter({ hasText: 'Askersund' })).toContainText('Ja');
  await checkPage(economist, 'tillagg-2026');

  const workbook = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Ladda ner Excel' }).click();
  expect((await workbook).suggestedFilename()).toBe('tillaggsbelopp-2026.xlsx');

  await economist.getByLabel('År', { exact: true }).selectOption('2025');
  await economist.getByRole('button', { name: 'Visa' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Tilläggsbelopp 2025');
  await expect(economist.getByRole('table', { name: /fördelningsnyckel och källa/ })).toContainText('ingen mätning finns');
  await checkPage(economist, 'tillagg-2025');

  const nurse = await login(browser, 'sjukskoterska');
  const refused = await nurse.goto('/tillagg');
  expect(refused?.status()).toBe(403);
});

test('tänk om: ett scenario visar varje kommuns skillnad mot regelverket och är inget beslut', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  await economist.goto('/tillagg?ar=2026');
  await economist.getByRole('link', { name: 'Tänk om' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Tänk om: tilläggsbelopp 2026');
  await economist.getByLabel('Skatteunderlagets utveckling (faktor)').fill('tre');
  await economist.getByRole('button', { name: 'Räkna' }).click();
  const alert = economist.getByRole('alert');
  await expect(alert).toContainText('Skatteunderlagets utveckling: skriv en faktor');
  await checkPage(economist, 'tillagg-simulera-fel');

  await economist.getByLabel('Skatteunderlagets utveckling (faktor)').fill('1,05');
  await economist.getByLabel('Kopparberg').selectOption('med');
  await economist.getByRole('button', { name: 'Räkna' }).click();
  const table = economist.getByRole('table', { name: /enligt regelverket, i scenariot/ });
  const row = (name: string) => table.getByRole('row').filter({ has: economist.getByRole('rowheader', { name, exact: true }) });
  // Ljusnarsberg joins the distance pot, so it gains; the county gains only the indexation
  // difference of the two indexed pots (the advanced pot is decided).
  await expect(row('Ljusnarsberg')).toContainText('+');
  await expect(row('Länet')).toContainText('25\u00a0115\u00a0096 kr');
  await expect(row('Länet')).toContainText('25\u00a0364\u00a0096 kr');
  await checkPage(economist, 'tillagg-simulera');
  await economist.goto('/tillagg?ar=2026');
  await expect(economist.getByRole('table', { name: /per kommun och pott/ }).locator('tfoot')).toContainText('25\u00a0115\u00a0096 kr');
});

test('beslutsgång 2026: utkast, presenterat, beslutat; låst beslut, rättelse som ny version, scenario mot beslutet', async ({ browser }) => {
  const economist = await login(browser, 'ekonom');
  await economist.goto('/tillagg?ar=2026');
  await expect(economist.getByText('Inget utkast, inget beslut')).toBeVisible();
  await economist.getByRole('button', { name: 'Skapa utkast av beräkningen' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Tilläggsbelopp 2026 – version 1');
  await expect(economist.locator('.facts')).toContainText('Utkast');
  // A second tab still shows the draft while the first takes it to a decision.
  const stale = await economist.context().newPage();
  await stale.goto(economist.url());
  // Each step that cannot be undone is confirmed on a page that says what will happen.
  await economist.getByRole('button', { name: 'Markera som presenterat' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Bekräfta: Markera som presenterat');
  await economist.getByRole('button', { name: 'Bekräfta: Markera som presenterat' }).click();
  await expect(economist.locator('.facts')).toContainText('Presenterat');
  await economist.getByRole('button', { name: 'Besluta' }).click();
  await expect(economist.locator('.blockers')).toContainText('Det kan inte ångras.');
  // A decision names who decided, when, and where it is minuted.
  await economist.getByRole('button', { name: 'Bekräfta: Besluta' }).click();
  await expect(economist.getByRole('alert')).toContainText('Beslutande organ');
  await checkPage(economist, 'tillagg-bekrafta-beslut');
  await economist.getByLabel('Beslutande organ').fill('Regionstyrelsen');
  await economist.getByLabel('Beslutsdatum (ÅÅÅÅ-MM-DD)').fill(isoDay(0));
  await economist.getByLabel('Protokollsreferens').fill('RS § 212');
  await economist.getByRole('button', { name: 'Bekräfta: Besluta' }).click();
  await expect(economist.locator('.facts')).toContainText('Beslutat – detta beslut gäller');
  await expect(economist.locator('.timeline')).toContainText(`Regionstyrelsen, ${isoDay(0)}, RS § 212`);
  const table = economist.getByRole('table', { name: /Tilläggsbelopp 2026 per kommun och pott/ });
  await expect(table.locator('tfoot')).toContainText('25\u00a0115\u00a0096 kr');
  await economist.getByText(/^Askersund: /).click();
  await expect(economist.getByText(/^Askersund, andel äldre 2026: pott 18\u00a0729\u00a0643 kr × \(3\u00a0415 \/ .* invånare 65\+, SCB 31 dec 2023\) = .*; Regelverk Örebro 2025, version 1; avrundning /)).toBeVisible();
  await expect(economist.getByRole('region', { name: 'Indata' })).toContainText('SCB via Regionfakta');
  await checkPage(economist, 'tillagg-version-beslutad');

  const workbook = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Ladda ner Excel' }).click();
  expect((await workbook).suggestedFilename()).toBe('tillaggsbelopp-2026-version-1.xlsx');
  const payment = economist.waitForEvent('download');
  await economist.getByRole('link', { name: 'Utbetalningsunderlag Excel' }).click();
  expect((await payment).suggestedFilename()).toBe('utbetalningsunderlag-2026-version-1.xlsx');

  await expect(economist.getByRole('button', { name: 'Räkna om med dagens indata' })).toHaveCount(0);
  await stale.getByRole('button', { name: 'Räkna om med dagens indata' }).click();
  await expect(stale.getByRole('alert')).toContainText('Version 1 är beslutad och kan inte ändras. Gör en rättelse i stället');
  await expect(stale.locator('.facts')).toContainText('Beslutat');
  await checkPage(stale, 'tillagg-version-vagrad');

  await economist.getByRole('link', { name: 'Beslutsdokument (utskrift)' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Beslut om tilläggsbelopp 2026 från Region Örebro län till kommunerna');
  await expect(economist.locator('.facts')).toContainText('Regelverk Örebro 2025, version 1');
  await expect(economist.getByRole('button', { name: 'Skriv ut eller spara som PDF' })).toBeVisible();
  await checkPage(economist, 'tillagg-beslutsdokument');

  await economist.goto('/tillagg/simulera?ar=2026');
  await economist.getByLabel('Skatteunderlagets utveckling (faktor)').fill('1,05');
  await economist.getByLabel('Kopparberg').selectOption('med');
  await economist.getByLabel('Namn på scenariot').fill('Högre utveckling, Kopparberg med');
  await economist.getByRole('button', { name: 'Spara scenario' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Scenario: Högre utveckling, Kopparberg med');
  await expect(economist.getByRole('status')).toContainText('inget beslut');
  const compared = economist.getByRole('table', { name: /beslutat, i scenariot/ });
  const row = (name: string) => compared.getByRole('row').filter({ has: economist.getByRole('rowheader', { name, exact: true }) });
  await expect(row('Ljusnarsberg')).toContainText('+');
  await expect(row('Länet')).toContainText('25\u00a0115\u00a0096 kr');
  await expect(row('Länet')).toContainText('25\u00a0364\u00a0096 kr');
  await checkPage(economist, 'tillagg-scenario-sparat');

  await economist.goto('/tillagg?ar=2026');
  await economist.getByRole('link', { name: 'Version 1' }).click();
  await economist.getByLabel('Skäl till rättelse').fill('Ny befolkningsstatistik från SCB');
  await economist.getByRole('button', { name: 'Rätta' }).click();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Tilläggsbelopp 2026 – version 2');
  await expect(economist.locator('.facts')).toContainText('version 1 (beslutat)');
  await expect(economist.locator('.facts')).toContainText('Ny befolkningsstatistik från SCB');
  await checkPage(economist, 'tillagg-rattelse');
});
