// directory.test.mjs — issue 13's public directory in Chromium, without signing in: the list of
// services, a theme filter, an accent-free search, a service page and the printable summary
// (with the print media applied: no navigation, A4 rules). The counts expected come from the
// data·inclusion export the same server gives. Every page is checked with axe-core and for CSP
// violations (lib.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, accounts, journey, launch, login } from './lib.mjs';

const ACCOUNTS = accounts();

let browser;
before(async () => {
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

// Lower case without accents: what the directory's search ignores.
const fold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

test('the public finds a service by theme and by search, and prints the summary', async (t) => {
    const services = await (await fetch(BASE + '/contracts/1/directory/services.json')).json();
    assert.ok(services.length > 0, 'the demo has services');
    const theme = 'sante--acces-aux-soins';
    const withTheme = services.filter((s) => (s.thematiques || []).includes(theme));
    assert.ok(withTheme.length > 0 && withTheme.length < services.length);

    await journey(t, browser, 'directory', async (page, j) => {
        await page.goto(BASE + '/contracts/1/directory');
        await j.check('directory');
        const cards = page.locator('article.dir-service');
        assert.equal(await cards.count(), services.length);

        await page.getByLabel('Thème').selectOption(theme);
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Filtrer' }).click()]);
        assert.match(page.url(), /theme=sante--acces-aux-soins/);
        assert.equal(await cards.count(), withTheme.length);
        await j.check('filtered by theme');

        await page.goto(BASE + '/contracts/1/directory');
        await page.getByLabel('Rechercher').fill('MOBILITE');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Filtrer' }).click()]);
        const found = await cards.locator('h3').allInnerTexts();
        assert.ok(found.length > 0, 'the search without accents finds « mobilité »');
        assert.ok(found.length < services.length);
        await j.check('search');

        await cards.first().locator('h3 a').click();
        await page.waitForURL(/\/directory\/services\/\d+/);
        assert.equal(await page.locator('h1').innerText(), found[0]);
        await j.check('service page');

        await page.goto(BASE + '/contracts/1/directory/print');
        await j.check('print summary');
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('header.site').isVisible(), false);
        const text = fold(await page.locator('main').innerText());
        for (const s of services)
            assert.ok(text.includes(fold(s.nom)), `the summary lists ${s.nom}`);
        const pdf = await page.pdf({ format: 'A4', printBackground: false });
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        assert.ok(pages >= 1 && pages <= 2, `the summary prints on 1 or 2 A4 pages, not ${pages}`);
    });
});

test('the coordination adds a service and sets a referent, on accessible forms', async (t) => {
    await journey(t, browser, 'directory coordination', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1/directory/services/new');
        await j.check('new service form');
        await page.getByLabel('Nom du service').fill('Permanence du point santé');
        await page.getByLabel('Description').fill('Une permanence où une infirmière informe '
            + 'sur les droits de santé et oriente vers les bons interlocuteurs du territoire.');
        await page.locator('select[name="organisation_id"]').selectOption({ index: 1 });
        await page.getByLabel('Accès aux soins').check();
        await page.getByLabel('Séniors').check();
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Enregistrer le service' }).click()]);
        assert.match(page.url(), /\/directory\/services\/\d+\?done=service/);
        assert.equal(await page.locator('h1').innerText(), 'Permanence du point santé');
        await j.check('service saved');

        await page.goto(BASE + '/contracts/1/directory/people');
        await j.check('referents and consents');
        const first = page.locator('tbody a').first();
        if (await first.count()) {
            await first.click();
            await page.waitForURL(/\/directory\/people\/\d+\/edit/);
            await j.check('referent form');
        }
        await page.goto(BASE + '/contracts/1/directory');
        const orgLink = page.locator('p.dir-org a').first();
        await orgLink.click();
        await page.waitForURL(/\/directory\/organisations\/\d+/);
        await j.check('organisation page');
        await page.getByRole('link', { name: "Modifier la fiche de l'annuaire" }).click();
        await page.waitForURL(/\/organisations\/\d+\/card/);
        await j.check('organisation card form');
    });
});
