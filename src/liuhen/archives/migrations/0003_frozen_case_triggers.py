"""An archived case is frozen in the database too (R18.1): triggers refuse any change to an
archived case's row and to every row that belongs to it (``liuhen.core.frozen_triggers``)."""

from django.db import migrations

from liuhen.core.frozen_triggers import FrozenTable, install_op, remove_op

ISSUED = ("issued_id", "documents_issueddocument", "case_id")
DECISION = ("decision_id", "cases_decision", "case_id")

TABLES = (
    *(
        FrozenTable(table)
        for table in (
            "cases_case_officers",
            "subjects_caseparty",
            "cases_lead",
            "cases_approvalrequest",
            "cases_advancenotice",
            "cases_legalreview",
            "cases_collectivediscussion",
            "cases_decision",
            "cases_hearing",
            "cases_suspension",
            "cases_assignmentchange",
            "activities_activity",
            "documents_document",
            "documents_issueddocument",
            "delivery_serviceconsent",
            "delivery_servicerecord",
        )
    ),
    # An AV link ties a record to a case, or to one of its activities.
    FrozenTable("media_avlink", ("case_id",), ("activity_id", "activities_activity", "case_id")),
    FrozenTable(
        "media_avunlink",
        ("link_id", "media_avlink", "case_id"),
        ("link_id", "media_avlink", "activity_id", "activities_activity", "case_id"),
    ),
    FrozenTable("cases_approval", ("request_id", "cases_approvalrequest", "case_id")),
    FrozenTable("cases_waiver", ("notice_id", "cases_advancenotice", "case_id")),
    FrozenTable(
        "cases_discussionopinion", ("discussion_id", "cases_collectivediscussion", "case_id")
    ),
    FrozenTable(
        "cases_collectivediscussion_attendees",
        ("collectivediscussion_id", "cases_collectivediscussion", "case_id"),
    ),
    FrozenTable("cases_hearingschedule", ("hearing_id", "cases_hearing", "case_id")),
    FrozenTable("cases_hearingrecord", ("hearing_id", "cases_hearing", "case_id")),
    FrozenTable("cases_resumption", ("suspension_id", "cases_suspension", "case_id")),
    FrozenTable("activities_activityofficer", ("activity_id", "activities_activity", "case_id")),
    FrozenTable("activities_avexemption", ("activity_id", "activities_activity", "case_id")),
    *(
        FrozenTable(table, ISSUED)
        for table in (
            "documents_documentfile",
            "documents_partysignature",
            "documents_officersignature",
            "documents_signaturerefusal",
            "documents_finalisation",
        )
    ),
    FrozenTable(
        "documents_refusalrecording",
        ("refusal_id", "documents_signaturerefusal", *ISSUED),
    ),
    FrozenTable("delivery_serviceattachment", ("service_id", "delivery_servicerecord", "case_id")),
    FrozenTable("delivery_paymentnotice", DECISION),
    FrozenTable("delivery_remedyproceeding", DECISION),
    FrozenTable("delivery_deferral", ("approval_id", "cases_approvalrequest", "case_id")),
    FrozenTable("delivery_payment", ("notice_id", "delivery_paymentnotice", *DECISION)),
    FrozenTable("delivery_proceedingend", ("proceeding_id", "delivery_remedyproceeding", *DECISION)),
)


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0002_case_file"),
        ("cases", "0013_case_archived_at"),
        ("subjects", "0002_search_trigram_indexes"),
        ("activities", "0003_av_exemption_approval"),
        ("media", "0005_fixity_finds_missing_sm3"),
        ("documents", "0005_officer_signatures_and_enrolments"),
        ("delivery", "0001_initial"),
    ]

    operations = [migrations.RunPython(install_op(*TABLES), remove_op(*TABLES))]
