// campaign_rate.test.mjs — issue 12's campaign done-when in Chromium, on a server of its own:
// a contract of 10 carrier organisations with two actions each and one contact each (the
// fixture of tests/http/test_campaign.py, built by Debian's Python); the coordinator opens the
// year, 10 personal links are queued (no mail server in this tier: they wait in the outbox,
// where the HTTP test's SMTP sink reads them); 6 contacts answer every action through their
// link in the browser; the rate page says 60 %; a reminder goes only to the 4 others; after the
// close a link answers 410. Every page is checked with axe-core and for CSP violations.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { journey, launch } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');
const BIN = process.env.BOUSSOLE_BIN;
const COORD = 'coordination@campagne.example';
const PASSWORD = 'une phrase de passe assez longue pour les tests'; // tests/http/test_accounts.py
const N_ORGS = 10;
const ANSWERING = 6;
let browser, server, base, dir, db;

function sql(query, ...args) {
    const out = execFileSync('/usr/bin/python3', ['-c',
        'import sqlite3, sys, json\n'
        + 'c = sqlite3.connect(sys.argv[1], timeout=30)\n'
        + 'print(json.dumps(c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))',
        db, query, JSON.stringify(args)]);
    return JSON.parse(out.toString());
}

function freePort() {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
}

before(async () => {
    assert.ok(BIN, 'BOUSSOLE_BIN is not set (tests/browser/run.sh sets it)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boussole-campaign-'));
    db = path.join(dir, 'campaign.db');
    // The HTTP test's fixture, so that both tiers count the same contract.
    execFileSync('/usr/bin/python3', ['-c',
        'import shutil, sys\n'
        + `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'tests', 'http'))})\n`
        + 'import common\nfrom test_campaign import build_db\n'
        + 'shutil.copy(build_db("browser-campaign"), sys.argv[1])\n'
        + 'shutil.rmtree(common.TMP)', db],
    { env: { ...process.env, BOUSSOLE_BIN: BIN } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', base],
        { stdio: 'ignore' });
    for (let i = 0; i < 600; i++) {
        try {
            if ((await fetch(base + '/static/style.css')).ok) break;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launch();
});
after(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function signIn(page) {
    await page.goto(base + '/login');
    await page.getByLabel('Adresse e-mail').fill(COORD);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Se connecter' }).click()]);
}

test('10 links, 6 carriers answer in the browser, 60 %, reminders to the 4 others, closed links',
    async (t) => {
        const year = new Date().getUTCFullYear();
        const deadline = new Date(Date.now() + 20 * 86400 * 1000).toISOString().slice(0, 10);
        let campaignUrl;
        await journey(t, browser, 'rate campaign opened', async (page, j) => {
            await signIn(page);
            await page.goto(base + '/contracts/1/campaigns');
            await page.getByLabel('Année à mettre à jour').fill(String(year));
            await page.getByLabel('Date limite des réponses').fill(deadline);
            await Promise.all([page.waitForNavigation(), page.getByRole('button',
                { name: 'Ouvrir la campagne et envoyer les liens' }).click()]);
            campaignUrl = page.url().split('?')[0];
            assert.match(campaignUrl, /\/contracts\/1\/campaigns\/\d+$/);
            await j.check('rate campaign page');
        });

        // One link per carrier contact, queued for each of the 10.
        const links = {};
        for (const [to, body] of sql("SELECT to_addr, body FROM outbox WHERE kind = 'campaign'")) {
            const m = /https?:\/\/\S*\/campaign\?token=[A-Za-z0-9_-]+/.exec(body);
            assert.ok(m, `no link in the message to ${to}`);
            links[to] = new URL(m[0]).pathname + new URL(m[0]).search;
        }
        const contacts = Array.from({ length: N_ORGS },
            (_, i) => `contact${String(i + 1).padStart(2, '0')}@campagne.example`);
        assert.deepEqual(Object.keys(links).sort(), contacts);

        for (const addr of contacts.slice(0, ANSWERING)) {
            await journey(t, browser, `answer ${addr}`, async (page, j) => {
                await page.goto(base + links[addr]);
                await page.waitForURL(/\/campaign\/actions$/);
                const sections = page.locator('section.campaign-action');
                const n = await sections.count();
                assert.equal(n, 2, `${addr} carries two actions`);
                for (let i = 0; i < n; i++) {
                    const s = page.locator('section.campaign-action').nth(i);
                    await s.locator('select[name="status"]').selectOption('in_progress');
                    await s.locator('textarea[name="remarks"]').fill(`Réponse de ${addr}`);
                    await Promise.all([page.waitForNavigation(),
                        s.getByRole('button', { name: 'Enregistrer' }).click()]);
                    assert.match(await page.locator('.notice').innerText(), /Enregistré, merci/);
                }
                await j.check(`answered ${addr}`);
            });
        }

        await journey(t, browser, 'rate, reminders and close', async (page, j) => {
            await signIn(page);
            await page.goto(campaignUrl);
            const overall = await page.locator('#taux-global').innerText();
            assert.match(overall, /60 %/);
            assert.match(overall, /12 sur 20/);
            await j.check('rate 60 %');
            const [[before]] = sql('SELECT coalesce(max(id), 0) FROM outbox');
            await Promise.all([page.waitForNavigation(), page.getByRole('button',
                { name: 'Envoyer un rappel maintenant' }).click()]);
            const reminded = sql("SELECT to_addr FROM outbox WHERE id > ? AND kind = 'campaign'",
                before).map((r) => r[0]).sort();
            assert.deepEqual(reminded, contacts.slice(ANSWERING));
            await Promise.all([page.waitForNavigation(), page.getByRole('button',
                { name: 'Clore la campagne' }).click()]);
            await j.check('campaign closed');
        });

        await journey(t, browser, 'closed link', async (page) => {
            const r = await page.goto(base + links[contacts[0]]);
            assert.equal(r.status(), 410);
        });
    });
