/* handlers.h — every page and API handler, one group per file (named after each). */
#ifndef WEB_HANDLERS_H
#define WEB_HANDLERS_H

#include "web/http/http.h"

/* admin_pages.c, for a contract's coordination */
int contract_accounts_page(struct req *req, struct res *res);
int contract_account_create(struct req *req, struct res *res);
/* my_pages.c */
int my_actions_page(struct req *req, struct res *res);
/* contract_pages.c */
int contract_index_page(struct req *req, struct res *res);
int contract_home_page(struct req *req, struct res *res);
int contract_tree_page(struct req *req, struct res *res);
/* action_pages.c */
int action_list_page(struct req *req, struct res *res);
int action_list_csv(struct req *req, struct res *res);
int action_page(struct req *req, struct res *res);
/* organisation_pages.c */
int organisation_page(struct req *req, struct res *res);
int organisation_copy_submit(struct req *req, struct res *res);
/* dashboard_pages.c */
int dashboard_page(struct req *req, struct res *res);
/* edit_pages.c (objectives: objective_edit.c) */
int contract_edit_page(struct req *req, struct res *res);
/* next_pages.c: the preview of the next contract and its confirmation. */
int contract_next_page(struct req *req, struct res *res);
int contract_next_submit(struct req *req, struct res *res);
/* next_pages.c: on the contract home, the links to the previous and next contracts, or for the
 * coordination the way to prepare the next one. */
void next_contract_notice(struct req *req, struct buf *b, long long contract_id, bool coordinator);
int contract_edit_submit(struct req *req, struct res *res);
int signatories_page(struct req *req, struct res *res);
int signatory_add_submit(struct req *req, struct res *res);
int signatory_edit_page(struct req *req, struct res *res);
int signatory_edit_submit(struct req *req, struct res *res);
int objective_new_page(struct req *req, struct res *res);
int objective_new_submit(struct req *req, struct res *res);
int objective_edit_page(struct req *req, struct res *res);
int objective_edit_submit(struct req *req, struct res *res);
int objective_archive_submit(struct req *req, struct res *res);
int organisation_new_page(struct req *req, struct res *res);
int organisation_new_submit(struct req *req, struct res *res);
int organisation_edit_page(struct req *req, struct res *res);
int organisation_edit_submit(struct req *req, struct res *res);
/* action_edit.c */
int action_edit_page(struct req *req, struct res *res);
int action_edit_submit(struct req *req, struct res *res);
int action_status_submit(struct req *req, struct res *res);
int action_new_page(struct req *req, struct res *res);
int action_new_submit(struct req *req, struct res *res);
int action_archive_submit(struct req *req, struct res *res);
/* history_pages.c */
int action_history_page(struct req *req, struct res *res);
int contract_audit_page(struct req *req, struct res *res);
/* opendata_pages.c */
int opendata_page(struct req *req, struct res *res);
int opendata_descriptor(struct req *req, struct res *res);
int opendata_csv(struct req *req, struct res *res);
/* report_pages.c, report_edit.c */
int report_preview_page(struct req *req, struct res *res);
int report_pdf_download(struct req *req, struct res *res);
int report_odt_download(struct req *req, struct res *res);
int report_edit_page(struct req *req, struct res *res);
int report_edit_submit(struct req *req, struct res *res);
/* sheet_pages.c, sheet_form.c, indicator_pages.c, objective_pages.c, gantt_pages.c,
 * plan_pages.c, api_sheets.c: action sheets, indicators, Gantt chart, yearly plan */
