// public.test.mjs — the journeys of a visitor who is not logged in, on the demo contract (CLS 2
// Cœur de Lorraine): contract home, filtered action list, an action's timeline, the dashboard's
// numbers followed to their lists, the strategy tree and an organisation. Run by run.sh.
// Must not change any data: these journeys only read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, firstNumber, journey, launch } from './lib.mjs';

let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// The seven specific objectives of the demo contract, in order.
const SPECIFIC = [
    "Diminuer l'isolement des personnes en situation difficile",
    "Prévenir les risques sanitaires liés à l'environnement",
    'Améliorer les connaissances, les compétences et les pratiques des habitants, bénévoles et '
        + 'professionnels sur les déterminants de santé et les ressources du territoire',
    'Améliorer le parcours de santé des enfants et adolescents',
    "Renforcer l'offre coordonnée de prévention sur le territoire",
    "Maintenir l'accès et l'offre de 1er recours coordonnée sur le territoire",
    "Structurer l'offre de second recours sur le territoire",
];

// The number of the count line of the action list ("23 actions sur 76" → 23) and the rows.
async function listCount(page) {
    const line = await page.locator('p.count').innerText();
    const rows = await page.locator('table.actions tbody tr').count();
    return { shown: firstNumber(line), rows, line };
}

test('the contract home shows the 7 specific objectives', async (t) => {
    await journey(t, browser, 'contract home', async (page, j) => {
        const resp = await page.goto(BASE + '/');
        assert.equal(resp.status(), 200);
        assert.match(page.url(), /\/contracts\/\d+$/, '/ leads to the contract');
        await assert.doesNotReject(page.locator('h1').waitFor());
        assert.match(await page.locator('h1').innerText(), /Contrat Local de Santé/);
        const titles = await page.locator('.card h3').allInnerTexts();
        const specific = titles.filter((s) => /^Objectif spécifique \d+ — /.test(s));
        assert.deepEqual(specific, SPECIFIC.map((s, i) => `Objectif spécifique ${i + 1} — ${s}`));
        await j.check('contract home');
    });
});

test('the action list filters by objective and status, kept in the URL', async (t) => {
    await journey(t, browser, 'filter action list', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: /^Liste des \d+ actions$/ }).click();
        await page.waitForURL(/\/contracts\/\d+\/actions/);
        const all = await listCount(page);
        assert.equal(all.shown, all.rows, `count line "${all.line}" vs rows`);
        assert.ok(all.shown >= 70, `the demo has 76 actions, the list says "${all.line}"`);
        await j.check('action list');

        const form = page.getByRole('form', { name: 'Filtres' });
        await form.getByLabel('Objectif spécifique').selectOption({ label: '1 — ' + SPECIFIC[0] });
        await form.getByLabel(/^État/).selectOption({ label: 'En cours' });
        await Promise.all([page.waitForNavigation(),
            form.getByRole('button', { name: 'Filtrer' }).click()]);

        const url = new URL(page.url());
        const specificId = url.searchParams.get('specific');
        assert.match(specificId || '', /^\d+$/, `specific= in ${url}`);
        assert.equal(url.searchParams.get('status'), 'in_progress', `status= in ${url}`);
        const some = await listCount(page);
        assert.match(some.line, new RegExp(`^${some.shown} actions? sur ${all.shown}$`));
        assert.equal(some.shown, some.rows, `count line "${some.line}" vs rows`);
        assert.ok(some.shown > 0 && some.shown < all.shown, some.line);
        const statuses = await page.locator('table.actions tbody td .status').allInnerTexts();
        assert.deepEqual([...new Set(statuses)], ['En cours']);
        // The form shows the filters it applied.
        assert.equal(await form.getByLabel('Objectif spécifique').inputValue(), specificId);
        assert.equal(await form.getByLabel(/^État/).inputValue(), 'in_progress');
        await j.check('filtered action list');
    });
});

test('an action opened from the list shows its status timeline', async (t) => {
    await journey(t, browser, 'action timeline', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: /^Liste des \d+ actions$/ }).click();
        await page.waitForURL(/\/actions/);
        const link = page.locator('table.actions tbody tr').first().locator('a[href^="/actions/"]');
        const title = (await link.innerText()).trim();
        await Promise.all([page.waitForNavigation(), link.click()]);
        assert.match(page.url(), /\/actions\/\d+$/);
        assert.equal((await page.locator('h1').innerText()).trim(), title);
        await assert.doesNotReject(page.getByRole('heading', { name: /Historique de l'état/ })
            .waitFor());
        const years = (await page.locator('ol.timeline > li > h3').allInnerTexts()).map(Number);
        assert.ok(years.length >= 1, 'the timeline has entries');
        assert.deepEqual(years, [...years].sort((a, b) => b - a), 'latest year first');
        assert.ok(years.includes(2023), `2023 on the timeline (${years})`);
        const labels = await page.locator('ol.timeline .status').allInnerTexts();
        assert.ok(labels.length >= years.length && labels.every((s) => s.trim().length > 0),
            'every entry has a status label');
        await j.check('action page');
    });
});

