/* funding.c — the funding lines of the actions (reads, checked and audited writes) and the
 * SCDL subventions rows of what was granted. The coordinator post's financing plan is in
 * financing_plan.c. Must not produce HTML (web/funding) nor know a territory. */
#include <stdio.h>
#include <string.h>
#include "base/str.h"
#include "base/text.h"
#include "model/funding/funding.h"
#include "model/sheet/sheet.h"
#include "store/rows.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define SCDL_TEXT_MAX 256 /* objet and conditionsVersement: "limitée à 256 caractères" */

const char *funding_cents_text(struct arena *a, long long v)
{
    char s[32];
    if (v < 0)
        return "";
    snprintf(s, sizeof s, "%lld.%02lld", v / 100, v % 100);
    return arena_strdup(a, s);
}

/* ---- funding lines of the actions ----------------------------------------------------------- */

const char *const funding_scdl_natures[] = {"aide en numéraire", "aide en nature",
                                            "aide en numéraire;aide en nature",
                                            "aide en nature;aide en numéraire", NULL};
const char *const funding_scdl_payments[] = {"unique", "échelonné", NULL};

#define FUNDING_COLS                                                                           \
    "f.id, f.action_id, f.funder, f.funder_siret, f.year, f.asked, f.granted, f.beneficiary, " \
    "f.beneficiary_siret, f.decision_date, f.decision_ref, f.purpose, f.nature, f.payment, "   \
    "f.payment_dates, f.version, x.contract_id, x.code, x.title"

static void read_funding(struct stmt *st, struct arena *a, void *row)
{
    struct action_funding *f = row;
    f->id = stmt_int(st, 0);
    f->action_id = stmt_int(st, 1);
    f->funder = stmt_text(st, 2, a);
    f->funder_siret = stmt_text(st, 3, a);
    f->year = (int)stmt_int(st, 4);
    f->asked = stmt_is_null(st, 5) ? -1 : stmt_int(st, 5);
    f->granted = stmt_is_null(st, 6) ? -1 : stmt_int(st, 6);
    f->beneficiary = stmt_text(st, 7, a);
    f->beneficiary_siret = stmt_text(st, 8, a);
    f->decision_date = stmt_text(st, 9, a);
    f->decision_ref = stmt_text(st, 10, a);
    f->purpose = stmt_text(st, 11, a);
    f->nature = stmt_text(st, 12, a);
    f->payment = stmt_text(st, 13, a);
    f->payment_dates = stmt_text(st, 14, a);
    f->version = (int)stmt_int(st, 15);
    f->contract_id = stmt_int(st, 16);
    f->action_code = stmt_text(st, 17, a);
    f->action_title = stmt_text(st, 18, a);
}

int action_funding_list(struct store *db, struct arena *a, long long action_id,
                        struct action_funding **out, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " FUNDING_COLS " FROM action_funding f JOIN "
                                        "action x ON x.id = f.action_id WHERE f.action_id = ?1 "
                                        "AND f.archived = 0 ORDER BY f.year, f.funder, f.id");
    stmt_bind_int(st, 1, action_id);
    return rows_read_all(st, a, sizeof **out, read_funding, (void **)out, n);
}

int action_funding_of_contract(struct store *db, struct arena *a, long long contract_id,
                               struct action_funding **out, int *n)
{
    struct stmt *st = store_prepare(db, "SELECT " FUNDING_COLS " FROM action_funding f JOIN "
                                        "action x ON x.id = f.action_id WHERE x.contract_id = "
                                        "?1 AND f.archived = 0 ORDER BY f.funder, f.year, "
                                        "x.position, f.id");
    stmt_bind_int(st, 1, contract_id);
    return rows_read_all(st, a, sizeof **out, read_funding, (void **)out, n);
}

