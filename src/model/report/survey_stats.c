/* survey_stats.c — the figures of a survey from its submitted answers only (a draft counts in
 * no statistic): counts per choice, scale mean and median, matrix counts, free texts, the same
 * by axis and by specific objective of the answered action, the response rate, and the raw
 * answer sets for the CSV and XLSX exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model/report/survey.h"
#include "store/rows.h"

double survey_median(const int *sorted, int n)
{
    if (n <= 0)
        return 0;
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

/* The axis and specific objective of every objective of the contract. */
struct tree {
    long long *obj, *axis, *spec;
    int n;
};

static int read_tree(struct store *db, struct arena *a, long long contract_id, struct tree *t)
{
    *t = (struct tree){0};
    struct stmt *st = store_prepare(
        db, "WITH RECURSIVE up(id, axis, spec) AS (SELECT id, CASE WHEN level = 'strategic' "
            "THEN id ELSE 0 END, CASE WHEN level = 'specific' THEN id ELSE 0 END FROM objective "
            "WHERE contract_id = ?1 AND parent_id IS NULL UNION ALL SELECT o.id, CASE WHEN "
            "o.level = 'strategic' THEN o.id ELSE up.axis END, CASE WHEN o.level = 'specific' "
            "THEN o.id ELSE up.spec END FROM objective o JOIN up ON o.parent_id = up.id) SELECT "
            "id, axis, spec FROM up");
    stmt_bind_int(st, 1, contract_id);
    int rc, c1 = 0, c2 = 0, c3 = 0;
    while ((rc = stmt_step(st)) == 1) {
        t->obj = rows_grow(a, t->obj, t->n, &c1, sizeof *t->obj);
        t->axis = rows_grow(a, t->axis, t->n, &c2, sizeof *t->axis);
        t->spec = rows_grow(a, t->spec, t->n, &c3, sizeof *t->spec);
        t->obj[t->n] = stmt_int(st, 0);
        t->axis[t->n] = stmt_int(st, 1);
        t->spec[t->n++] = stmt_int(st, 2);
    }
    return rc;
}

static void place(const struct tree *t, long long objective_id, long long *axis, long long *spec)
{
    *axis = *spec = 0;
    for (int i = 0; i < t->n; i++)
        if (t->obj[i] == objective_id) {
            *axis = t->axis[i];
            *spec = t->spec[i];
        }
}

/* The groups of a level ('strategic' or 'specific') in the contract's order, then "none". */
static int read_groups(struct store *db, struct arena *a, long long contract_id, const char *level,
                       const char *none, struct survey_group **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT id, trim(code || ' ' || title) FROM objective WHERE contract_id = ?1 AND "
            "level = ?2 ORDER BY position, code, id");
    stmt_bind_int(st, 1, contract_id);
    stmt_bind_text(st, 2, level);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct survey_group){stmt_int(st, 0), stmt_text(st, 1, a), 0, 0};
    }
    *out = rows_grow(a, *out, *n, &cap, sizeof **out);
    (*out)[(*n)++] = (struct survey_group){0, (char *)none, 0, 0};
    return rc;
}

static int group_index(const struct survey_group *gs, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (gs[i].id == id)
            return i;
    return n - 1;
}

/* Drops the "none" group when nothing fell in it. */
static void drop_empty_none(struct survey_group *gs, int *n)
{
    if (*n && gs[*n - 1].expected == 0 && gs[*n - 1].submitted == 0)
        (*n)--;
}

static int option_index(const struct survey_question *q, const char *v)
{
    for (int i = 0; i < q->n_options; i++)
        if (str_eq(q->options[i], v))
            return i;
    return -1;
}

/* Values per group of a question's cross-tab: options, or the 6 scale values; 0 for none. */
static int tab_width(const struct survey_question *q)
{
    if (q->kind == SQ_SINGLE || q->kind == SQ_MULTIPLE)
        return q->n_options;
    return q->kind == SQ_SCALE ? SURVEY_SCALE_MAX + 1 : 0;
}

