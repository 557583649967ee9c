/* governance_audit.c — how the journal and the histories read the governance entries (bodies,
 * meetings, contact records): their fields' French names and values in words, for routes.c's
 * audit_kinds (edit_forms.c's audit table). Must not contain SQL nor write HTML. */
#include <string.h>

#include "model/governance/invitee.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/governance/governance.h"

/* The fields named after a record ("member:12"): their prefix, French name and what the number
 * stands for. */
static const struct {
    const char *entity, *prefix, *label, *what;
} numbered[] = {
    {"body", "member:", "Membre", "personne"},
    {"body", "referent:", "Élu référent", "organisme"},
    {"body", "plan:", "Réunion prévue", "prévision"},
    {"meeting", "invitee:", "Invitation", "personne"},
    {"meeting", "attendance:", "Présence", "personne"},
    {"meeting", "represented_by:", "Représenté par", "personne"},
    {"meeting", "decision:", "Décision", "décision"},
    {"meeting", "decision_actions:", "Actions liées à la décision", "décision"},
};

static const struct {
    const char *entity, *field, *label;
} labels[] = {
    {"body", "kind", "Type d'instance"},
    {"body", "name", "Nom"},
    {"body", "theme", "Thème"},
    {"body", "description", "Description"},
    {"body", "min_per_year", "Réunions requises par an (minimum)"},
    {"body", "max_per_year", "Réunions par an (maximum)"},
    {"meeting", "body_id", "Instance"},
    {"meeting", "title", "Intitulé"},
    {"meeting", "date", "Date"},
    {"meeting", "date_precision", "Précision de la date"},
    {"meeting", "end_on", "Date de fin"},
    {"meeting", "start_time", "Heure de début"},
    {"meeting", "end_time", "Heure de fin"},
    {"meeting", "place", "Lieu"},
    {"meeting", "video_url", "Lien de visioconférence"},
    {"meeting", "status", "Statut de la réunion"},
    {"meeting", "agenda", "Ordre du jour"},
    {"meeting", "notes", "Notes"},
    {"meeting", "minutes", "Compte rendu"},
    {"meeting", "sequence", "Version de l'invitation"},
    {"person", "name", "Nom"},
    {"person", "function", "Fonction"},
    {"person", "email", "Adresse e-mail"},
    {"person", "phone", "Téléphone"},
    {"person", "organisation_id", "Organisme (n°)"},
    {"person", "account_id", "Compte Boussole (n°)"},
    {"person", "erased", "Effacement des données personnelles (RGPD)"},
    {"person", "copied", "Copie faite pour le contrat de la fiche (n°)"},
    {"person", "copy_of", "Copie de la fiche (n°)"},
};

const char *gov_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
        size_t n = strlen(numbered[i].prefix);
        if (str_eq(entity, numbered[i].entity) && strncmp(field, numbered[i].prefix, n) == 0)
            return edit_fmt(a, "%s (%s n° %s)", numbered[i].label, numbered[i].what,
                            field + n);
    }
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (str_eq(entity, labels[i].entity) && str_eq(field, labels[i].field))
            return labels[i].label;
    return NULL;
}

const char *gov_audit_value(struct arena *a, const char *entity, const char *field,
                            const char *v)
{
    bool body = str_eq(entity, "body"), meeting = str_eq(entity, "meeting");
    if (body && str_eq(field, "kind"))
        return body_kind_label(v);
    if (body && strncmp(field, "member:", 7) == 0)
        return body_role_label(v);
    if (body && strncmp(field, "plan:", 5) == 0)
        return date_fr(a, v);
    if ((body && strncmp(field, "referent:", 9) == 0) || (meeting && str_eq(field, "body_id")))
        return edit_fmt(a, "%s n° %s", body ? "personne" : "instance", v);
    if (meeting && str_eq(field, "status"))
        return meeting_status_label(v);
    if (meeting && (str_eq(field, "date") || str_eq(field, "end_on")))
        return date_fr(a, v);
    if (meeting && str_eq(field, "date_precision"))
        return str_eq(v, "day") ? "au jour près" : str_eq(v, "month") ? "au mois près"
                                                                      : "à l'année près";
    if (meeting && strncmp(field, "attendance:", 11) == 0)
        return invitee_attendance_label(v);
    if (meeting && strncmp(field, "invitee:", 8) == 0)
        return str_eq(v, "invited") ? "sur la liste des invités" : v;
    if (str_eq(field, "erased"))
        return str_eq(v, "1") ? "oui" : "non";
    return v;
}
