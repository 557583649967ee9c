// sheets.test.mjs — the action sheets in Chromium on the demo: a visitor opens the Gantt chart
// (one bar group per dated action, the SVG alone is valid, it prints on A4 landscape) and the
// sheet of the respite action (its 32 sessions and 139 participants, charts, a one-page printable
// view); the coordination fills a sheet, finds validation refused without a result indicator
// with a target, adds one and validates. axe-core and the CSP are checked on every page.
// Writes to the temporary demo database only (the respite action, 5.2.3).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, accounts, firstNumber, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();
let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// Pages of a PDF and the size of the first one, read from its objects (Chromium writes them
// uncompressed enough for this).
function pdfPages(buffer) {
    const text = buffer.toString('latin1');
    const pages = (text.match(/\/Type\s*\/Page[^s]/g) || []).length;
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
    return { pages, width: box ? Number(box[1]) : 0, height: box ? Number(box[2]) : 0 };
}

// Opens the page of the action whose code is code, from the action list's search.
async function openAction(page, code) {
    await page.goto(BASE + '/');
    await page.getByRole('link', { name: /^Liste des \d+ actions$/ }).click();
    await page.waitForURL(/\/actions/);
    const form = page.getByRole('form', { name: 'Filtres' });
    await form.locator('input[name="q"]').fill(code);
    await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Filtrer' })
        .click()]);
    const link = page.locator('table.actions tbody tr', { hasText: code })
        .locator('a[href^="/actions/"]').first();
    await Promise.all([page.waitForNavigation(), link.click()]);
    return page.url().replace(/[?#].*$/, '');
}

test('the Gantt chart shows one bar group per dated action and prints on A4 landscape',
    async (t) => {
        await journey(t, browser, 'gantt', async (page, j) => {
            await page.goto(BASE + '/');
            await Promise.all([page.waitForNavigation(), page.getByRole('link', {
                name: 'Calendrier des actions (Gantt)',
            }).click()]);
            assert.match(page.url(), /\/contracts\/\d+\/gantt$/);
            const groups = await page.locator('svg.gantt g.action').count();
            const rows = await page.locator('table.gantt-table tbody tr').count();
            const dated = firstNumber(await page.locator('p.count').innerText());
            assert.ok(groups > 0, 'the demo has dated actions');
            assert.equal(groups, rows, 'one group per row of the dates table');
            assert.equal(groups, dated, 'one group per dated action');
            assert.ok(await page.locator('svg.gantt line.today').count() === 1, 'a line for today');
            await j.check('gantt');
            // Printed: A4 landscape (842 × 595 points).
            await page.emulateMedia({ media: 'print' });
            const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
            assert.ok(pdf.width > pdf.height, `landscape, got ${pdf.width} × ${pdf.height}`);
            assert.ok(Math.abs(pdf.width - 842) < 3, `A4 width, got ${pdf.width}`);
            await page.emulateMedia({ media: 'screen' });
            // The SVG alone is a document of its own.
            const href = await page.getByRole('link', { name: 'Image SVG seule' })
                .getAttribute('href');
            const resp = await page.goto(BASE + href);
            assert.match(resp.headers()['content-type'], /^image\/svg\+xml/);
            const alone = await page.evaluate(() => ({
                root: document.documentElement.localName,
                groups: document.querySelectorAll('g.action').length,
                error: document.getElementsByTagName('parsererror').length,
            }));
            assert.deepEqual(alone, { root: 'svg', groups, error: 0 });
        });
    });

test('the sheet of the respite action shows its indicators and prints on one page',
    async (t) => {
        await journey(t, browser, 'sheet page', async (page, j) => {
            const url = await openAction(page, '5.2.3');
            await assert.doesNotReject(page.locator('h2#fiche').waitFor());
            const indicators = page.locator('article.indicator');
            assert.equal(await indicators.count(), 2);
            const values = await page.locator('table.values tbody td.num').allInnerTexts();
            assert.deepEqual(values.map((v) => v.trim()).sort(), ['139', '32']);
            assert.equal(await page.locator('svg.indicator-chart').count(), 2);
            assert.match(await page.locator('.sheet-state').innerText(), /Brouillon/);
            await j.check('sheet page');
            await Promise.all([page.waitForNavigation(), page.getByRole('link', {
                name: 'Version imprimable (une page)',
            }).click()]);
            assert.equal(page.url(), url + '/print');
            await j.check('printable sheet');
            await page.emulateMedia({ media: 'print' });
            const pdf = pdfPages(await page.pdf({ format: 'A4' }));
            assert.equal(pdf.pages, 1, 'the printable sheet fits one A4 page');
        });
    });

test('the coordination fills a sheet, is refused validation, adds a result indicator, validates',
    async (t) => {
        await journey(t, browser, 'validate sheet', async (page, j) => {
            await login(page, ACCOUNTS.coordinator);
            const url = await openAction(page, '5.2.3');
            // The sheet form: a date and a commune of the territory (INSEE code).
            await Promise.all([page.waitForNavigation(), page.getByRole('link', {
                name: 'Compléter la fiche',
            }).click()]);
            await j.check('sheet form');
            await page.locator('input[name="planned_start"]').fill('01/2025');
            await page.locator('input[name="planned_end"]').fill('12/2025');
            await page.locator('details', { hasText: 'Communes de CC du Sammiellois' })
                .locator('summary').click();
            await page.getByLabel('Saint-Mihiel (55463)').check();
            await Promise.all([page.waitForNavigation(), page.getByRole('button', {
                name: 'Enregistrer la fiche',
            }).click()]);
            assert.match(page.url(), /saved=sheet/);
            const fields = await page.locator('dl.sheet-fields').innerText();
            assert.match(fields, /janvier 2025/);
            assert.match(fields, /Saint-Mihiel/);
            // Validation refused: no result indicator.
            const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole(
                'button', { name: 'Valider la fiche' },
            ).click()]);
            assert.equal(refused.status(), 422);
            assert.match(await page.locator('[role="alert"]').innerText(),
                /aucun indicateur de résultat/);
            await j.check('validation refused');
            // A result indicator with a target, then validation passes.
            await page.goto(url + '/indicators/new');
            await j.check('new indicator');
            await page.getByLabel('Nom de l\'indicateur').fill('Part des aidants qui se disent '
                + 'soulagés');
            await page.locator('select[name="kind"]').selectOption('result');
            await page.locator('input[name="unit"]').fill('%');
            await page.locator('input[name="target"]').fill('80');
            await Promise.all([page.waitForNavigation(), page.getByRole('button', {
                name: 'Ajouter l\'indicateur',
            }).click()]);
            assert.equal(await page.locator('article.indicator').count(), 3);
            await Promise.all([page.waitForNavigation(), page.getByRole('button', {
                name: 'Valider la fiche',
            }).click()]);
            assert.match(page.url(), /saved=validated/);
            assert.match(await page.locator('.sheet-state').innerText(), /Validée/);
            await j.check('validated sheet');
        });
    });