static void stat_init(struct arena *a, struct survey_stat *s, const struct survey_question *q,
                      int n_axes, int n_specs)
{
    *s = (struct survey_stat){.q = q};
    s->n_counts = q->kind == SQ_MATRIX  ? q->n_rows * q->n_options
                  : q->kind == SQ_SCALE ? SURVEY_SCALE_MAX + 1
                                        : q->n_options;
    s->counts = arena_alloc(a, (size_t)(s->n_counts + 1) * sizeof *s->counts);
    memset(s->counts, 0, (size_t)(s->n_counts + 1) * sizeof *s->counts);
    int w = tab_width(q) + 1;
    s->by_axis = arena_alloc(a, (size_t)(n_axes * w) * sizeof(int));
    s->by_spec = arena_alloc(a, (size_t)(n_specs * w) * sizeof(int));
    s->answered_axis = arena_alloc(a, (size_t)n_axes * sizeof(int));
    s->answered_spec = arena_alloc(a, (size_t)n_specs * sizeof(int));
    memset(s->by_axis, 0, (size_t)(n_axes * w) * sizeof(int));
    memset(s->by_spec, 0, (size_t)(n_specs * w) * sizeof(int));
    memset(s->answered_axis, 0, (size_t)n_axes * sizeof(int));
    memset(s->answered_spec, 0, (size_t)n_specs * sizeof(int));
}

/* One submitted response. */
struct resp {
    long long id;
    int axis, spec; /* group indexes */
};

/* Adds one response's rows (parts[from..to)) of question k to its statistics and raw cells. */
static void add_answer(struct arena *a, struct survey_results *r, int k, const struct resp *p,
                       const struct survey_part *parts, int n, struct survey_raw *raw,
                       int **scales, int *n_scales, int *cap_scales)
{
    const struct survey_question *q = &r->qs[k];
    struct survey_stat *s = &r->stats[k];
    int w = tab_width(q) + 1;
    bool any = false;
    struct buf cell = {0}, comment = {0};
    const char *start = "", *end = "";
    for (int i = 0; i < n; i++) {
        const struct survey_part *x = &parts[i];
        if (str_eq(x->part, "comment")) {
            s->comments = rows_grow(a, s->comments, s->n_comments, &s->cap_comments,
                                    sizeof *s->comments);
            s->comments[s->n_comments++] = (char *)x->value;
            buf_puts(&comment, x->value);
            continue;
        }
        any = true;
        if (q->kind == SQ_SINGLE || q->kind == SQ_MULTIPLE) {
            int o = option_index(q, x->value);
            if (o >= 0) {
                s->counts[o]++;
                s->by_axis[p->axis * w + o]++;
                s->by_spec[p->spec * w + o]++;
            }
            buf_puts(&cell, cell.len ? " | " : "");
            buf_puts(&cell, x->value);
        } else if (q->kind == SQ_SCALE) {
            int v = atoi(x->value);
            s->counts[v]++;
            s->by_axis[p->axis * w + v]++;
            s->by_spec[p->spec * w + v]++;
            *scales = rows_grow(a, *scales, *n_scales, cap_scales, sizeof **scales);
            (*scales)[(*n_scales)++] = v;
            buf_puts(&cell, x->value);
        } else if (q->kind == SQ_MATRIX) {
            int row = atoi(x->part + 4), o = option_index(q, x->value);
            if (row >= 1 && row <= q->n_rows && o >= 0)
                s->counts[(row - 1) * q->n_options + o]++;
            buf_puts(&cell, cell.len ? " | " : "");
            buf_puts(&cell, row >= 1 && row <= q->n_rows ? q->rows[row - 1] : "?");
            buf_puts(&cell, " : ");
            buf_puts(&cell, x->value);
        } else if (q->kind == SQ_DATE) {
            if (str_eq(x->part, "start"))
                start = x->value;
            else
                end = x->value;
        } else {
            s->texts = rows_grow(a, s->texts, s->n_texts, &s->cap_texts, sizeof *s->texts);
            s->texts[s->n_texts++] = (char *)x->value;
            buf_puts(&cell, x->value);
        }
    }
    if (q->kind == SQ_DATE && any) {
        buf_puts(&cell, start);
        buf_puts(&cell, " → ");
        buf_puts(&cell, end);
    }
    if (any) {
        s->answered++;
        s->answered_axis[p->axis]++;
        s->answered_spec[p->spec]++;
    }
    raw->cells[k] = arena_strdup(a, buf_cstr(&cell));
    raw->comments[k] = arena_strdup(a, buf_cstr(&comment));
    buf_free(&cell);
    buf_free(&comment);
}

