/* synthetic_steer.c — what the regional view reads of a synthetic contract besides its statuses:
 * its department (the ten of Grand Est in turn), indicators with targets and values, governance
 * bodies and their meetings, and the latest year's update campaign. Written through src/model/
 * inside synthetic_load's transaction; must not contain SQL. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "cli/demo/synthetic.h"
#include "model/governance/body.h"
#include "model/governance/meeting.h"
#include "model/region/region.h"
#include "model/report/campaign.h"
#include "model/sheet/indicator.h"

static const char *const departments[] = {"08", "10", "51", "52", "54",
                                          "55", "57", "67", "68", "88"};

const char *synthetic_department(int k)
{
    return departments[(k - 1) % (int)(sizeof departments / sizeof *departments)];
}

int synthetic_generation(int k)
{
    return 1 + (k - 1) / 10 % 3; /* ten contracts of each generation in turn */
}

int synthetic_indicators(struct store *db, long long contract_id, const long long *actions,
                         int n_actions, unsigned long long seed)
{
    static const char *const names[] = {"Nombre de participants", "Nombre de séances",
                                        "Part des communes touchées"};
    for (int i = 0; i < 3; i++) {
        unsigned long long r = seed >> (i * 8);
        bool target = i < 2;
        struct indicator_edit e = {.name = names[i],
                                   .kind = i ? "process" : "result",
                                   .unit = "",
                                   .method = "",
                                   .collected_by = "",
                                   .frequency = "annuelle",
                                   .has_target = target,
                                   .target = 40 + (double)(r % 40)};
        long long id;
        int rc = indicator_create(db, contract_id, actions[(r >> 3) % (unsigned)n_actions], 0, &e,
                                  &id);
        if (rc != ERR_OK)
            return rc;
        for (int y = 0; y < 2 && (r % 5) != 0; y++) { /* one in five has no value yet */
            char period[8];
            snprintf(period, sizeof period, "%d", SYNTH_FIRST_YEAR + SYNTH_YEARS - 2 + y);
            rc = indicator_value_create(db, id, period, (double)((r >> (y * 4)) % 80), "", "",
                                        "Données synthétiques");
            if (rc != ERR_OK)
                return rc;
        }
    }
    return ERR_OK;
}

int synthetic_governance(struct store *db, long long contract_id, unsigned long long seed)
{
    static const struct {
        const char *kind, *name;
        int min;
    } kinds[] = {{"steering_committee", "Comité de pilotage", 1},
                 {"technical_committee", "Comité technique", 2}};
    for (int b = 0; b < 2; b++) {
        struct body_edit e = {.kind = kinds[b].kind,
                              .name = kinds[b].name,
                              .theme = "",
                              .description = "",
                              .min_per_year = kinds[b].min};
        long long body;
        int rc = body_create(db, contract_id, &e, &body);
        for (int y = 0; rc == ERR_OK && y < SYNTH_YEARS; y++) {
            int held = (int)((seed >> (b * 10 + y * 2)) % 3); /* 0, 1 or 2 a year */
            for (int m = 0; rc == ERR_OK && m < held; m++) {
                char day[24];
                snprintf(day, sizeof day, "%d-%02d-15", SYNTH_FIRST_YEAR + y, 3 + m * 6);
                struct meeting_edit me = {.body_id = body,
                                          .title = kinds[b].name,
                                          .held_on = day,
                                          .precision = "day",
                                          .end_on = "",
                                          .start_time = "",
                                          .end_time = "",
                                          .place = "",
                                          .video_url = "",
                                          .agenda = "",
                                          .status = "held",
                                          .notes = "",
                                          .date_as_written = "",
                                          .source = ""};
                long long id;
                rc = meeting_create(db, contract_id, &me, &id);
            }
        }
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* Synthetic contracts have no carrier contact: no campaign mail is ever written. */
static int no_mail(void *ctx, const struct campaign *c, const struct campaign_contact *to,
                   const char *token, const char *kind, struct outbox_mail *out)
{
    (void)ctx, (void)c, (void)to, (void)token, (void)kind, (void)out;
    return ERR_INVALID;
}

int synthetic_campaign_open(struct store *db, long long contract_id, int year, long long *id)
{
    long long now = (long long)time(NULL);
    char deadline[11];
    struct date d = date_add_days(date_of_time(now), 30);
    date_iso(&d, deadline);
    struct actor who = {0, "Données synthétiques"};
    const char *why;
    return campaign_open(db, &who, contract_id, year, deadline, now, no_mail, NULL, id, &why);
}

int synthetic_campaign_close(struct store *db, long long id)
{
    struct actor who = {0, "Données synthétiques"};
    return campaign_close(db, &who, id, (long long)time(NULL));
}

int synthetic_department_set(struct store *db, long long territory_id, int k)
{
    return region_set_department(db, territory_id, synthetic_department(k));
}
