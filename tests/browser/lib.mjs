// lib.mjs — what every browser journey shares: Debian's Chromium launched through playwright-core,
// one fresh context per journey, axe-core and a CSP check on every page a journey visits, and a
// screenshot plus the page's HTML under artifacts/ when a journey or a page check fails.
// Must not download a browser nor reach any address but the server run.sh started on loopback.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const BASE = process.env.BOUSSOLE_URL || 'http://127.0.0.1:8130';
export const ARTIFACTS = path.join(here, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// The demo accounts run.sh read from `boussole demo` (one "ROLE EMAIL PASSWORD" per line).
export function accounts() {
    const file = process.env.BOUSSOLE_ACCOUNTS;
    const out = {};
    if (!file || !fs.existsSync(file))
        return out;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const [role, email, password] = line.trim().split(/\s+/);
        if (role && email && password)
            out[role] = { email, password };
    }
    return out;
}

export async function launch() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // Without the background-networking flags Chromium keeps trying to reach Google's hosts,
        // which the closed network of the test machines refuses.
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}

// axe-core is injected with page.evaluate(source), not page.addScriptTag: our CSP
// (default-src 'none') blocks the inline <script> addScriptTag creates ("Executing inline script
// violates the following Content Security Policy directive"), and bypassCSP: true would switch
// the CSP off for the whole journey, hiding the very violations checkPage looks for. evaluate()
// runs through the DevTools protocol, which the page's CSP does not govern.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function slug(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '').slice(0, 80).toLowerCase() || 'page';
}

// Keeps a screenshot and the HTML of page under artifacts/NAME.{png,html}.
export async function keep(page, name) {
    try {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const base = path.join(ARTIFACTS, slug(name));
        await page.screenshot({ path: base + '.png', fullPage: true });
        fs.writeFileSync(base + '.html', await page.content());
        console.log(`# artifacts kept: ${path.relative(process.cwd(), base)}.{png,html}`);
    } catch (e) {
        console.log(`# could not keep artifacts for ${name}: ${e.message.split('\n')[0]}`);
    }
}

// Opens a new context and page, watches the console for CSP violations and script errors, runs
// body(page, j) and keeps artifacts when it throws. j.check(label) runs the page checks.
export async function journey(t, browser, name, body, options = {}) {
    const context = await browser.newContext({ locale: 'fr-FR', ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    page.setDefaultNavigationTimeout(30000);
    const problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
            problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push('script error: ' + e.message));
    const j = { name, page, context, problems, check: (label) => checkPage(t, j, label) };
    try {
        await body(page, j);
    } catch (e) {
        await keep(page, name);
        throw e;
    } finally {
        await context.close();
    }
}

// Runs axe-core on the page (impact serious or critical fails, and each violation is printed
// with its rule id, impact and targets) and fails on any CSP violation seen since the last check.
export async function checkPage(t, j, label) {
    const page = j.page;
    const where = new URL(page.url());
    const title = `page ${label || where.pathname + where.search}: axe and CSP`;
    await t.test(title, async () => {
        await page.waitForLoadState('load');
        const has = await page.evaluate(() => typeof window.axe === 'object');
        if (!has)
            await page.evaluate(AXE_SOURCE);
        const result = await page.evaluate(() => window.axe.run(document, {
            resultTypes: ['violations'],
        }));
        const bad = result.violations.filter((v) => v.impact === 'serious'
            || v.impact === 'critical');
        for (const v of result.violations) {
            const targets = v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ');
            const more = v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : '';
            console.log(`# axe ${where.pathname}${where.search}: ${v.id} [${v.impact}] `
                + `${v.nodes.length} node(s): ${targets}${more} — ${v.help}`);
        }
        const csp = j.problems.splice(0);
        for (const p of csp)
            console.log(`# ${where.pathname}: ${p}`);
        if (bad.length || csp.length)
            await keep(page, `${j.name} ${label || where.pathname + where.search}`);
        assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} node(s))`), [],
            'axe: violations of impact serious or critical');
        assert.deepEqual(csp, [], 'CSP violations or script errors on the page');
    });
}

// The integer in a text ("23 actions sur 76" → 23).
export function firstNumber(text) {
    const m = /\d+/.exec(text.replace(/\s/g, ''));
    assert.ok(m, `no number in ${JSON.stringify(text)}`);
    return Number(m[0]);
}

// Logs in through the /login form; the header then shows the account instead of "Se connecter".
export async function login(page, account) {
    assert.ok(account, 'demo account missing (run.sh reads them from `boussole demo`)');
    await page.goto(BASE + '/login');
    await page.getByLabel('Adresse e-mail').fill(account.email);
    await page.getByLabel('Mot de passe').fill(account.password);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' })
        .click()]);
    const user = page.locator('header.site .user');
    await assert.doesNotReject(user.waitFor());
    assert.doesNotMatch(await user.innerText(), /Se connecter/, 'still not logged in');
}
