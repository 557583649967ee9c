/* test_communication.c — the communication plan's yearly rule (met, missed, ongoing, to come, no
 * target before its first year; recorded counts and corrections; sent newsletters counting only
 * for the row that counts them) and the newsletter model: numbering, frozen once sent, one
 * personal token per mail stored as a digest, unsubscribe once, no mail to who left. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/str.h"
#include "check.h"
#include "model/communication/communication.h"
#include "model/communication/newsletter.h"
#include "store/db.h"

static struct store *db;
static struct arena mail_arena;
static char last_url[256];

static int mail(void *ctx, const struct newsletter *x, const char *to, const char *url,
                struct outbox_mail *out)
{
    (void)ctx, (void)to;
    snprintf(last_url, sizeof last_url, "%s", url);
    out->subject = arena_strdup(&mail_arena, x->title);
    out->body = arena_strdup(&mail_arena, x->body);
    return 0;
}

static long long count(const char *sql)
{
    struct stmt *st = store_prepare(db, sql);
    long long n = -1;
    if (stmt_step(st) == 1) {
        n = stmt_int(st, 0);
        stmt_done(st);
    }
    return n;
}

static void fixture(void)
{
    const char *sql[] = {
        "INSERT INTO territory (id, name) VALUES (1, 'Pays test')",
        "INSERT INTO contract (id, territory_id, title, created_at) VALUES (1, 1, 'CLS test', "
        "'2020-01-01')",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        CHECK(stmt_exec(store_prepare(db, sql[i])) == ERR_OK);
}

static struct comm_year year_of(const struct comm_item *x, int y, int current)
{
    struct arena a = {0};
    struct comm_year *ys = NULL;
    int n = 0;
    CHECK(comm_years(db, &a, x, y, y, current, &ys, &n) == ERR_OK && n == 1);
    struct comm_year out = ys[0];
    arena_free(&a);
    return out;
}

static void test_plan(long long *newsletter_row)
{
    struct actor who = {0, "test"};
    struct comm_item_new nl = {.support = "Newsletter",
                               .indicator = "Au moins une par an",
                               .target_per_year = 1,
                               .counts_newsletters = true};
    struct comm_item_new art = {.support = "Articles", .target_per_year = 2, .target_from = 2021};
    long long a_id = 0, b_id = 0;
    CHECK(comm_add(db, &who, 1, &nl, &a_id) == ERR_OK);
    CHECK(comm_add(db, &who, 1, &art, &b_id) == ERR_OK);
    *newsletter_row = a_id;
    struct arena a = {0};
    struct comm_item x, y;
    CHECK(comm_get(db, &a, a_id, &x) == ERR_OK && x.position == 1);
    CHECK(comm_get(db, &a, b_id, &y) == ERR_OK && y.position == 2);
    CHECK(year_of(&x, 2020, 2022).outcome == COMM_MISSED);
    CHECK(year_of(&x, 2022, 2022).outcome == COMM_ONGOING);
    CHECK(year_of(&x, 2023, 2022).outcome == COMM_FUTURE);
    CHECK(year_of(&y, 2020, 2022).outcome == COMM_NO_TARGET); /* before its first year */
    CHECK(comm_record(db, &who, b_id, 2021, 1, "", 0) == ERR_OK);
    CHECK(year_of(&y, 2021, 2022).outcome == COMM_MISSED);
    CHECK(comm_record(db, &who, b_id, 2021, 2, "deux articles", 0) == ERR_OK);
    struct comm_year r = year_of(&y, 2021, 2022);
    CHECK(r.outcome == COMM_MET && r.done == 3 && r.target == 2);
    CHECK(comm_record(db, &who, b_id, 2021, -1, "en double", 0) == ERR_OK);
    CHECK(year_of(&y, 2021, 2022).done == 2);
    CHECK(comm_record(db, &who, b_id, 2021, 0, "", 0) == ERR_INVALID);
    CHECK(comm_record(db, &who, b_id, 1800, 1, "", 0) == ERR_INVALID);
    CHECK(count("SELECT count(*) FROM comm_done") == 3);
    CHECK(comm_set_target(db, &who, b_id, y.version + 1, 1, 0) == ERR_CONFLICT);
    CHECK(comm_set_target(db, &who, b_id, y.version, 1, 0) == ERR_OK);
    arena_free(&a);
}