// Follows the link of a number on the dashboard and checks the list has that many actions.
async function follow(page, link, what) {
    const href = await link.getAttribute('href');
    const n = await link.evaluate((a) => {
        const text = a.querySelector('text') || a;
        return Number(text.textContent.replace(/\s/g, ''));
    });
    assert.ok(Number.isInteger(n) && n > 0, `${what}: the link shows a number (${href})`);
    await Promise.all([page.waitForNavigation(), link.click()]);
    const url = new URL(page.url());
    assert.equal(url.pathname + url.search, href.replace(/&amp;/g, '&'), `${what}: followed`);
    const list = await listCount(page);
    assert.equal(list.shown, n, `${what}: the dashboard says ${n}, the list "${list.line}"`);
    assert.equal(list.rows, n, `${what}: rows in the list`);
    return url;
}

test('a number of the 2023 dashboard leads to a list of that many actions', async (t) => {
    await journey(t, browser, 'dashboard numbers', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: 'Tableau de bord 2023' }).click();
        await page.waitForURL(/\/dashboard\?year=2023/);
        const dashboard = page.url();
        assert.equal((await page.locator('h1').innerText()).trim(), 'Tableau de bord 2023');
        await j.check('dashboard 2023');

        // A bar of the chart by specific objective (an SVG link around a rect and its number).
        const bars = page.locator('svg#chart-specific a[href*="/actions?"]:has(text)');
        assert.ok(await bars.count() > 0, 'the chart by specific objective has numbered bars');
        let url = await follow(page, bars.nth(Math.min(3, await bars.count() - 1)), 'chart bar');
        assert.equal(url.searchParams.get('year'), '2023');
        assert.ok(url.searchParams.get('specific'), 'the bar filters on its objective');
        await j.check('list from a chart bar');

        // A cell of the table by specific objective.
        await page.goto(dashboard);
        const table = page.locator('table', {
            has: page.locator('caption', { hasText: 'par objectif spécifique' }),
        });
        const cells = table.locator('td a[href*="/actions?"]');
        const n = await cells.count();
        let chosen = -1;
        for (let i = 0; i < n && chosen < 0; i++)
            if (/^[1-9]\d*$/.test((await cells.nth(i).innerText()).trim()))
                chosen = i;
        assert.ok(chosen >= 0, 'the table by specific objective has a non-zero number');
        url = await follow(page, cells.nth(chosen), 'table cell');
        assert.equal(url.searchParams.get('year'), '2023');
        await j.check('list from a table cell');

        // The bar of a carrier type.
        await page.goto(dashboard);
        const types = page.locator('svg#chart-types a[href*="carrier_type="]:has(text)');
        if (await types.count() > 0) {
            url = await follow(page, types.first(), 'carrier type bar');
            assert.ok(url.searchParams.get('carrier_type'));
            await j.check('list from a carrier type bar');
        }
    });
});

test('the strategy tree shows the axes, objectives and actions', async (t) => {
    await journey(t, browser, 'strategy tree', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: 'Arbre de la stratégie' }).click();
        await page.waitForURL(/\/tree/);
        assert.equal((await page.locator('h1').innerText()).trim(), 'Arbre de la stratégie');
        const axes = await page.locator('.tree .obj-strategic').count();
        const specific = await page.locator('.tree .obj-specific').allInnerTexts();
        const actions = await page.locator('.tree ul.actions > li').count();
        assert.equal(axes, 2, 'two axes');
        assert.deepEqual(specific.map((s) => s.replace(/^Objectif spécifique \d+ — /, '')),
            SPECIFIC);
        assert.ok(actions >= 70, `the actions are on the tree (${actions})`);
        await j.check('strategy tree');
        // An action of the tree opens its page.
        const link = page.locator('.tree ul.actions a[href^="/actions/"]').first();
        const title = (await link.innerText()).trim();
        await Promise.all([page.waitForNavigation(), link.click()]);
        assert.equal((await page.locator('h1').innerText()).trim(), title);
        await j.check('action from the tree');
    });
});

test('an organisation page lists the actions it carries', async (t) => {
    await journey(t, browser, 'organisation', async (page, j) => {
        await page.goto(BASE + '/');
        await page.getByRole('link', { name: /^Liste des \d+ actions$/ }).click();
        await page.waitForURL(/\/actions/);
        const q = page.getByRole('form', { name: 'Filtres' }).getByLabel('Recherche');
        await q.fill('intergénéral');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filtrer' })
            .click()]);
        assert.equal(new URL(page.url()).searchParams.get('q'), 'intergénéral');
        await j.check('action list searched');
        const carrier = page.locator('table.actions tbody a[href^="/organisations/"]', {
            hasText: /Hannonville/,
        }).first();
        await Promise.all([page.waitForNavigation(), carrier.click()]);
        assert.match(page.url(), /\/organisations\/\d+$/);
        assert.match(await page.locator('h1').innerText(), /EHPAD .*Hannonville/);
        const heading = await page.getByRole('heading', { name: /^Actions portées/ }).innerText();
        const rows = await page.locator('main table tbody tr').count();
        assert.equal(firstNumber(heading), rows, heading);
        assert.equal(rows, 7, 'the EHPAD carries 7 actions in the demo');
        await j.check('organisation page');
    });
});