static int read_expected(struct store *db, struct survey_results *r, const struct tree *t)
{
    struct stmt *st = store_prepare(
        db, "SELECT DISTINCT l.id, x.id, x.objective_id, EXISTS (SELECT 1 FROM survey_response "
            "sr WHERE sr.link_id = l.id AND sr.action_id = x.id AND sr.state = 'submitted') "
            "FROM survey_link l JOIN action_organisation ao ON ao.organisation_id = "
            "l.organisation_id AND ao.role IN ('carrier', 'co_carrier') JOIN action x ON x.id = "
            "ao.action_id AND x.contract_id = ?2 AND x.archived = 0 WHERE l.survey_id = ?1");
    stmt_bind_int(st, 1, r->survey.id);
    stmt_bind_int(st, 2, r->survey.contract_id);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        long long axis, spec;
        place(t, stmt_int(st, 2), &axis, &spec);
        int done = stmt_int(st, 3) != 0;
        struct survey_group *ga = &r->axes[group_index(r->axes, r->n_axes, axis)];
        struct survey_group *gs = &r->specs[group_index(r->specs, r->n_specs, spec)];
        r->expected++;
        ga->expected++;
        gs->expected++;
        r->submitted += done;
        ga->submitted += done;
        gs->submitted += done;
    }
    return rc;
}

static int read_responses(struct store *db, struct arena *a, struct survey_results *r,
                          const struct tree *t, struct resp **out, int *n)
{
    struct stmt *st = store_prepare(
        db, "SELECT r.id, r.action_id, x.objective_id, trim(x.code || ' ' || x.title), o.name, "
            "p.name, strftime('%Y-%m-%d %H:%M', r.submitted_at, 'unixepoch') FROM "
            "survey_response r JOIN action x ON x.id = r.action_id JOIN survey_link l ON l.id = "
            "r.link_id JOIN organisation o ON o.id = l.organisation_id JOIN person p ON p.id = "
            "l.person_id WHERE r.survey_id = ?1 AND r.state = 'submitted' ORDER BY r.id");
    stmt_bind_int(st, 1, r->survey.id);
    int rc, cap = 0, cap_raw = 0;
    *out = NULL;
    *n = 0;
    while ((rc = stmt_step(st)) == 1) {
        long long axis, spec;
        place(t, stmt_int(st, 2), &axis, &spec);
        *out = rows_grow(a, *out, *n, &cap, sizeof **out);
        struct resp *p = &(*out)[(*n)++];
        p->id = stmt_int(st, 0);
        p->axis = group_index(r->axes, r->n_axes, axis);
        p->spec = group_index(r->specs, r->n_specs, spec);
        r->raw = rows_grow(a, r->raw, r->n_raw, &cap_raw, sizeof *r->raw);
        struct survey_raw *w = &r->raw[r->n_raw++];
        *w = (struct survey_raw){
            .response_id = p->id,
            .action_id = stmt_int(st, 1),
            .action = stmt_text(st, 3, a),
            .organisation = stmt_text(st, 4, a),
            .respondent = stmt_text(st, 5, a),
            .axis = r->axes[p->axis].label,
            .specific = r->specs[p->spec].label,
            .submitted_at = stmt_text(st, 6, a),
        };
        w->cells = arena_alloc(a, (size_t)(r->n_q + 1) * sizeof *w->cells);
        w->comments = arena_alloc(a, (size_t)(r->n_q + 1) * sizeof *w->comments);
        for (int k = 0; k < r->n_q; k++)
            w->cells[k] = w->comments[k] = "";
    }
    if (rc != ERR_OK)
        return rc;
    st = store_prepare(db, "SELECT count(*) FROM survey_response WHERE survey_id = ?1 AND "
                           "state = 'draft'");
    stmt_bind_int(st, 1, r->survey.id);
    rc = stmt_step(st);
    if (rc == 1) {
        r->drafts = (int)stmt_int(st, 0);
        stmt_done(st);
    }
    return rc < 0 ? rc : ERR_OK;
}

static int cmp_int(const void *x, const void *y)
{
    return *(const int *)x - *(const int *)y;
}

