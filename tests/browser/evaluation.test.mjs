// evaluation.test.mjs — the final evaluation page as the coordinator uses it: from the contract's
// home to the page, a SWOT item added to the threats, edited, moved up and removed through the
// 2×2 grid's forms, a recommendation given an owner and a follow-up. Every page visited is checked
// with axe-core and for CSP violations. Leaves the demo's SWOT as it found it.
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

test('the coordinator edits the SWOT and a recommendation of the final evaluation', async (t) => {
    await journey(t, browser, 'final evaluation', async (page, j) => {
        await login(page, ACCOUNTS.coordinator);
        await page.goto(BASE + '/contracts/1');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: /^Évaluation finale du contrat/ }).click()]);
        assert.match(page.url(), /\/contracts\/1\/evaluation$/);
        await assert.doesNotReject(page.getByRole('heading', { name: 'Analyse AFOM' }).waitFor());
        // The latest year may be one another journey wrote (campaign.test.mjs, three years
        // ahead) with a single status: the sentence then takes the singular.
        assert.match(await page.locator('#text-status-shown').innerText(),
            /^Sur les \d+ actions du contrat en \d{4}, \d+ \(\d+ %\) (ont été réalisées|a été réalisée)/);
        await j.check('evaluation page');

        const threats = page.locator('section.swot-threat');
        const before = await threats.locator('li').count();
        await threats.getByLabel('Ajouter aux menaces').fill('Départ de la coordinatrice');
        await Promise.all([page.waitForNavigation(),
            threats.getByRole('button', { name: 'Ajouter' }).click()]);
        await assert.doesNotReject(page.getByText('Analyse AFOM enregistrée.').waitFor());
        assert.equal(await threats.locator('li').count(), before + 1);
        const added = threats.locator('li').last();
        assert.equal(await added.locator('.swot-text').innerText(), 'Départ de la coordinatrice');
        await j.check('evaluation after adding a threat');

        await added.getByText(/^Modifier l'élément/).click();
        await added.getByLabel(/^Texte de l'élément/).fill('Départ de la coordination');
        await Promise.all([page.waitForNavigation(),
            added.getByRole('button', { name: 'Monter' }).click()]);
        // Moved up one place, text unchanged by a move.
        const moved = threats.locator('li').nth(before - 1);
        assert.equal(await moved.locator('.swot-text').innerText(), 'Départ de la coordinatrice');
        await moved.getByText(/^Modifier l'élément/).click();
        await moved.getByLabel(/^Texte de l'élément/).fill('Départ de la coordination');
        await Promise.all([page.waitForNavigation(),
            moved.getByRole('button', { name: 'Enregistrer' }).click()]);
        assert.equal(await threats.locator('li').nth(before - 1).locator('.swot-text').innerText(),
            'Départ de la coordination');
        const again = threats.locator('li').nth(before - 1);
        await again.getByText(/^Modifier l'élément/).click();
        await Promise.all([page.waitForNavigation(),
            again.getByRole('button', { name: 'Retirer' }).click()]);
        assert.equal(await threats.locator('li').count(), before);

        const rec = page.locator('article.recommendation').first();
        await rec.getByText(/^Modifier la recommandation/).click();
        await rec.getByLabel('Porteur').fill('PETR Cœur de Lorraine');
        await rec.getByLabel('Suivi').fill('Planning annuel adopté');
        await rec.getByLabel('État').selectOption('in_progress');
        await Promise.all([page.waitForNavigation(),
            rec.getByRole('button', { name: 'Enregistrer la recommandation' }).click()]);
        const shown = await page.locator('article.recommendation').first().innerText();
        assert.match(shown, /PETR Cœur de Lorraine/);
        assert.match(shown, /Planning annuel adopté/);
        assert.match(shown, /Engagée/);
        await j.check('evaluation after editing a recommendation');
    });
});
