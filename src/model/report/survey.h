/* survey.h — evaluation questionnaires (migration 014): a survey of a contract built from the CLS
 * template (data/survey/questionnaire.json) and edited while a draft; personal links for the
 * carrier contacts exactly like campaigns (digest kept, a short session, dead at the close);
 * one answer set per action and respondent, saved as a draft and resumed until submitted, kept
 * as rows; conditions and required questions; the statistics of the submitted answers. */
#ifndef MODEL_SURVEY_H
#define MODEL_SURVEY_H

#include <stdbool.h>

#include "base/arena.h"
#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/report/campaign.h"
#include "model/core/outbox.h"
#include "store/db.h"

enum survey_kind { SQ_SINGLE, SQ_MULTIPLE, SQ_TEXT, SQ_SCALE, SQ_DATE, SQ_MATRIX, SQ_KINDS };

enum {
    SURVEY_TOKEN_LEN = 22,       /* base64url characters: 132 random bits */
    SURVEY_SESSION_S = 2 * 3600, /* a session lasts two hours, never past the close */
    SURVEY_SCALE_MAX = 5,        /* scales run from 0 to 5 */
    SURVEY_MAX_CHOICES = 64,     /* options (or matrix rows) of one question */
    SURVEY_TEXT_MAX = 5000,      /* characters of one free text */
};

struct survey {
    long long id, contract_id;
    char *title, *intro, *state, *deadline; /* state "draft", "open" or "closed" */
    long long deadline_at, created_at, opened_at, closed_at;
    int links, questions;
};

struct survey_question {
    long long id;
    int position; /* 1-based, the number shown */
    char *section, *text;
    enum survey_kind kind;
    bool required, has_comment;
    char **options; /* single, multiple; matrix: its columns */
    int n_options;
    char **rows; /* matrix rows */
    int n_rows;
    int cond_position; /* 0: always shown; else shown when that question's answer… */
    char *cond_value;  /* …includes this choice */
    int version;       /* of the wording and the required mark, for the edit form */
};

/* One answer row: part "choice", "text", "scale", "start", "end", "comment" or "row:N" (N the
 * 1-based matrix row); value the option's text, the typed text, "0".."5" or "AAAA-MM-JJ". */
struct survey_part {
    long long question_id;
    const char *part, *value;
};

/* French name of a kind ("Choix unique"…) and its key in the database ("single"…). */
const char *survey_kind_label(enum survey_kind k);
const char *survey_kind_key(enum survey_kind k);

int survey_list(struct store *db, struct arena *a, long long contract_id, struct survey **out,
                int *n) MUST_CHECK;
int survey_get(struct store *db, struct arena *a, long long id, struct survey *out) MUST_CHECK;
int survey_questions(struct store *db, struct arena *a, long long survey_id,
                     struct survey_question **out, int *n) MUST_CHECK;
/* The contract of a survey (the route table's scope); ERR_NOTFOUND when none. */
int scope_survey(struct store *db, long long survey_id, long long *contract_id) MUST_CHECK;

/* Creates a draft survey for the contract from the questionnaire template at path (JSON of
 * data/survey/questionnaire.json). ERR_INVALID with *why (French) when the file is unusable. */
int survey_create_from_template(struct store *db, const struct actor *who, long long contract_id,
                                const char *path, long long now, long long *id,
                                const char **why) MUST_CHECK;
/* Changes the wording and the required mark of a question of a draft survey (ERR_CONFLICT when
 * q->version is no longer its version: someone changed it meanwhile), or (q->id 0) adds it at
 * the end. ERR_INVALID with *why when the survey is not a draft or the question is bad. */
int survey_question_save(struct store *db, const struct actor *who, long long survey_id,
                         const struct survey_question *q, const char **why) MUST_CHECK;

/* Opens a draft survey with a deadline ("AAAA-MM-JJ" or "JJ/MM/AAAA", not past) and queues one
 * personal link per carrier contact (campaign_contacts), all in one transaction. */
int survey_open(struct store *db, const struct actor *who, long long id, const char *deadline,
                long long now, campaign_mail_fn mail, void *ctx, const char **why) MUST_CHECK;
int survey_close(struct store *db, const struct actor *who, long long id,
                 long long now) MUST_CHECK;
/* A reminder (fresh token) to every link of an open survey with actions not submitted. */
int survey_remind(struct store *db, long long id, long long now, campaign_mail_fn mail, void *ctx,
                  int *sent) MUST_CHECK;
/* The reminders due 7 days and 1 day before the deadline of every open survey, each once. */
int survey_remind_due(struct store *db, long long now, campaign_mail_fn mail, void *ctx,
                      int *sent) MUST_CHECK;
/* The links of a survey, with in unanswered the actions not yet submitted. */
int survey_links(struct store *db, struct arena *a, long long survey_id,
                 struct campaign_contact **out, int *n) MUST_CHECK;

