/* survey_check.c — what an answer set must be before it is saved: choices among the question's
 * own, scales 0–5, real dates, clean texts; conditions (an answer to a hidden question is
 * dropped) and required questions (only when submitting: a draft may be incomplete). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "model/report/survey.h"

static const struct survey_question *question_of(const struct survey_question *qs, int n_q,
                                                 long long id, int *index)
{
    for (int i = 0; i < n_q; i++)
        if (qs[i].id == id) {
            *index = i;
            return &qs[i];
        }
    return NULL;
}

static bool is_option(const struct survey_question *q, const char *v)
{
    for (int i = 0; i < q->n_options; i++)
        if (str_eq(q->options[i], v))
            return true;
    return false;
}

bool survey_shown(const struct survey_question *qs, int n_q, const struct survey_question *q,
                  const struct survey_part *parts, int n)
{
    if (!q->cond_position)
        return true;
    long long on = 0;
    for (int i = 0; i < n_q; i++)
        if (qs[i].position == q->cond_position && qs[i].position < q->position)
            on = qs[i].id;
    if (!on)
        return true; /* a condition on nothing earlier cannot hide a question */
    for (int i = 0; i < n; i++)
        if (parts[i].question_id == on && str_eq(parts[i].part, "choice") &&
            str_eq(parts[i].value, q->cond_value))
            return true;
    return false;
}

/* A free text people may type: valid UTF-8, no control character but line breaks and tabs,
 * at most SURVEY_TEXT_MAX characters. */
static const char *text_problem(const char *s)
{
    if (!utf8_valid(s, strlen(s)))
        return "Le texte contient des caractères illisibles (encodage invalide).";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
            return "Le texte contient des caractères de contrôle : retirez-les.";
    if (text_chars(s) > SURVEY_TEXT_MAX)
        return "Le texte dépasse 5 000 caractères.";
    return NULL;
}

static bool real_date(const char *s)
{
    int y, m, d;
    char extra;
    return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 &&
           date_valid(y, m, d);
}

/* The problem of one answer row for its question, or NULL. */
static const char *part_problem(const struct survey_question *q, const struct survey_part *p)
{
    if (str_eq(p->part, "comment"))
        return q->has_comment ? text_problem(p->value) : "Cette question n'a pas de commentaire.";
    switch (q->kind) {
    case SQ_SINGLE:
    case SQ_MULTIPLE:
        if (!str_eq(p->part, "choice"))
            break;
        return is_option(q, p->value) ? NULL
                                      : "Ce choix ne fait pas partie des réponses proposées.";
    case SQ_TEXT:
        if (!str_eq(p->part, "text"))
            break;
        return text_problem(p->value);
    case SQ_SCALE:
        if (!str_eq(p->part, "scale"))
            break;
        return strlen(p->value) == 1 && p->value[0] >= '0' && p->value[0] <= '0' + SURVEY_SCALE_MAX
                   ? NULL
                   : "Choisissez une note entre 0 et 5.";
    case SQ_DATE:
        if (!str_eq(p->part, "start") && !str_eq(p->part, "end"))
            break;
        return real_date(p->value) ? NULL : "Indiquez une date réelle (JJ/MM/AAAA).";
    case SQ_MATRIX:
        if (strncmp(p->part, "row:", 4) != 0)
            break;
        {
            int row = atoi(p->part + 4);
            if (row < 1 || row > q->n_rows)
                return "Cette ligne ne fait pas partie de la grille.";
        }
        return is_option(q, p->value) ? NULL
                                      : "Ce choix ne fait pas partie des réponses proposées.";
    case SQ_KINDS: break;
    }
    return "Réponse d'une forme inattendue pour cette question.";
}

/* True when the question has what a required question needs. */
static bool answered(const struct survey_question *q, const struct survey_part *parts, int n)
{
    int rows = 0, got = 0;
    for (int i = 0; i < n; i++) {
        if (parts[i].question_id != q->id || str_eq(parts[i].part, "comment"))
            continue;
        got++;
        if (strncmp(parts[i].part, "row:", 4) == 0)
            rows++;
        if (q->kind == SQ_TEXT && str_blank(parts[i].value))
            got--;
    }
    return q->kind == SQ_MATRIX ? rows == q->n_rows : got > 0;
}

static const char *duplicate_problem(const struct survey_question *q, const struct survey_part *p,
                                     const struct survey_part *parts, int upto)
{
    for (int j = 0; j < upto; j++) {
        if (parts[j].question_id != q->id || !str_eq(parts[j].part, p->part))
            continue;
        if (q->kind == SQ_MULTIPLE && !str_eq(parts[j].value, p->value))
            continue;
        return q->kind == SQ_SINGLE ? "Une seule réponse est possible à cette question."
                                    : "Réponse donnée deux fois.";
    }
    return NULL;
}

int survey_check(struct arena *a, const struct survey_question *qs, int n_q,
                 struct survey_part *parts, int *n, bool submit, const char **errors)
{
    (void)a;
    for (int i = 0; i < n_q; i++)
        errors[i] = NULL;
    int bad = 0;
    for (int i = 0; i < *n; i++) {
        int k = -1;
        const struct survey_question *q = question_of(qs, n_q, parts[i].question_id, &k);
        if (!q)
            continue; /* not this survey's: cannot be saved (survey_answer_save checks) */
        const char *why = part_problem(q, &parts[i]);
        if (!why)
            why = duplicate_problem(q, &parts[i], parts, i);
        if (why && !errors[k]) {
            errors[k] = why;
            bad++;
        }
    }
    /* Conditions in question order: an answer hidden by an earlier answer is dropped before the
     * questions that depend on it are judged. */
    for (int k = 0; k < n_q; k++) {
        if (survey_shown(qs, n_q, &qs[k], parts, *n))
            continue;
        int w = 0;
        for (int i = 0; i < *n; i++)
            if (parts[i].question_id != qs[k].id)
                parts[w++] = parts[i];
        *n = w;
        if (errors[k]) {
            errors[k] = NULL;
            bad--;
        }
    }
    for (int k = 0; submit && k < n_q; k++)
        if (qs[k].required && !errors[k] && survey_shown(qs, n_q, &qs[k], parts, *n) &&
            !answered(&qs[k], parts, *n)) {
            errors[k] = qs[k].kind == SQ_MATRIX ? "Répondez à chaque ligne de la grille : "
                                                  "cette question est obligatoire."
                                                : "Cette question est obligatoire.";
            bad++;
        }
    /* Empty texts are no answer: nothing to keep. */
    int w = 0;
    for (int i = 0; i < *n; i++)
        if (!str_blank(parts[i].value))
            parts[w++] = parts[i];
    *n = w;
    return bad;
}
