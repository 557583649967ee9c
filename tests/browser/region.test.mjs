// region.test.mjs — issue 14's regional view in Chromium. An ARS officer's account for Grand Est
// (made with `boussole user add --region 44` on the demo database) signs in, opens the list of
// its regions, its region's page, filters it to the Meuse with the plain form (no script), finds
// the CLS 2 Cœur de Lorraine there, follows a figure to the contract's action list and opens the
// rows behind the indicator and campaign figures. Every page is checked with axe-core and for CSP
// violations (lib.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { BASE, firstNumber, journey, launch, login } from './lib.mjs';

const OFFICER = { email: 'agent.ars@grand-est.invalid', password: 'une phrase de passe ARS assez longue' };
let browser;
before(async () => {
    const db = process.env.BOUSSOLE_DB;
    assert.ok(db && process.env.BOUSSOLE_BIN, 'run through tests/browser/run.sh');
    execFileSync(process.env.BOUSSOLE_BIN, ['user', 'add', '--db', db, '--email', OFFICER.email,
        '--name', 'Agent ARS', '--region', '44', '--password-stdin'],
    { input: OFFICER.password + '\n' });
    browser = await launch();
});
after(async () => {
    await browser?.close();
});

test('an ARS officer reads the contracts of Grand Est side by side', async (t) => {
    await journey(t, browser, 'regional view', async (page, j) => {
        await login(page, OFFICER);
        // The officer starts from the home page, even on an instance of one contract.
        await page.goto(BASE + '/');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: /Vue régionale/ }).click()]);
        assert.equal(new URL(page.url()).pathname, '/regions');
        await j.check('regions');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('link', { name: 'Grand Est' }).click()]);
        assert.equal(new URL(page.url()).pathname, '/regions/44');
        await j.check('region');
        await page.getByLabel('Département').selectOption('55');
        await Promise.all([page.waitForNavigation(),
            page.getByRole('button', { name: 'Filtrer' }).click()]);
        assert.match(page.url(), /department=55/);
        const row = page.locator('tbody tr', { hasText: 'CLS 2 Cœur de Lorraine' });
        assert.equal(await row.count(), 1, 'the demo contract is in the Meuse');
        await j.check('region filtered');
        // A year's total leads to the contract's list of that year's actions, same count.
        const total = row.locator('ul.region-years li').last().locator('a').last();
        const n = firstNumber(await total.innerText());
        await Promise.all([page.waitForNavigation(), total.click()]);
        assert.match(page.url(), /\/contracts\/\d+\/actions\?year=\d+/);
        assert.match(await page.locator('main').innerText(), new RegExp(`${n} actions? sur`));
        await page.goBack();
        await Promise.all([page.waitForNavigation(),
            row.getByRole('link', { name: /réunions? requises?|tenues? sur/ }).click()]);
        assert.match(page.url(), /\/contracts\/\d+\/governance/);
        await page.goBack();
        await Promise.all([page.waitForNavigation(),
            row.locator('a[href*="#indicateurs"]').first().click()]);
        assert.match(page.url(), /\/regions\/44\/contracts\/\d+#indicateurs/);
        await page.locator('#campagne').waitFor();
        await j.check('contract behind the figures');
    });
});