/* What a personal link's session may see. */
struct survey_visit {
    struct survey survey;
    long long link_id, organisation_id;
    char *name, *organisation;
};
/* Exchanges a link's token for a session token (SECRET_TOKEN_LEN + 1 bytes); ERR_NOTFOUND,
 * *closed true when the survey is closed. */
int survey_link_use(struct store *db, const char *token, long long now, char *session,
                    bool *closed) MUST_CHECK;
int survey_session_find(struct store *db, struct arena *a, const char *session, long long now,
                        struct survey_visit *out, bool *closed) MUST_CHECK;
/* An action the visit may answer for, with the state of its answer ("", "draft", "submitted"). */
struct survey_target {
    struct carried_action action;
    const char *state;
};
int survey_visit_actions(struct store *db, struct arena *a, const struct survey_visit *v,
                         struct survey_target **out, int *n) MUST_CHECK;
/* What Boussole knows of an action, to pre-fill the form: carriers, partners, statuses. */
struct survey_known {
    char *title, *code, *carriers, *partners, *axis, *specific;
    int *years;            /* the years with a status, ascending… */
    enum status *statuses; /* …and each one's latest status */
    int n_statuses;
};
int survey_action_known(struct store *db, struct arena *a, long long contract_id,
                        long long action_id, struct survey_known *out) MUST_CHECK;
/* The saved answer of the visit for an action: state "" when none. */
int survey_answer_load(struct store *db, struct arena *a, const struct survey_visit *v,
                       long long action_id, const char **state, struct survey_part **out,
                       int *n) MUST_CHECK;

/* Checks answers against the questions: every value must be one of the question's choices,
 * a scale 0–5, a real date, a text without control characters under SURVEY_TEXT_MAX; when
 * submit, every required question shown (conditions) must be answered. Answers to hidden
 * questions are dropped (*n shrinks). errors[i] (French, arena) is the error of question i or
 * NULL; returns the number of questions in error. */
int survey_check(struct arena *a, const struct survey_question *qs, int n_q,
                 struct survey_part *parts, int *n, bool submit, const char **errors);
/* True when question q is shown given the answers (its condition holds). */
bool survey_shown(const struct survey_question *qs, int n_q, const struct survey_question *q,
                  const struct survey_part *parts, int n);
/* Replaces the visit's draft answer for the action by parts (already checked) and, when
 * submit, marks it submitted. ERR_FORBIDDEN when the organisation does not carry the action,
 * ERR_CONFLICT when already submitted. */
int survey_answer_save(struct store *db, const struct survey_visit *v, long long action_id,
                       const struct survey_part *parts, int n, bool submit,
                       long long now) MUST_CHECK;

/* ---- results (survey_stats.c) ---- */

struct survey_group {
    long long id;
    char *label;
    int expected, submitted; /* response rate: (link, action) pairs and their submitted answers */
};
struct survey_stat {
    const struct survey_question *q;
    int answered; /* submitted answers that answered it */
    int *counts;  /* single, multiple: per option; scale: per value 0..5; matrix:
                             row-major n_rows × n_options */
    int n_counts;
    int n_scale;         /* scale: values given */
    double mean, median; /* scale, when n_scale */
    char **texts;        /* text answers, in answer order */
    int n_texts;
    char **comments; /* comments (and « autre » details), in answer order */
    int n_comments;
    int cap_texts, cap_comments;
    int *by_axis, *by_spec; /* [group][value] of counts (choice and scale questions), with */
    int *answered_axis, *answered_spec; /* the answers per group */
};
/* One submitted answer set, for the raw export. */
struct survey_raw {
    long long response_id, action_id;
    char *action, *organisation, *respondent, *axis, *specific, *submitted_at;
    char **cells;    /* one per question: choices joined by " | ", matrix "ligne : valeur", dates
                        "début → fin" */
    char **comments; /* one per question ("" when none) */
};
struct survey_results {
    struct survey survey;
    struct survey_question *qs;
    struct survey_stat *stats;
    int n_q;
    int expected, submitted, drafts;
    struct survey_group *axes, *specs;
    int n_axes, n_specs;
    struct survey_raw *raw;
    int n_raw;
};
/* Every figure of a survey from its submitted answers; arrays in the arena. */
int survey_results(struct store *db, struct arena *a, long long id,
                   struct survey_results *out) MUST_CHECK;
/* The results of the survey of contract_id that the final evaluation report shows: the latest
 * closed one with submitted answers, else the latest open one with some; ERR_NOTFOUND when no
 * survey of the contract has a submitted answer. */
int survey_latest_results(struct store *db, struct arena *a, long long contract_id,
                          struct survey_results *out) MUST_CHECK;
/* Median of n sorted values. */
double survey_median(const int *sorted, int n);

#endif
