/* status.c — status vocabulary. Must not hold colours or HTML: those are the web layer's. */
#include "model/core/status.h"

#include <string.h>

#include "base/str.h"
#include "base/text.h"

static const char *const keys[ST_COUNT] = {
    "done_closed", "done_recurring", "done", "in_progress", "reflection", "not_started", "abandoned",
};

static const char *const labels[ST_COUNT] = {
    "Réalisée et close", "Réalisée, récurrente", "Réalisée",    "En cours",
    "Réflexion engagée", "Non commencée",        "Abandonnée",
};

/* Folded spellings (lower case, no accents) seen in the source documents and in users' sheets. */
static const struct {
    const char *text;
    enum status status;
} spellings[] = {
    {"realisee et close", ST_DONE_CLOSED},    {"realise et clos", ST_DONE_CLOSED},
    {"realisee close", ST_DONE_CLOSED},       {"realisee, recurrente", ST_DONE_RECURRING},
    {"realisee recurrente", ST_DONE_RECURRING}, {"realise recurrent", ST_DONE_RECURRING},
    {"realise, recurrent", ST_DONE_RECURRING}, {"realisee", ST_DONE},
    {"realise", ST_DONE},                     {"en cours", ST_IN_PROGRESS},
    {"en cours / emergent", ST_IN_PROGRESS},  {"reflexion engagee", ST_REFLECTION},
    {"reflexion amorcee", ST_REFLECTION},     {"engage", ST_REFLECTION},
    {"engagee", ST_REFLECTION},               {"non commencee", ST_NOT_STARTED},
    {"non commence", ST_NOT_STARTED},         {"non realise", ST_NOT_STARTED},
    {"non realisee", ST_NOT_STARTED},         {"abandonnee", ST_ABANDONED},
    {"abandonne", ST_ABANDONED},
};

const char *status_key(enum status s)
{
    return s >= 0 && s < ST_COUNT ? keys[s] : NULL;
}

const char *status_label(enum status s)
{
    return s >= 0 && s < ST_COUNT ? labels[s] : "Sans état";
}

enum status status_from_key(const char *key)
{
    for (int i = 0; key && i < ST_COUNT; i++)
        if (strcmp(keys[i], key) == 0)
            return (enum status)i;
    return ST_NONE;
}

enum status status_parse(const char *text)
{
    if (!text)
        return ST_NONE;
    enum status s = status_from_key(text);
    if (s != ST_NONE)
        return s;
    char folded[64];
    if (text_fold(text, folded, sizeof folded) != ERR_OK)
        return ST_NONE;
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        if (strcmp(spellings[i].text, folded) == 0)
            return spellings[i].status;
    return ST_NONE;
}

bool status_is_done(enum status s)
{
    return s == ST_DONE_CLOSED || s == ST_DONE_RECURRING || s == ST_DONE;
}