int sheet_edit_page(struct req *req, struct res *res);
int sheet_edit_submit(struct req *req, struct res *res);
int sheet_validate_submit(struct req *req, struct res *res);
int sheet_close_submit(struct req *req, struct res *res);
int sheet_reopen_submit(struct req *req, struct res *res);
int sheet_promote_submit(struct req *req, struct res *res);
int sheet_print_page(struct req *req, struct res *res);
int indicator_new_page(struct req *req, struct res *res);
int indicator_new_submit(struct req *req, struct res *res);
int objective_indicator_new_page(struct req *req, struct res *res);
int objective_indicator_new_submit(struct req *req, struct res *res);
int indicator_edit_page(struct req *req, struct res *res);
int indicator_edit_submit(struct req *req, struct res *res);
int indicator_archive_submit(struct req *req, struct res *res);
int indicator_value_submit(struct req *req, struct res *res);
int objective_page(struct req *req, struct res *res);
int gantt_page(struct req *req, struct res *res);
int gantt_svg_page(struct req *req, struct res *res);
int sheets_missing_page(struct req *req, struct res *res);
int action_plan_page(struct req *req, struct res *res);
int action_plan_submit(struct req *req, struct res *res);
int workload_submit(struct req *req, struct res *res);
int api_territory(struct req *req, struct res *res);
int api_contract_indicators(struct req *req, struct res *res);
int api_indicator_value_submit(struct req *req, struct res *res);
int api_action_validate(struct req *req, struct res *res);
/* import_pages.c, import_confirm.c (import_submit) */
int tracking_xlsx_download(struct req *req, struct res *res);
int import_page(struct req *req, struct res *res);
int import_upload_submit(struct req *req, struct res *res);
int import_mapping_page(struct req *req, struct res *res);
int import_submit(struct req *req, struct res *res);
/* api.c */
int api_contracts(struct req *req, struct res *res);
int api_contract_objectives(struct req *req, struct res *res);
int api_contract_actions(struct req *req, struct res *res);
int api_action(struct req *req, struct res *res);
/* api_write.c */
int api_action_status_submit(struct req *req, struct res *res);
int api_action_update(struct req *req, struct res *res);

/* account_pages.c */
int login_page(struct req *req, struct res *res);
int login_submit(struct req *req, struct res *res);
int logout_submit(struct req *req, struct res *res);
int logout_everywhere_submit(struct req *req, struct res *res);
int account_page(struct req *req, struct res *res);
int account_token_create(struct req *req, struct res *res);
int account_token_revoke(struct req *req, struct res *res);
int password_forgot_page(struct req *req, struct res *res);
int password_forgot_submit(struct req *req, struct res *res);
int password_reset_page(struct req *req, struct res *res);
int password_reset_submit(struct req *req, struct res *res);
/* admin_pages.c */
int admin_accounts_page(struct req *req, struct res *res);
int admin_account_create(struct req *req, struct res *res);
int admin_account_export(struct req *req, struct res *res);
int admin_account_erase(struct req *req, struct res *res);
int admin_account_disabled(struct req *req, struct res *res);
/* governance_pages.c, meeting_pages.c, governance_forms.c, people_pages.c, meeting_forms.c,
 * governance_api.c: bodies, the yearly plan, meetings, people, calendars (issue 7) */