static void test_newsletter(long long newsletter_row)
{
    struct actor who = {0, "test"};
    struct arena a = {0};
    long long id1 = 0, id2 = 0;
    CHECK(newsletter_create(db, &who, 1, "Premier", "Texte", 100, &id1) == ERR_OK);
    CHECK(newsletter_create(db, &who, 1, "Second", "Texte", 100, &id2) == ERR_OK);
    struct newsletter x;
    CHECK(newsletter_get(db, &a, id2, &x) == ERR_OK && x.number == 2);
    int sent = 0;
    /* No subscriber: nothing is sent, the issue stays a draft. */
    CHECK(newsletter_send(db, &who, id1, 1, "https://b.example", 100, 2022, mail, NULL, &sent) ==
          ERR_INVALID);
    CHECK(newsletter_get(db, &a, id1, &x) == ERR_OK && str_eq(x.state, "draft"));
    CHECK(subscriber_add(db, &who, 1, "un@exemple.fr", "oui", 100) == ERR_OK);
    CHECK(subscriber_add(db, &who, 1, "deux@exemple.fr", "oui", 100) == ERR_OK);
    CHECK(subscriber_add(db, &who, 1, "un@exemple.fr", "oui", 100) == ERR_CONFLICT);
    CHECK(newsletter_send(db, &who, id1, 2, "https://b.example", 100, 2022, mail, NULL, &sent) ==
          ERR_CONFLICT);
    CHECK(newsletter_send(db, &who, id1, 1, "https://b.example", 100, 2022, mail, NULL, &sent) ==
          ERR_OK);
    CHECK(sent == 2);
    CHECK(count("SELECT count(*) FROM outbox WHERE kind = 'newsletter' AND list_unsubscribe "
                "LIKE 'https://b.example/newsletter/unsubscribe?token=%'") == 2);
    CHECK(newsletter_update(db, &who, id1, 2, "Changé", "x") == ERR_INVALID);
    /* The sent issue counts for the newsletter row in its year. */
    struct comm_item row;
    CHECK(comm_get(db, &a, newsletter_row, &row) == ERR_OK);
    CHECK(year_of(&row, 2022, 2022).outcome == COMM_MET);
    /* The token of the last mail: kept as a digest only; unsubscribes once. */
    char token[64];
    snprintf(token, sizeof token, "%s", strstr(last_url, "token=") + 6);
    CHECK(count("SELECT count(*) FROM newsletter_delivery WHERE digest = 'x'") == 0);
    char *email = NULL;
    long long cid = 0;
    bool already = true;
    CHECK(newsletter_token(db, &a, token, &email, &cid, &already) == ERR_OK && !already);
    CHECK(newsletter_unsubscribe(db, token, 200, &already) == ERR_OK && !already);
    CHECK(newsletter_unsubscribe(db, token, 201, &already) == ERR_OK && already);
    CHECK(newsletter_unsubscribe(db, "nope", 201, &already) == ERR_NOTFOUND);
    CHECK(newsletter_send(db, &who, id2, 1, "https://b.example", 300, 2022, mail, NULL, &sent) ==
          ERR_OK);
    CHECK(sent == 1);
    CHECK(strstr(last_url, token) == NULL);
    int active = 0;
    CHECK(subscriber_active_count(db, 1, &active) == ERR_OK && active == 1);
    /* Subscribing again after leaving takes a new consent. */
    CHECK(subscriber_add(db, &who, 1, email, "oui, de nouveau", 400) == ERR_OK);
    CHECK(subscriber_active_count(db, 1, &active) == ERR_OK && active == 2);
    arena_free(&a);
}

int main(void)
{
    char dir[] = "/tmp/boussole-test-communication-XXXXXX";
    if (!mkdtemp(dir) || secret_init() != ERR_OK) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/communication.db", dir);
    if (store_open(path, &db, err, sizeof err) != ERR_OK) {
        fprintf(stderr, "test_communication: %s\n", err);
        return 1;
    }
    fixture();
    long long row = 0;
    test_plan(&row);
    test_newsletter(row);
    store_close(db);
    arena_free(&mail_arena);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        perror("rm");
    return check_report("test_communication");
}
