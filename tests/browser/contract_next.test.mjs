// contract_next.test.mjs — issue 12's « Préparer le contrat suivant » in Chromium: the
// coordinator reaches the preview from the contract home, sees one choice per action (an
// abandoned one preselected as dropped) and the recommendations; a refused confirmation (no
// title) keeps the choices and names the field. Nothing is created here, so that the other
// journeys keep one demo contract. Every page is checked with axe-core and for CSP (lib.mjs).
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

test('the coordinator previews the next contract', async (t) => {
    await journey(t, browser, 'next contract preview', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: 'Préparer le contrat suivant' }).click()]);
        assert.match(page.url(), /\/contracts\/1\/next$/);
        await j.check('preview');
        const selects = page.locator('select[name^="action-"]');
        assert.ok(await selects.count() > 0, 'one choice per action');
        const values = await selects.evaluateAll((all) => all.map((s) => s.value));
        assert.ok(values.includes('drop') && values.includes('reconduct'),
            'abandoned actions preselected as dropped, the others as reconducted');
        const first = selects.first();
        await first.selectOption('modify');
        await page.getByLabel('Intitulé du nouveau contrat').fill('');
        const resp = await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Créer le contrat suivant' }).click()]);
        assert.equal(resp[0].status(), 422);
        assert.match(await page.locator('main').innerText(), /Donnez un intitulé/);
        assert.equal(await page.locator('select[name^="action-"]').first().inputValue(), 'modify',
            'the choices are kept');
        await j.check('refused confirmation');
    });
});