int governance_page(struct req *req, struct res *res);
int contract_meetings_page(struct req *req, struct res *res);
int body_page(struct req *req, struct res *res);
int meeting_page(struct req *req, struct res *res);
int meeting_attendance_sheet(struct req *req, struct res *res);
int meeting_ics(struct req *req, struct res *res);
int contract_meetings_ics(struct req *req, struct res *res);
int body_meetings_ics(struct req *req, struct res *res);
int body_new_page(struct req *req, struct res *res);
int body_new_submit(struct req *req, struct res *res);
int body_edit_page(struct req *req, struct res *res);
int body_edit_submit(struct req *req, struct res *res);
int body_member_submit(struct req *req, struct res *res);
int body_member_remove_submit(struct req *req, struct res *res);
int body_referent_submit(struct req *req, struct res *res);
int body_referent_remove_submit(struct req *req, struct res *res);
int plan_page(struct req *req, struct res *res);
int plan_add_submit(struct req *req, struct res *res);
int plan_remove_submit(struct req *req, struct res *res);
int people_page(struct req *req, struct res *res);
int person_new_page(struct req *req, struct res *res);
int person_new_submit(struct req *req, struct res *res);
int person_edit_page(struct req *req, struct res *res);
int person_edit_submit(struct req *req, struct res *res);
int person_copy_submit(struct req *req, struct res *res);
int admin_person_export(struct req *req, struct res *res);
int admin_person_erase(struct req *req, struct res *res);
int meeting_new_page(struct req *req, struct res *res);
int meeting_new_submit(struct req *req, struct res *res);
int meeting_edit_page(struct req *req, struct res *res);
int meeting_edit_submit(struct req *req, struct res *res);
int meeting_invitee_submit(struct req *req, struct res *res);
int meeting_invitee_remove_submit(struct req *req, struct res *res);
int meeting_invite_submit(struct req *req, struct res *res);
int meeting_attendance_page(struct req *req, struct res *res);
int meeting_attendance_submit(struct req *req, struct res *res);
int meeting_minutes_page(struct req *req, struct res *res);
int meeting_minutes_submit(struct req *req, struct res *res);
int decision_add_submit(struct req *req, struct res *res);
int decision_remove_submit(struct req *req, struct res *res);
int api_contract_meetings(struct req *req, struct res *res);
int api_contract_governance(struct req *req, struct res *res);
/* Hooks of the contract home and the action page (governance_pages.c, see governance.h). */
void governance_contract_summary(struct req *req, struct res *res, long long contract_id);
void governance_action_decisions(struct req *req, struct res *res, long long action_id);
/* Yearly update campaigns (web/campaign/campaign_pages.c). */
int campaigns_page(struct req *req, struct res *res);
int campaign_open_submit(struct req *req, struct res *res);
int campaign_page(struct req *req, struct res *res);
int campaign_remind_submit(struct req *req, struct res *res);
int campaign_close_submit(struct req *req, struct res *res);
int campaign_link_page(struct req *req, struct res *res);
int campaign_actions_page(struct req *req, struct res *res);
int campaign_answer_submit(struct req *req, struct res *res);
/* The final evaluation report (web/evaluation/): page, documents, SWOT, recommendations, texts. */
int evaluation_page(struct req *req, struct res *res);
int evaluation_pdf_download(struct req *req, struct res *res);
int evaluation_odt_download(struct req *req, struct res *res);
int evaluation_swot_add_submit(struct req *req, struct res *res);
int evaluation_swot_submit(struct req *req, struct res *res);
int evaluation_rec_add_submit(struct req *req, struct res *res);
int evaluation_rec_submit(struct req *req, struct res *res);
int evaluation_text_submit(struct req *req, struct res *res);

/* Communication plan, newsletters and the one-page summary (web/communication/). */
int communication_page(struct req *req, struct res *res);
int communication_record_submit(struct req *req, struct res *res);
int communication_add_submit(struct req *req, struct res *res);
int communication_target_page(struct req *req, struct res *res);
int communication_target_submit(struct req *req, struct res *res);
int newsletters_page(struct req *req, struct res *res);
int newsletter_create_submit(struct req *req, struct res *res);
int newsletter_page(struct req *req, struct res *res);
int newsletter_save_submit(struct req *req, struct res *res);
int newsletter_send_submit(struct req *req, struct res *res);
int subscriber_add_submit(struct req *req, struct res *res);
int subscriber_erase_submit(struct req *req, struct res *res);
int newsletter_archive_page(struct req *req, struct res *res);
int newsletter_issue_public_page(struct req *req, struct res *res);
int newsletter_unsubscribe_page(struct req *req, struct res *res);
int newsletter_unsubscribe_submit(struct req *req, struct res *res);
int glance_pdf_download(struct req *req, struct res *res);
/* Evaluation questionnaires (web/survey/): the coordination's pages (survey_pages.c), the
 * respondent's personal link (survey_form.c), results, exports and API (survey_results.c). */
