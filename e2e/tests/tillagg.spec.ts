import { test, expect } from '@playwright/test';
import { checkPage, login } from './helpers';

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
  const distance = economist.getByRole('table', { name: /Centralorter mer än 35 km/ });
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