int action_funding_get(struct store *db, struct arena *a, long long id, struct action_funding *out)
{
    struct stmt *st = store_prepare(db, "SELECT " FUNDING_COLS " FROM action_funding f JOIN "
                                        "action x ON x.id = f.action_id WHERE f.id = ?1 AND "
                                        "f.archived = 0");
    stmt_bind_int(st, 1, id);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return ERR_NOTFOUND;
    read_funding(st, a, out);
    stmt_done(st);
    return ERR_OK;
}

static bool siret_ok(const char *s)
{
    if (strlen(s) != 14)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool iso_date_ok(const char *s)
{
    char out[11];
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && edit_parse_date(s, out) == ERR_OK;
}

/* "AAAA-MM-JJ" or "AAAA-MM-JJ/AAAA-MM-JJ", real dates. */
static bool payment_dates_ok(const char *s)
{
    char one[11];
    size_t n = strlen(s);
    if (n == 10)
        return iso_date_ok(s);
    if (n != 21 || s[10] != '/')
        return false;
    memcpy(one, s, 10);
    one[10] = 0;
    return iso_date_ok(one) && iso_date_ok(s + 11);
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (str_eq(s, *list))
            return true;
    return false;
}

#define FUNDING_MAX_CENTS 10000000000LL /* 100 000 000 € */

void action_funding_check(const struct action_funding *f, struct problems *p)
{
    if (str_blank(f->funder))
        problems_add(p, "funder", "Indiquez le financeur (nom officiel de l'attribuant).");
    else if (strlen(f->funder) > 200)
        problems_add(p, "funder", "Le nom du financeur dépasse 200 caractères.");
    if (f->year < 1990 || f->year > 2100)
        problems_add(p, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    if (f->asked < -1 || f->asked > FUNDING_MAX_CENTS)
        problems_add(p, "asked", "Écrivez un montant en euros, par exemple 1 500.");
    if (f->granted < -1 || f->granted > FUNDING_MAX_CENTS)
        problems_add(p, "granted", "Écrivez un montant en euros, par exemple 1 500.");
    if (*f->funder_siret && !siret_ok(f->funder_siret))
        problems_add(p, "funder_siret", "Le SIRET s'écrit avec 14 chiffres, sans espace.");
    if (*f->beneficiary_siret && !siret_ok(f->beneficiary_siret))
        problems_add(p, "beneficiary_siret", "Le SIRET s'écrit avec 14 chiffres, sans espace.");
    if (*f->decision_date && !iso_date_ok(f->decision_date))
        problems_add(p, "decision_date", "Date de la convention inconnue : écrivez JJ/MM/AAAA.");
    if (*f->payment_dates && !payment_dates_ok(f->payment_dates))
        problems_add(p, "payment_dates",
                     "Écrivez une date AAAA-MM-JJ ou une période "
                     "AAAA-MM-JJ/AAAA-MM-JJ.");
    if (!in_list(f->nature, funding_scdl_natures))
        problems_add(p, "nature", "Choisissez la nature de l'aide dans la liste.");
    if (!in_list(f->payment, funding_scdl_payments))
        problems_add(p, "payment", "Choisissez « unique » ou « échelonné ».");
    if (text_chars(f->purpose) > SCDL_TEXT_MAX)
        problems_add(p, "purpose", "L'objet dépasse 256 caractères (limite du format SCDL).");
    if (strlen(f->decision_ref) > 200 || strlen(f->beneficiary) > 200)
        problems_add(p, "decision_ref", "Référence ou bénéficiaire trop long (200 caractères).");
}

/* Lists the audit entries written after `before` in the journal of the action's contract. */
static int show_in_action_contract(struct store *db, long long before, long long action_id)
{
    struct stmt *st = store_prepare(db, "SELECT contract_id FROM action WHERE id = ?1");
    stmt_bind_int(st, 1, action_id);
    int rc = stmt_step(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return ERR_NOTFOUND;
    long long contract_id = stmt_int(st, 0);
    stmt_done(st);
    return audit_show_in(db, before, contract_id);
}

static void bind_amount(struct stmt *st, int i, long long v)
{
    if (v < 0)
        stmt_bind_null(st, i);
    else
        stmt_bind_int(st, i, v);
}

/* The fields of a funding line, named as audit_log names them, as text. */
static void funding_fields(struct arena *a, const struct action_funding *f, const char *v[14])
{
    char y[16];
    snprintf(y, sizeof y, "%d", f->year);
    v[0] = f->funder;
    v[1] = f->funder_siret;
    v[2] = arena_strdup(a, y);
    v[3] = funding_cents_text(a, f->asked);
    v[4] = funding_cents_text(a, f->granted);
    v[5] = f->beneficiary;
    v[6] = f->beneficiary_siret;
    v[7] = f->decision_date;
    v[8] = f->decision_ref;
    v[9] = f->purpose;
    v[10] = f->nature;
    v[11] = f->payment;
    v[12] = f->payment_dates;
    v[13] = NULL;
}

static const char *const FUNDING_FIELD_NAMES[] = {
    "funder",      "funder_siret",      "year",          "asked",        "granted",
    "beneficiary", "beneficiary_siret", "decision_date", "decision_ref", "purpose",
    "nature",      "payment",           "payment_dates"};

static int funding_write(struct store *db, long long id, const struct action_funding *f,
                         bool archive, int version)
{
    struct stmt *st;
    if (!id) {
        st = store_prepare(db, "INSERT INTO action_funding (funder, funder_siret, year, asked, "
                               "granted, beneficiary, beneficiary_siret, decision_date, "
                               "decision_ref, purpose, nature, payment, payment_dates, "
                               "action_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                               "?9, ?10, ?11, ?12, ?13, ?14, " NOW_SQL ")");
        stmt_bind_int(st, 14, f->action_id);
    } else {
        st = store_prepare(db, "UPDATE action_funding SET funder = ?1, funder_siret = ?2, year "
                               "= ?3, asked = ?4, granted = ?5, beneficiary = ?6, "
                               "beneficiary_siret = ?7, decision_date = ?8, decision_ref = ?9, "
                               "purpose = ?10, nature = ?11, payment = ?12, payment_dates = "
                               "?13, archived = ?14, version = version + 1 WHERE id = ?15 AND "
                               "version = ?16");
        stmt_bind_int(st, 14, archive);
        stmt_bind_int(st, 15, id);
        stmt_bind_int(st, 16, version);
    }
    stmt_bind_text(st, 1, f->funder);
    stmt_bind_text(st, 2, f->funder_siret);
    stmt_bind_int(st, 3, f->year);
    bind_amount(st, 4, f->asked);
    bind_amount(st, 5, f->granted);
    stmt_bind_text(st, 6, f->beneficiary);
    stmt_bind_text(st, 7, f->beneficiary_siret);
    stmt_bind_text(st, 8, f->decision_date);
    stmt_bind_text(st, 9, f->decision_ref);
    stmt_bind_text(st, 10, f->purpose);
    stmt_bind_text(st, 11, f->nature);
    stmt_bind_text(st, 12, f->payment);
    stmt_bind_text(st, 13, f->payment_dates);
    int rc = stmt_exec(st);
    if (rc == ERR_OK && id && store_changes(db) != 1)
        rc = ERR_CONFLICT;
    return rc;
}

int action_funding_add(struct store *db, const struct actor *who, const struct action_funding *f,
                       long long *id)
{
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK)
        rc = funding_write(db, 0, f, false, 0);
    struct arena a = {0};
    if (rc == ERR_OK) {
        *id = store_last_id(db);
        const char *v[14];
        funding_fields(&a, f, v);
        rc = audit_record(db, who, "action", f->action_id, 0, "funding_line", "", v[0]);
        for (int i = 0; rc == ERR_OK && v[i]; i++)
            rc = audit_field(db, who, "action_funding", *id, 1, FUNDING_FIELD_NAMES[i], "", v[i]);
    }
    arena_free(&a);
    if (rc == ERR_OK)
        rc = show_in_action_contract(db, before, f->action_id);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}

int action_funding_update(struct store *db, const struct actor *who, long long id, int version,
                          const struct action_funding *f, bool archive)
{
    long long before = 0;
    int rc = store_begin(db);
    if (rc != ERR_OK)
        return rc;
    struct arena a = {0};
    struct action_funding old;
    rc = audit_last_id(db, &before);
    if (rc == ERR_OK)
        rc = action_funding_get(db, &a, id, &old);
    if (rc == ERR_OK && old.version != version)
        rc = ERR_CONFLICT;
    if (rc == ERR_OK)
        rc = funding_write(db, id, archive ? &old : f, archive, version);
    if (rc == ERR_OK && archive)
        rc = audit_record(db, who, "action_funding", id, version + 1, "archived", "0", "1");
    if (rc == ERR_OK && !archive) {
        const char *o[14], *v[14];
        funding_fields(&a, &old, o);
        funding_fields(&a, f, v);
        for (int i = 0; rc == ERR_OK && v[i]; i++)
            rc = audit_field(db, who, "action_funding", id, version + 1, FUNDING_FIELD_NAMES[i],
                             o[i], v[i]);
    }
    if (rc == ERR_OK)
        rc = show_in_action_contract(db, before, old.action_id);
    arena_free(&a);
    if (rc == ERR_OK)
        return store_commit(db);
    store_rollback(db);
    return rc;
}

/* ---- SCDL subventions 2.1.1 ------------------------------------------------------------------ */
/* Written after the 2.1.1 documentation on schema.data.gouv.fr (16 fields in this order;
 * notificationUE only "oui"/"non"; numbers with a point; pourcentageSubvention 0.01..1). */

const char *funding_scdl_missing(const struct action_funding *f)
{
    if (f->granted < 0)
        return "montant accordé inconnu";
    if (str_blank(f->beneficiary))
        return "nom du bénéficiaire manquant";
    if (!siret_ok(f->funder_siret))
        return "SIRET du financeur manquant";
    if (!siret_ok(f->beneficiary_siret))
        return "SIRET du bénéficiaire manquant";
    if (!iso_date_ok(f->decision_date))
        return "date de la convention manquante";
    if (!payment_dates_ok(f->payment_dates))
        return "date ou période de versement manquante";
    return NULL;
}

static const char SCDL_HEADER[] =
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,"
    "idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,"
    "datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide\r\n";

int funding_scdl_csv(struct store *db, struct arena *a, long long contract_id, struct buf *b,
                     int *rows, int *skipped)
{
    struct action_funding *fs = NULL;
    int n = 0;
    *rows = *skipped = 0;
    int rc = action_funding_of_contract(db, a, contract_id, &fs, &n);
    if (rc != ERR_OK)
        return rc;
    buf_puts(b, SCDL_HEADER);
    for (int i = 0; i < n; i++) {
        const struct action_funding *f = &fs[i];
        if (funding_scdl_missing(f)) {
            ++*skipped;
            continue;
        }
        /* One beneficiary per line: the whole grant goes to it (pourcentageSubvention 1). */
        const char *purpose = *f->purpose ? f->purpose : f->action_title;
        char *cut = arena_strdup(a, purpose);
        cut[text_cut_chars(purpose, SCDL_TEXT_MAX)] = 0; /* objet's maxLength counts characters */
        const char *cells[] = {f->funder,
                               f->funder_siret,
                               f->decision_date,
                               f->decision_ref,
                               f->beneficiary,
                               f->beneficiary_siret,
                               "",
                               cut,
                               funding_cents_text(a, f->granted),
                               f->nature,
                               f->payment,
                               f->payment_dates,
                               "",
                               "non",
                               "1.00",
                               ""};
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
            if (k)
                buf_putc(b, ',');
            buf_csv_field(b, cells[k], ',');
        }
        buf_puts(b, "\r\n");
        ++*rows;
    }
    return ERR_OK;
}
