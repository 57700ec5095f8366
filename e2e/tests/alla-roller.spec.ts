import { test, expect, Page } from '@playwright/test';
import { checkPage, login } from './helpers';

/** Every demo role, where it starts, and the pages beyond its menu that belong to its work. */
const ROLES: { user: string; start: string; more: string[] }[] = [
  { user: 'lakare', start: '/inkorg', more: ['case'] },
  { user: 'sjukskoterska', start: '/inkorg', more: ['case', '/avvikelser/ny'] },
  { user: 'arbetsterapeut', start: '/inkorg', more: ['case'] },
  { user: 'fysioterapeut', start: '/inkorg', more: [] },
  { user: 'sjukhuslakare', start: '/inkorg', more: ['case'] },
  { user: 'psykiater', start: '/inkorg', more: [] },
  { user: 'enhetschef', start: '/avvikelser', more: ['/avvikelser/arsstatistik', '/uppfoljning/indikatorer', '/tillagg/simulera', '/tillagg/historik', '/tillagg/underlag'] },
  { user: 'verksamhetschef', start: '/avvikelser', more: [] },
  { user: 'samordnare', start: '/avvikelser', more: ['/uppfoljning/rapport'] },
  { user: 'lansgrupp', start: '/lansgrupp', more: [] },
  { user: 'chefsgrupp', start: '/uppfoljning', more: ['/uppfoljning/indikatorer', '/uppfoljning/enkat', '/uppfoljning/rapport'] },
  { user: 'halsoval', start: '/uppfoljning/enkat', more: ['/uppfoljning/stickprov'] },
  { user: 'ekonom', start: '/tillagg', more: ['/matning?period=2022-10', '/tillagg/simulera', '/tillagg/historik'] },
  { user: 'logggranskare', start: '/logg', more: [] },
  { user: 'administrator', start: '/admin/anvandare', more: [] },
];

// Each role's tour only reads, so the tours may run side by side.
test.describe.configure({ mode: 'parallel' });

const SIZES = [
  { name: 'mobil', width: 390, height: 844 },
  { name: 'dator', width: 1280, height: 800 },
];

/** The first case in the user's inbox. */
async function firstCase(page: Page): Promise<string> {
  await page.goto('/inkorg');
  const href = await page.locator('table.requests tbody th a').first().getAttribute('href');
  expect(href, 'a case in the inbox').toBeTruthy();
  return href as string;
}

function slug(href: string): string {
  return href.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '') || 'start';
}

for (const role of ROLES) {
  test(`${role.user}: startar på sitt arbete, och varje sida i menyn passar mobil och dator`, async ({ browser }) => {
    test.setTimeout(300_000);
    const page = await login(browser, role.user);
    expect(new URL(page.url()).pathname).toBe(role.start);

    const menu = page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link');
    const links = (await menu.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))).filter((h) => h);
    expect(links.length).toBeGreaterThan(0);
    const pages = [...links, '/konto/losenord'];
    for (const more of role.more) {
      pages.push(more === 'case' ? await firstCase(page) : more);
    }

    for (const href of pages) {
      const shot = ['/inkorg', '/begaran/ny'].includes(href) || href.startsWith('/begaran/');
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        const response = await page.goto(href);
        const status = response?.status() ?? 0;
        expect([403, 404], `${role.user} ${href} answers ${status}`).not.toContain(status);
        expect(status, `${role.user} ${href}`).toBeLessThan(400);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${role.user} ${href} at ${size.width} px is ${width} px wide`).toBeLessThanOrEqual(size.width);
        await checkPage(page, `${slug(href).startsWith('begaran-') && href !== '/begaran/ny' ? 'arende' : slug(href)}-${role.user}-${size.name}`, shot);
      }
    }
  });
}
