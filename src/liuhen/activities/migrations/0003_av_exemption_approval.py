"""AV exemptions (R5.2) move onto the approvals engine (R7.1, step ``av_exemption``).

Each existing exemption gets its approval request (chain: the unit head, who approved it);
an approved one gets the unit head's signed approval, dated when it was approved, with a
note that no opinion was written then. The hand-made approval columns go, an activity may
have a new exemption after a rejection, and the table becomes write-once.
"""

from django.db import migrations, models
import django.db.models.deletion

from liuhen.core.writeonce import install_op, remove_op

TABLE = "activities_avexemption"
# Written into the signed approval of an exemption approved before the approvals engine:
# the unit head approved it then without writing an opinion.
NO_OPINION = "（改用审批流程前批准，当时未填写意见）"


def _ref(activity_id):
    return f"activities.activity:{activity_id}"


def to_approvals(apps, schema_editor):
    AvExemption = apps.get_model("activities", "AvExemption")
    ApprovalRequest = apps.get_model("cases", "ApprovalRequest")
    Approval = apps.get_model("cases", "Approval")
    for exemption in AvExemption.objects.select_related("activity").order_by("pk"):
        approved = exemption.approved_at is not None
        request = ApprovalRequest.objects.create(
            case_id=exemption.activity.case_id,
            step="av_exemption",
            ref=_ref(exemption.activity_id),
            note=exemption.reason,
            requested_by_id=exemption.requested_by_id,
            requested_at=exemption.requested_at,
            chain=["unit_head"],
            status="approved" if approved else "pending",
            position=1 if approved else 0,
            decided_at=exemption.approved_at,
        )
        if approved:
            Approval.objects.create(
                request=request,
                position=0,
                approver_id=exemption.approved_by_id,
                role="unit_head",
                approved=True,
                opinion=NO_OPINION,
                signed_at=exemption.approved_at,
            )
        exemption.approval = request
        exemption.save(update_fields=["approval"])
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys of the rows written now: PostgreSQL refuses to
        # alter a table with pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def from_approvals(apps, schema_editor):
    """Back: the approval's first approving signature becomes approved_by/approved_at."""
    AvExemption = apps.get_model("activities", "AvExemption")
    Approval = apps.get_model("cases", "Approval")
    for exemption in AvExemption.objects.select_related("approval"):
        if exemption.approval.status != "approved":
            continue
        first = Approval.objects.filter(request_id=exemption.approval_id).order_by("position")
        signed = first.first()
        exemption.approved_by_id = signed.approver_id if signed else None
        exemption.approved_at = exemption.approval.decided_at
        exemption.save(update_fields=["approved_by", "approved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_activity_types"),
        ("cases", "0006_experts_and_approval_ref"),
    ]

    operations = [
        migrations.AddField(
            model_name="avexemption",
            name="approval",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="%(class)s",
                to="cases.approvalrequest",
                verbose_name="approval request",
            ),
        ),
        migrations.RunPython(to_approvals, from_approvals),
        migrations.AlterField(
            model_name="avexemption",
            name="approval",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="%(class)s",
                to="cases.approvalrequest",
                verbose_name="approval request",
            ),
        ),
        migrations.RemoveField(model_name="avexemption", name="approved_at"),
        migrations.RemoveField(model_name="avexemption", name="approved_by"),
        migrations.AlterField(
            model_name="avexemption",
            name="activity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="av_exemptions",
                to="activities.activity",
                verbose_name="activity",
            ),
        ),
        migrations.AlterModelOptions(
            name="avexemption",
            options={
                "ordering": ["requested_at", "id"],
                "verbose_name": "AV exemption",
                "verbose_name_plural": "AV exemptions",
            },
        ),
        # Last: SQLite rebuilds the table for the changes above, which would drop triggers.
        migrations.RunPython(install_op(TABLE), remove_op(TABLE)),
    ]