int surveys_page(struct req *req, struct res *res);
int survey_create_submit(struct req *req, struct res *res);
int survey_page(struct req *req, struct res *res);
int survey_question_submit(struct req *req, struct res *res);
int survey_open_submit(struct req *req, struct res *res);
int survey_remind_submit(struct req *req, struct res *res);
int survey_close_submit(struct req *req, struct res *res);
int survey_results_page(struct req *req, struct res *res);
int survey_results_csv(struct req *req, struct res *res);
int survey_results_xlsx(struct req *req, struct res *res);
int api_survey_results(struct req *req, struct res *res);
int survey_link_page(struct req *req, struct res *res);
int survey_actions_page(struct req *req, struct res *res);
int survey_form_page(struct req *req, struct res *res);
int survey_form_submit(struct req *req, struct res *res);
/* Funding (web/funding/funding_pages.c, funding_forms.c). */
int financing_page(struct req *req, struct res *res);
int financing_line_add_submit(struct req *req, struct res *res);
int financing_line_submit(struct req *req, struct res *res);
int financing_year_submit(struct req *req, struct res *res);
int funding_page(struct req *req, struct res *res);
int funding_subventions_csv(struct req *req, struct res *res);
int funding_calls_upload_submit(struct req *req, struct res *res);
int action_funding_new_page(struct req *req, struct res *res);
int action_funding_new_submit(struct req *req, struct res *res);
int action_funding_edit_page(struct req *req, struct res *res);
int action_funding_submit(struct req *req, struct res *res);
int action_funding_archive_submit(struct req *req, struct res *res);
/* Directory (web/directory/, issue 13): public pages, exports and the coordination's forms. */
int directory_page(struct req *req, struct res *res);
int directory_service_page(struct req *req, struct res *res);
/* /services/{id}: the journal's link to a service, sent on to its contract's page. */
int directory_service_redirect(struct req *req, struct res *res);
int directory_organisation_page(struct req *req, struct res *res);
int directory_print_page(struct req *req, struct res *res);
int directory_structures_json(struct req *req, struct res *res);
int directory_services_json(struct req *req, struct res *res);
int directory_service_new_page(struct req *req, struct res *res);
int directory_service_new_submit(struct req *req, struct res *res);
int directory_service_edit_page(struct req *req, struct res *res);
int directory_service_edit_submit(struct req *req, struct res *res);
int directory_people_page(struct req *req, struct res *res);
int directory_person_edit_page(struct req *req, struct res *res);
int directory_person_edit_submit(struct req *req, struct res *res);
/* An organisation's directory card (address, contacts, SIRET), by the rules of shared records. */
int organisation_card_page(struct req *req, struct res *res);
int organisation_card_submit(struct req *req, struct res *res);
struct store;
struct account;
/* Queues a single-use "reset" or "invite" link to the account in the outbox; call it inside
 * the transaction of the change that causes it, and mailer_wake() after the commit. */
int account_queue_link(struct store *db, const struct account *a, const char *purpose,
                       long long now) MUST_CHECK;
/* Records an invitation link for a (7 days, single use) and writes its address to url, for a
 * coordinator to hand over when no e-mail can be sent (no --smtp). */
int account_invite_link(struct store *db, const struct account *a, long long now, char *url,
                        size_t len) MUST_CHECK;

/* The journal's words for fields a feature records on a contract or an action (routes.c's
 * audit_field_words: campaign_pages.c, survey_pages.c, communication_pages.c, directory_pages.c, funding_pages.c). */
struct arena;
const char *campaign_audit_field_label(struct arena *a, const char *entity, const char *field);
const char *campaign_audit_value(struct arena *a, const char *entity, const char *field,
                                 const char *v);
const char *survey_audit_field_label(struct arena *a, const char *entity, const char *field);
const char *survey_audit_value(struct arena *a, const char *entity, const char *field,
                               const char *v);
const char *comm_audit_field_label(struct arena *a, const char *entity, const char *field);
const char *dir_audit_field_label(struct arena *a, const char *entity, const char *field);
const char *funding_audit_field_label(struct arena *a, const char *entity, const char *field);
const char *funding_audit_value(struct arena *a, const char *entity, const char *field,
                                const char *v);

#endif
