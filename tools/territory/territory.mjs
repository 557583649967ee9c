// territory.mjs — writes the communes and intercommunalities of a territory, with their INSEE
// codes (SIREN for an intercommunality), from @etalab/decoupage-administratif, as the CSV file
// boussole loads (data/territories/*.csv). Run by hand to refresh the data, never at build time:
//   cd tools/territory && npm ci && node territory.mjs OUT.csv SIREN [SIREN…]
// Must not reach the network itself nor edit the file by hand afterwards: rerun it instead.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PKG = '@etalab/decoupage-administratif';
const epcis = require(`${PKG}/data/epci.json`);
const communes = require(`${PKG}/data/communes.json`);
const version = require(`${PKG}/package.json`).version;

const [out, ...sirens] = process.argv.slice(2);
if (!out || sirens.length === 0) {
    console.error('usage: node territory.mjs OUT.csv SIREN [SIREN…]  (SIREN of each '
        + 'intercommunality of the territory)');
    process.exit(2);
}

// One RFC 4180 field: quoted when it holds a comma, a quote or a line end.
function field(s) {
    s = String(s ?? '');
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

const rows = [['kind', 'code', 'name', 'epci_code', 'department', 'population']];
let n_communes = 0;
for (const siren of sirens) {
    const e = epcis.find((x) => x.code === siren);
    if (!e) {
        console.error(`territory.mjs: no intercommunality with SIREN ${siren} in ${PKG} ${version}`);
        process.exit(1);
    }
    rows.push(['epci', e.code, e.nom, '', '', e.populationMunicipale ?? '']);
    const members = [...e.membres].sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
    for (const m of members) {
        const c = communes.find((x) => x.code === m.code && x.type === 'commune-actuelle');
        rows.push(['commune', m.code, m.nom, e.code, c ? c.departement : '',
            m.populationMunicipale ?? '']);
        n_communes++;
    }
}
fs.writeFileSync(out, rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n');
console.log(`${out}: ${sirens.length} intercommunalities, ${n_communes} communes `
    + `(${PKG} ${version})`);