/* Every question's statistics from the answer rows of the submitted responses. */
static int read_answers(struct store *db, struct arena *a, struct survey_results *r,
                        const struct resp *ps, int n_ps)
{
    struct stmt *st = store_prepare(
        db, "SELECT w.response_id, w.question_id, w.part, w.value FROM survey_answer w JOIN "
            "survey_response r ON r.id = w.response_id WHERE r.survey_id = ?1 AND r.state = "
            "'submitted' ORDER BY w.response_id, w.id");
    stmt_bind_int(st, 1, r->survey.id);
    struct survey_part *parts = NULL;
    long long *resp_of = NULL;
    int n = 0, cap = 0, cap2 = 0, rc;
    while ((rc = stmt_step(st)) == 1) {
        parts = rows_grow(a, parts, n, &cap, sizeof *parts);
        resp_of = rows_grow(a, resp_of, n, &cap2, sizeof *resp_of);
        resp_of[n] = stmt_int(st, 0);
        parts[n++] = (struct survey_part){stmt_int(st, 1), stmt_text(st, 2, a),
                                          stmt_text(st, 3, a)};
    }
    if (rc != ERR_OK)
        return rc;
    struct survey_part *mine = arena_alloc(a, (size_t)(n + 1) * sizeof *mine);
    for (int k = 0; k < r->n_q; k++) {
        int *scales = NULL, n_scales = 0, cap_s = 0;
        for (int i = 0; i < n_ps; i++) {
            /* This response's rows of question k. */
            int m = 0;
            for (int j = 0; j < n; j++)
                if (resp_of[j] == ps[i].id && parts[j].question_id == r->qs[k].id)
                    mine[m++] = parts[j];
            add_answer(a, r, k, &ps[i], mine, m, &r->raw[i], &scales, &n_scales, &cap_s);
        }
        struct survey_stat *s = &r->stats[k];
        s->n_scale = n_scales;
        if (n_scales) {
            qsort(scales, (size_t)n_scales, sizeof *scales, cmp_int);
            double sum = 0;
            for (int i = 0; i < n_scales; i++)
                sum += scales[i];
            s->mean = sum / n_scales;
            s->median = survey_median(scales, n_scales);
        }
    }
    return ERR_OK;
}

int survey_results(struct store *db, struct arena *a, long long id, struct survey_results *out)
{
    *out = (struct survey_results){0};
    struct tree t;
    struct resp *ps = NULL;
    int n_ps = 0;
    int rc = survey_get(db, a, id, &out->survey);
    if (rc == ERR_OK)
        rc = survey_questions(db, a, id, &out->qs, &out->n_q);
    if (rc == ERR_OK)
        rc = read_tree(db, a, out->survey.contract_id, &t);
    if (rc == ERR_OK)
        rc = read_groups(db, a, out->survey.contract_id, "strategic", "Sans axe", &out->axes,
                         &out->n_axes);
    if (rc == ERR_OK)
        rc = read_groups(db, a, out->survey.contract_id, "specific", "Sans objectif spécifique",
                         &out->specs, &out->n_specs);
    if (rc != ERR_OK)
        return rc;
    out->stats = arena_alloc(a, (size_t)(out->n_q + 1) * sizeof *out->stats);
    for (int k = 0; k < out->n_q; k++)
        stat_init(a, &out->stats[k], &out->qs[k], out->n_axes, out->n_specs);
    rc = read_expected(db, out, &t);
    if (rc == ERR_OK)
        rc = read_responses(db, a, out, &t, &ps, &n_ps);
    if (rc == ERR_OK)
        rc = read_answers(db, a, out, ps, n_ps);
    /* The "none" groups go when empty; the cross-tabs keep their width (the last row unused). */
    if (rc == ERR_OK) {
        bool none_axis = false, none_spec = false;
        for (int i = 0; i < n_ps; i++) {
            none_axis |= ps[i].axis == out->n_axes - 1;
            none_spec |= ps[i].spec == out->n_specs - 1;
        }
        if (!none_axis)
            drop_empty_none(out->axes, &out->n_axes);
        if (!none_spec)
            drop_empty_none(out->specs, &out->n_specs);
    }
    return rc;
}

int survey_latest_results(struct store *db, struct arena *a, long long contract_id,
                          struct survey_results *out)
{
    struct stmt *st = store_prepare(
        db, "SELECT s.id FROM survey s WHERE s.contract_id = ?1 AND EXISTS (SELECT 1 FROM "
            "survey_response r WHERE r.survey_id = s.id AND r.state = 'submitted') "
            "ORDER BY s.state = 'closed' DESC, coalesce(s.closed_at, s.opened_at, 0) DESC, "
            "s.id DESC LIMIT 1");
    stmt_bind_int(st, 1, contract_id);
    int rc = stmt_step(st);
    long long id = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc < 0)
        return rc;
    if (!id)
        return ERR_NOTFOUND;
    return survey_results(db, a, id, out);
}
