"""The document forms as data (R6.1): the 38 national forms of documents.md (农业行政执法基本文书
格式) and the bureau forms the regulation needs (Art. 7–10) that the national set lacks.

Labels are the Chinese printed on the form; ``prefill`` keys are resolved by
``catalog/prefill.py``; for an ``ITEMS`` field ``choices`` holds the table's column headers.
Codes of the forms the party signs are those of the R9.1 list
``documents.law.SIGNATURE_REQUIRED_DOCUMENT_KINDS``.
"""

from __future__ import annotations

from liuhen.cases.models import Stage
from liuhen.cases.numbering import KIND_FILING, KIND_NOTICE, KIND_PENALTY
from liuhen.documents.spec import PAYMENT_QR, FormSpec, Kind, Numbering, ReceiptRole, Waiver
from liuhen.documents.spec import FieldSpec as F
from liuhen.documents.spec import FieldType as T
from liuhen.documents.spec import ServiceClock as Clock

INITIATION = Stage.INITIATION.value
INVESTIGATION = Stage.INVESTIGATION.value
DECISION = Stage.DECISION.value
SERVICE = Stage.SERVICE.value
ARCHIVING = Stage.ARCHIVING.value

# R7.1: internal forms that no step of the case workflow covers are approved under this step.
DOCUMENT_STEP = "document"
# R7.1: the case step approving the case handling opinion 案件处理意见书, after which the
# advance notices 行政处罚事先告知书 are issued.
HANDLING_OPINION_STEP = "handling_opinion"

GOODS_COLUMNS = ("物品名称", "规格型号", "生产日期（批号）", "生产单位", "数量", "单位")
SAMPLE_COLUMNS = (
    "样品名称",
    "规格型号",
    "生产日期（批号）",
    "标称生产单位",
    "抽样数量",
    "抽样基数",
)
MATERIAL_COLUMNS = ("材料名称", "份数", "页数")
SERVICE_MODES = ("直接送达", "留置送达", "邮寄送达", "电子送达", "委托送达", "公告送达")
SEX = ("男", "女")


# --- field groups shared by many forms -----------------------------------------------------


def _party(*, identity: bool = True) -> tuple[F, ...]:
    """Every form starts with the party it concerns (the acceptance test looks for its name)."""
    name = F("party_name", "当事人", required=True, prefill="party.name")
    if not identity:
        return (name,)
    return (
        name,
        F("party_id_number", "统一社会信用代码（身份证号码）", prefill="party.id_number"),
        F("legal_representative", "法定代表人（负责人）", prefill="party.legal_representative"),
        F("party_address", "住所（住址）", prefill="party.address"),
        F("party_phone", "联系电话", prefill="party.phone"),
    )


def _case_title() -> F:
    return F("case_title", "案由", required=True, prefill="case.title")


def _case() -> tuple[F, ...]:
    return (F("case_number", "案号", required=True, prefill="case.number"), _case_title())


def _issuer(date_label: str = "日期", date_prefill: str = "today") -> tuple[F, ...]:
    return (
        F("agency", "执法机关", required=True, prefill="bureau.name"),
        F("issued_on", date_label, T.DATE, required=True, prefill=date_prefill),
    )


def _session(what: str, place_label: str) -> tuple[F, ...]:
    """Start, end and place of an act recorded in a transcript: those of the activity it
    records (now, when there is none)."""
    return (
        F(
            "started_at",
            f"{what}时间（自）",
            T.DATETIME,
            required=True,
            prefill="activity.started_at",
        ),
        F("ended_at", f"{what}时间（至）", T.DATETIME, required=True, prefill="activity.ended_at"),
        F("place", place_label, required=True, prefill="activity.place"),
    )


def _officers(label: str = "执法人员及执法证号", prefill: str = "officers") -> F:
    return F("officers", label, T.TEXTAREA, required=True, prefill=prefill)


def _present(label: str) -> F:
    """The officers present at the activity a record is made of (the case's without one)."""
    return _officers(label, "activity.officers")


def _recorder() -> F:
    return F("recorder", "记录人", required=True)


def _remedies(prefill: str = "text.remedies") -> F:
    return F("remedies", "救济途径", T.TEXTAREA, required=True, prefill=prefill)


def _items(label: str = "物品清单", columns: tuple[str, ...] = GOODS_COLUMNS) -> F:
    return F("items", label, T.ITEMS, required=True, choices=columns)


def _witness() -> tuple[F, ...]:
    return (
        F("witness_name", "见证人"),
        F("witness_id_number", "见证人身份证号码"),
        F("witness_employer", "见证人工作单位或者住址"),
    )


def _decision_ref() -> tuple[F, ...]:
    return (
        F("decision_number", "行政处罚决定书文号", required=True, prefill="decision.number"),
        F("decided_on", "行政处罚决定日期", T.DATE, prefill="decision.decided_on"),
    )


# --- the national forms (documents.md, numbers 1–38) -------------------------------------

_INITIATION_FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        number=1,
        code="designated_jurisdiction_notice",
        title="指定管辖通知书",
        kind=Kind.SERVED,
        number_kind="管",
        stage=INITIATION,
        sealed=True,
        fields=(
            *_party(identity=False),
            F("recipient", "受文机关", required=True),
            _case_title(),
            F("reason", "指定管辖的理由", T.TEXTAREA, required=True),
            F("basis", "法律依据", T.TEXTAREA, required=True),
            F("designated_agency", "被指定管辖机关", required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=2,
        code="case_assignment_notice",
        title="案件交办通知书",
        kind=Kind.INTERNAL,
        number_kind="交",
        stage=INITIATION,
        approval_step=DOCUMENT_STEP,
        fields=(
            *_party(identity=False),
            F("recipient", "承办机构", required=True, prefill="case.unit"),
            _case_title(),
            F("source", "案件来源", required=True),
            F("summary", "基本案情", T.TEXTAREA, required=True),
            F("requirements", "办理要求", T.TEXTAREA, required=True),
            F("report_by", "报送查处结果期限", T.DATE, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=3,
        code="assistance_request_letter",
        title="协助调查函",
        kind=Kind.SERVED,
        number_kind="协",
        stage=INVESTIGATION,
        sealed=True,
        fields=(
            *_party(identity=False),
            F("recipient", "受函单位", required=True),
            _case_title(),
            F("matters", "请求协助调查事项", T.TEXTAREA, required=True),
            F("reply_by", "回复期限", T.DATE, required=True),
            F("contact", "联系人", prefill="officer_names"),
            F("contact_phone", "联系电话"),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=4,
        code="assistance_result_letter",
        title="协助调查结果告知函",
        kind=Kind.SERVED,
        number_kind="协复",
        stage=INVESTIGATION,
        sealed=True,
        fields=(
            *_party(identity=False),
            F("recipient", "受函单位", required=True),
            F("request_number", "协助调查函文号", required=True),
            F("result", "协助调查结果", T.TEXTAREA, required=True),
            F("attachments", "附件", T.ITEMS, choices=MATERIAL_COLUMNS),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=5,
        code="case_transfer_letter",
        title="案件移送函",
        kind=Kind.SERVED,
        number_kind="移",
        stage=INITIATION,
        sealed=True,
        fields=(
            *_party(),
            F("recipient", "受移送机关", required=True),
            _case_title(),
            F("summary", "案件基本情况", T.TEXTAREA, required=True),
            F("reason", "移送理由及依据", T.TEXTAREA, required=True),
            F("materials", "移送材料", T.ITEMS, choices=MATERIAL_COLUMNS),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=6,
        code="criminal_case_transfer",
        title="涉嫌犯罪案件移送书",
        kind=Kind.SERVED,
        number_kind="刑移",
        stage=INVESTIGATION,
        sealed=True,
        fields=(
            *_party(),
            F("recipient", "受移送机关", required=True),
            _case_title(),
            F("facts", "涉嫌犯罪事实", T.TEXTAREA, required=True),
            F("basis", "移送依据", T.TEXTAREA, required=True),
            F("materials", "移送材料", T.ITEMS, required=True, choices=MATERIAL_COLUMNS),
            F("goods", "涉案物品", T.ITEMS, choices=GOODS_COLUMNS),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=7,
        code="on_the_spot_decision",
        title="当场行政处罚决定书",
        kind=Kind.SERVED,
        number_kind=KIND_PENALTY,
        stage=DECISION,
        activity_types=("on_the_spot_penalty",),
        signature=True,
        signers=("当事人", "执法人员"),
        sealed=True,
        behaviours=(PAYMENT_QR,),
        numbering=Numbering.DECISION,
        # Regulation Art. 10(四): the penalty decided on the spot is a 行政执法决定书.
        enforcement_decision=True,
        fields=(
            *_party(),
            F("facts", "违法事实", T.TEXTAREA, required=True, prefill="decision.facts"),
            F("basis", "处罚依据", T.TEXTAREA, required=True, prefill="decision.basis"),
            F("penalty", "处罚内容", T.TEXTAREA, required=True, prefill="decision.penalty"),
            F("fine_yuan", "罚款金额（元）", T.MONEY, prefill="decision.fine_yuan"),
            F("payment", "缴纳方式及期限", T.TEXTAREA, prefill="text.payment"),
            _remedies("text.remedies_reconsideration_first"),
            _officers(),
            F("place", "处罚地点", required=True),
            *_issuer(date_prefill="decision.decided_on"),
        ),
    ),
    FormSpec(
        number=8,
        code="filing_approval",
        title="行政处罚立案/不予立案审批表",
        kind=Kind.INTERNAL,
        number_kind=KIND_FILING,
        numbering=Numbering.CASE,
        stage=INITIATION,
        approval_step="filing",
        fields=(
            *_party(),
            F("party_kind", "当事人类型", prefill="party.kind"),
            _case_title(),
            F("field", "执法领域", prefill="case.field"),
            F(
                "source",
                "案件来源",
                T.CHOICE,
                required=True,
                choices=("监督检查", "投诉举报", "上级交办", "其他机关移送", "其他"),
            ),
            F("received_on", "受案时间", T.DATE, required=True),
            F("summary", "案情摘要", T.TEXTAREA, required=True),
            F("proposal", "承办人意见", T.CHOICE, required=True, choices=("立案", "不予立案")),
            F("reason", "理由及依据", T.TEXTAREA, required=True),
            F("handling_unit", "承办机构", prefill="case.unit"),
            _officers("承办人及执法证号"),
            F("proposed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        number=9,
        code="filing_revocation_approval",
        title="撤销立案审批表",
        kind=Kind.INTERNAL,
        stage=INVESTIGATION,
        approval_step=DOCUMENT_STEP,
        fields=(
            *_party(identity=False),
            *_case(),
            F("opened_on", "立案日期", T.DATE, prefill="case.opened_on"),
            F("reason", "撤销立案理由及依据", T.TEXTAREA, required=True),
            _officers("承办人及执法证号"),
            F("proposed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
)

_INVESTIGATION_FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        number=10,
        code="rectification_order",
        title="责令改正通知书",
        kind=Kind.SERVED,
        number_kind="责改",
        stage=INVESTIGATION,
        activity_types=("on_site_handling", "inspection"),
        sealed=True,
        # Not an enforcement decision (regulation Art. 10(四)): an order to correct given
        # while the case is investigated (行政处罚法 Art. 28), without remedies; the
        # penalty, if any, comes in a decision.
        fields=(
            *_party(),
            F("facts", "违法事实", T.TEXTAREA, required=True),
            F("basis", "法律依据", T.TEXTAREA, required=True),
            F("requirement", "责令改正内容", T.TEXTAREA, required=True),
            F("correct_by", "改正期限", T.DATE, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=11,
        code="inquiry_transcript",
        title="询问笔录",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        activity_types=("inquiry",),
        signature=True,
        signers=("被询问人", "询问人", "记录人"),
        paginated=True,
        fields=(
            *_party(identity=False),
            *_session("询问", "询问地点"),
            _present("询问人及执法证号"),
            _recorder(),
            F("interviewee_name", "被询问人姓名", required=True, prefill="party.person"),
            F("interviewee_sex", "性别", T.CHOICE, prefill="party.sex", choices=SEX),
            F("interviewee_age", "年龄", T.INTEGER, prefill="party.age"),
            F("interviewee_id_number", "身份证号码", prefill="party.person_id"),
            F("interviewee_employer", "工作单位"),
            F("interviewee_position", "职务"),
            F("interviewee_address", "住址", prefill="party.address"),
            F("interviewee_phone", "联系电话", prefill="party.phone"),
            F(
                "caution",
                "告知事项",
                T.TEXTAREA,
                required=True,
                prefill="text.inquiry_caution",
            ),
            F("recusal", "是否申请回避", T.CHOICE, required=True, choices=("否", "是")),
            F("questions_answers", "询问内容（问答）", T.TEXTAREA, required=True),
        ),
    ),
    FormSpec(
        number=12,
        code="inspection_transcript",
        title="现场检查（勘验）笔录",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        activity_types=("inspection", "on_site_handling"),
        signature=True,
        signers=("当事人", "见证人", "执法人员", "记录人"),
        paginated=True,
        fields=(
            *_party(),
            *_session("检查（勘验）", "检查（勘验）地点"),
            _present("检查（勘验）人员及执法证号"),
            _recorder(),
            F("present", "当事人或者其代理人到场情况"),
            F(
                "caution",
                "告知事项",
                T.TEXTAREA,
                required=True,
                prefill="text.inspection_caution",
            ),
            F("findings", "现场检查（勘验）情况", T.TEXTAREA, required=True),
            *_witness(),
        ),
    ),
    FormSpec(
        number=13,
        code="sampling_voucher",
        title="抽样取证凭证",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        activity_types=("sampling",),
        signature=True,
        signers=("被抽样人", "见证人", "抽样人"),
        # documents.md: the voucher bears the agency's seal.
        sealed=True,
        fields=(
            *_party(),
            F("sampled_at", "抽样时间", T.DATETIME, required=True, prefill="activity.started_at"),
            F("place", "抽样地点", required=True, prefill="activity.place"),
            F("suspected_violation", "涉嫌违法行为", T.TEXTAREA, required=True),
            F("method", "抽样方法"),
            _items("抽样物品", SAMPLE_COLUMNS),
            F("sealing", "样品封存情况"),
            _present("抽样人员及执法证号"),
            *_witness(),
        ),
    ),
    FormSpec(
        number=14,
        code="test_result_notice",
        title="抽样检测结果告知书",
        kind=Kind.SERVED,
        number_kind="检",
        stage=INVESTIGATION,
        activity_types=("sampling",),
        sealed=True,
        fields=(
            *_party(),
            F("sampled_on", "抽样日期", T.DATE, required=True),
            F("sample", "样品名称及批号", required=True),
            F("laboratory", "检测机构", required=True),
            F("report_number", "检测报告编号", required=True),
            F("result", "检测结果", T.TEXTAREA, required=True),
            F("retest", "复检（复验）权利告知", T.TEXTAREA),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=15,
        code="product_confirmation_notice",
        title="产品确认通知书",
        kind=Kind.SERVED,
        number_kind="确",
        stage=INVESTIGATION,
        sealed=True,
        fields=(
            *_party(identity=False),
            F("recipient", "标称生产企业", required=True),
            _case_title(),
            _items("需确认的产品", ("产品名称", "规格型号", "生产日期（批号）", "数量")),
            F("reply_by", "确认回复期限", T.DATE, required=True),
            F("contact", "联系人", prefill="officer_names"),
            F("contact_phone", "联系电话"),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=16,
        code="advance_preservation_notice",
        title="证据先行登记保存通知书",
        kind=Kind.SERVED,
        number_kind="保",
        stage=INVESTIGATION,
        activity_types=("advance_preservation",),
        signature=True,
        signers=("当事人", "执法人员"),
        sealed=True,
        # documents.md: needs the head's approval (or an urgent report within 24 h).
        approval_step="advance_preservation",
        # Not an enforcement decision (regulation Art. 10(四)): it notifies a step of
        # gathering evidence (行政处罚法 Art. 56); the decision on the goods is form 17.
        fields=(
            *_party(),
            F("reason", "先行登记保存的理由及依据", T.TEXTAREA, required=True),
            _items("先行登记保存物品"),
            F("storage_place", "保存地点", required=True),
            F("storage_way", "保存方式", T.CHOICE, required=True, choices=("就地保存", "异地保存")),
            F("handling_by", "作出处理决定的期限", T.DATE, required=True),
            _officers(),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=17,
        code="preserved_goods_disposal_notice",
        title="先行登记保存物品处理通知书",
        kind=Kind.SERVED,
        number_kind="保处",
        stage=INVESTIGATION,
        activity_types=("advance_preservation",),
        signature=True,
        signers=("当事人", "执法人员"),
        sealed=True,
        # Regulation Art. 10(四): the handling decision 处理决定 on goods preserved in
        # advance (行政处罚法 Art. 56, decided within 7 days) is a 行政执法决定书 under the
        # title of a notice.
        enforcement_decision=True,
        fields=(
            *_party(),
            F("preservation_number", "证据先行登记保存通知书文号", required=True),
            F("preserved_on", "先行登记保存日期", T.DATE, required=True),
            _items("物品清单"),
            F("handling", "处理决定", T.TEXTAREA, required=True),
            F("basis", "处理依据", T.TEXTAREA, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=18,
        code="seizure_notice",
        title="查封（扣押）决定书",
        kind=Kind.SERVED,
        number_kind="封",
        stage=INVESTIGATION,
        activity_types=("seizure",),
        signature=True,
        signers=("当事人",),
        sealed=True,
        # Regulation Art. 10(四): the decision on an administrative compulsory measure
        # (行政强制法 Art. 24) is a 行政执法决定书.
        enforcement_decision=True,
        # 行政强制法 Art. 24: party, reason and basis, goods, place, period, remedies, agency.
        fields=(
            *_party(),
            F("measure", "强制措施", T.CHOICE, required=True, choices=("查封", "扣押")),
            F("reason", "查封（扣押）的理由", T.TEXTAREA, required=True),
            F("basis", "查封（扣押）的依据", T.TEXTAREA, required=True),
            _items("查封（扣押）场所、设施或者财物"),
            F("place", "查封（扣押）地点", required=True),
            F("period_from", "期限自", T.DATE, required=True),
            F("period_to", "期限至", T.DATE, required=True),
            _remedies(),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=19,
        code="seizure_transcript",
        title="查封（扣押）现场笔录",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        activity_types=("seizure",),
        signature=True,
        signers=("当事人", "见证人", "执法人员", "记录人"),
        paginated=True,
        av_required=True,
        fields=(
            *_party(),
            *_session("实施", "实施地点"),
            _present("执法人员及执法证号"),
            _recorder(),
            F("decision_number", "查封（扣押）决定书文号", required=True),
            F("process", "现场实施情况", T.TEXTAREA, required=True),
            F("statement", "当事人陈述、申辩", T.TEXTAREA),
            F("av_record", "音像记录情况"),
            *_witness(),
        ),
    ),
    FormSpec(
        number=20,
        code="seizure_release_decision",
        title="解除查封（扣押）决定书",
        kind=Kind.SERVED,
        number_kind="解封",
        stage=INVESTIGATION,
        activity_types=("seizure",),
        sealed=True,
        # Regulation Art. 10(四): releasing the seizure (行政强制法 Art. 28) is a decision
        # too, a 行政执法决定书.
        enforcement_decision=True,
        fields=(
            *_party(),
            F("seizure_number", "查封（扣押）决定书文号", required=True),
            F("reason", "解除理由", T.TEXTAREA, required=True),
            F("basis", "解除依据", T.TEXTAREA, required=True),
            _items("解除查封（扣押）的财物"),
            F("released_on", "解除日期", T.DATE, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=21,
        code="seizure_list",
        title="查封（扣押）/解除查封（扣押）财物清单",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        activity_types=("seizure",),
        signature=True,
        signers=("当事人", "见证人", "执法人员"),
        fields=(
            *_party(identity=False),
            F(
                "measure",
                "类别",
                T.CHOICE,
                required=True,
                choices=("查封", "扣押", "解除查封", "解除扣押"),
            ),
            F("decision_number", "决定书文号", required=True),
            _items("财物清单", (*GOODS_COLUMNS, "存放地点")),
            F("place", "地点", required=True),
            _officers(),
            F("listed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        number=22,
        code="suspension_decision",
        title="案件中止调查决定书",
        kind=Kind.INTERNAL,
        number_kind="中止",
        stage=INVESTIGATION,
        approval_step="suspension",
        fields=(
            *_party(identity=False),
            *_case(),
            F(
                "ground",
                "中止调查情形",
                T.CHOICE,
                required=True,
                choices=(
                    "需以相关案件的裁判结果或者其他行政决定为依据",
                    "需等待有权机关作出解释或者确认",
                    "因不可抗力致使案件暂时无法调查",
                    "当事人下落不明",
                    "其他",
                ),
            ),
            F("reason", "中止调查的理由及依据", T.TEXTAREA, required=True),
            F("suspended_from", "中止调查日期", T.DATE, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=23,
        code="resumption_decision",
        title="恢复案件调查决定书",
        kind=Kind.INTERNAL,
        number_kind="恢复",
        stage=INVESTIGATION,
        approval_step="resumption",
        fields=(
            *_party(identity=False),
            *_case(),
            F("suspension_number", "案件中止调查决定书文号", required=True),
            F("reason", "恢复调查的理由", T.TEXTAREA, required=True),
            F("resumed_on", "恢复调查日期", T.DATE, required=True),
            *_issuer(),
        ),
    ),
)

_DECISION_FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        number=24,
        code="case_handling_opinion",
        title="案件处理意见书",
        kind=Kind.INTERNAL,
        stage=DECISION,
        # Approved by the head before the advance notice is issued: the case step the
        # notices wait for.
        approval_step=HANDLING_OPINION_STEP,
        fields=(
            *_party(),
            *_case(),
            F("investigation", "调查经过", T.TEXTAREA, required=True),
            F("facts", "违法事实及证据", T.TEXTAREA, required=True),
            F("basis", "法律依据", T.TEXTAREA, required=True),
            F("opinion", "处理意见", T.TEXTAREA, required=True),
            _officers("承办人及执法证号"),
            F("proposed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        number=25,
        code="advance_notice",
        title="行政处罚事先告知书（非听证）",
        kind=Kind.SERVED,
        number_kind=KIND_NOTICE,
        stage=DECISION,
        sealed=True,
        advance_notice=True,
        issued_after_approval=HANDLING_OPINION_STEP,
        waivable_rights=(Waiver.STATEMENT,),
        fields=(
            *_party(),
            _case_title(),
            F("facts", "违法事实及证据", T.TEXTAREA, required=True),
            F("basis", "处罚依据", T.TEXTAREA, required=True),
            F(
                "proposed_penalty",
                "拟作出的行政处罚",
                T.TEXTAREA,
                required=True,
                prefill="notice.proposed_penalty",
            ),
            F(
                "rights",
                "陈述、申辩权利告知",
                T.TEXTAREA,
                required=True,
                prefill="text.statement_rights",
            ),
            F("statement_by", "陈述、申辩期限", T.DATE, required=True),
            F("contact", "联系人", prefill="officer_names"),
            F("contact_phone", "联系电话"),
            F("contact_address", "联系地址"),
            *_issuer(date_prefill="notice.notified_on"),
        ),
    ),
    FormSpec(
        number=26,
        code="advance_notice_hearing",
        title="行政处罚事先告知书（听证）",
        kind=Kind.SERVED,
        number_kind=KIND_NOTICE,
        stage=DECISION,
        sealed=True,
        advance_notice=True,
        issued_after_approval=HANDLING_OPINION_STEP,
        hearing_right=True,
        waivable_rights=(Waiver.STATEMENT, Waiver.HEARING),
        fields=(
            *_party(),
            _case_title(),
            F("facts", "违法事实及证据", T.TEXTAREA, required=True),
            F("basis", "处罚依据", T.TEXTAREA, required=True),
            F(
                "proposed_penalty",
                "拟作出的行政处罚",
                T.TEXTAREA,
                required=True,
                prefill="notice.proposed_penalty",
            ),
            F(
                "rights",
                "陈述、申辩权利告知",
                T.TEXTAREA,
                required=True,
                prefill="text.statement_rights",
            ),
            F("statement_by", "陈述、申辩期限", T.DATE, required=True),
            F(
                "hearing_rights",
                "听证权利告知",
                T.TEXTAREA,
                required=True,
                prefill="text.hearing_rights",
            ),
            F("contact", "联系人", prefill="officer_names"),
            F("contact_phone", "联系电话"),
            F("contact_address", "联系地址"),
            *_issuer(date_prefill="notice.notified_on"),
        ),
    ),
    FormSpec(
        number=27,
        code="no_penalty_decision",
        title="不予行政处罚决定书",
        kind=Kind.SERVED,
        number_kind="不罚",
        stage=DECISION,
        sealed=True,
        # Regulation Art. 10(四): deciding not to penalise closes the matter for the party
        # with remedies (行政处罚法 Art. 57(二), (三)): a 行政执法决定书.
        enforcement_decision=True,
        fields=(
            *_party(),
            F("facts", "违法事实及证据", T.TEXTAREA, required=True),
            F("reason", "不予行政处罚的理由及依据", T.TEXTAREA, required=True),
            _remedies(),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=28,
        code="decision_approval",
        title="行政处罚决定审批表",
        kind=Kind.INTERNAL,
        stage=DECISION,
        approval_step="decision",
        fields=(
            *_party(),
            *_case(),
            F("facts", "违法事实", T.TEXTAREA, required=True),
            F("basis", "处罚依据", T.TEXTAREA, required=True),
            F(
                "proposed_penalty",
                "拟处罚意见",
                T.TEXTAREA,
                required=True,
                prefill="notice.proposed_penalty",
            ),
            F(
                "statement",
                "当事人陈述、申辩或者听证情况",
                T.TEXTAREA,
                required=True,
                prefill="notice.waivers",
            ),
            F("legal_review", "法制审核意见", T.TEXTAREA, prefill="review.opinion"),
            F("discussion", "集体讨论意见", T.TEXTAREA, prefill="discussion.conclusion"),
            _officers("承办人及执法证号"),
            F("proposed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        number=29,
        code="penalty_decision",
        title="行政处罚决定书",
        kind=Kind.SERVED,
        number_kind=KIND_PENALTY,
        stage=DECISION,
        sealed=True,
        behaviours=(PAYMENT_QR,),
        numbering=Numbering.DECISION,
        # Regulation Art. 10(四): the 行政执法决定书 par excellence.
        enforcement_decision=True,
        service_clocks=(Clock.SERVICE, Clock.PAYMENT),
        after_advance_notice=True,
        # 行政处罚法 Art. 59: party, facts and evidence, penalty and basis, how and when to
        # perform, remedies, agency and date.
        fields=(
            *_party(),
            F("facts", "违法事实和证据", T.TEXTAREA, required=True, prefill="decision.facts"),
            F("statement", "当事人陈述、申辩或者听证意见的采纳情况", T.TEXTAREA),
            F("basis", "行政处罚的依据", T.TEXTAREA, required=True, prefill="decision.basis"),
            F("penalty", "行政处罚的种类", T.TEXTAREA, required=True, prefill="decision.penalty"),
            F("fine_yuan", "罚款金额（元）", T.MONEY, prefill="decision.fine_yuan"),
            F("payment", "履行方式和期限", T.TEXTAREA, required=True, prefill="text.payment"),
            # R11.1: the number of the decision's payment notice; the notice is made when
            # the decision is issued if it does not exist yet, and its number printed here.
            F(
                "payment_notice_number",
                "缴款通知书编号",
                prefill="decision.payment_notice_number",
            ),
            _remedies(),
            *_issuer("作出决定的日期", "decision.decided_on"),
        ),
    ),
    FormSpec(
        number=30,
        code="hearing_notice",
        title="行政处罚听证会通知书",
        kind=Kind.SERVED,
        number_kind="听",
        stage=DECISION,
        activity_types=("hearing",),
        sealed=True,
        fields=(
            *_party(),
            _case_title(),
            F(
                "hearing_at",
                "听证时间",
                T.DATETIME,
                required=True,
                prefill="hearing.scheduled_at",
            ),
            F("hearing_place", "听证地点", required=True, prefill="hearing.place"),
            F("public", "听证方式", T.CHOICE, required=True, choices=("公开", "不公开")),
            F("chair", "听证主持人", required=True, prefill="hearing.chair"),
            F("clerk", "记录员", prefill="hearing.clerk"),
            F(
                "notes",
                "注意事项",
                T.TEXTAREA,
                required=True,
                prefill="text.hearing_notice_rights",
            ),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=31,
        code="hearing_transcript",
        title="听证笔录",
        kind=Kind.RECORD,
        stage=DECISION,
        activity_types=("hearing",),
        signature=True,
        signers=("当事人（委托代理人）", "案件调查人员", "听证主持人", "记录员"),
        paginated=True,
        av_required=True,
        fields=(
            *_party(),
            _case_title(),
            F(
                "started_at",
                "听证时间（自）",
                T.DATETIME,
                required=True,
                prefill="hearing.scheduled_at",
            ),
            F("ended_at", "听证时间（至）", T.DATETIME, required=True),
            F("place", "听证地点", required=True, prefill="hearing.place"),
            F("public", "听证方式", T.CHOICE, required=True, choices=("公开", "不公开")),
            F("chair", "听证主持人", required=True, prefill="hearing.chair"),
            F("panel", "听证员"),
            F("clerk", "记录员", required=True, prefill="hearing.clerk"),
            _officers("案件调查人员及执法证号"),
            F("agent", "委托代理人"),
            F("record", "听证过程", T.TEXTAREA, required=True),
        ),
    ),
    FormSpec(
        number=32,
        code="hearing_report",
        title="行政处罚听证会报告书",
        kind=Kind.INTERNAL,
        stage=DECISION,
        activity_types=("hearing",),
        approval_step=DOCUMENT_STEP,
        drafted_by_hearing_chair=True,
        fields=(
            *_party(identity=False),
            _case_title(),
            F("hearing_at", "听证时间", T.DATETIME, required=True, prefill="hearing.scheduled_at"),
            F("hearing_place", "听证地点", required=True, prefill="hearing.place"),
            F("chair", "听证主持人", required=True, prefill="hearing.chair"),
            F("summary", "听证会基本情况", T.TEXTAREA, required=True),
            F("disputes", "争议的事实、证据和依据", T.TEXTAREA, required=True),
            F("opinion", "听证主持人意见", T.TEXTAREA, required=True),
            F("reported_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
)

_SERVICE_FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        number=33,
        code="service_receipt",
        title="送达回证",
        kind=Kind.RECORD,
        stage=SERVICE,
        receipt_role=ReceiptRole.SERVICE_RECEIPT,
        waivable_rights=(Waiver.STATEMENT, Waiver.HEARING),
        activity_types=("service_by_leaving", "service_by_public_notice"),
        signature=True,
        signers=("受送达人", "送达人", "见证人"),
        fields=(
            F("party_name", "受送达人", required=True, prefill="party.name"),
            F(
                "documents",
                "送达文书名称及文号",
                T.ITEMS,
                required=True,
                choices=("文书名称", "文号"),
            ),
            F("place", "送达地点", required=True, prefill="party.address"),
            F("mode", "送达方式", T.CHOICE, required=True, choices=SERVICE_MODES),
            F("served_at", "送达时间", T.DATETIME, required=True, prefill="now"),
            F("servers", "送达人", required=True, prefill="officer_names"),
            F("receiver", "代收人及代收理由"),
            F("remarks", "备注", T.TEXTAREA),
            F("agency", "送达机关", required=True, prefill="bureau.name"),
        ),
    ),
    FormSpec(
        number=34,
        code="payment_reminder",
        title="履行行政处罚决定催告书",
        kind=Kind.SERVED,
        number_kind="催",
        stage=SERVICE,
        sealed=True,
        # Not an enforcement decision (regulation Art. 10(四)): the reminder before
        # enforcement (行政强制法 Art. 35) decides nothing new.
        fields=(
            *_party(),
            *_decision_ref(),
            F("obligation", "未履行的义务", T.TEXTAREA, required=True, prefill="decision.penalty"),
            F("surcharge_yuan", "加处罚款金额（元）", T.MONEY),
            F("perform_by", "履行期限", T.DATE, required=True),
            F("manner", "履行方式", T.TEXTAREA, required=True),
            F("statement_rights", "陈述、申辩权利告知", T.TEXTAREA, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=35,
        code="enforcement_application",
        title="强制执行申请书",
        kind=Kind.SERVED,
        number_kind="执",
        stage=SERVICE,
        sealed=True,
        # Not an enforcement decision: an application to the court (行政强制法 Art. 53).
        fields=(
            *_party(),
            F("court", "受理人民法院", required=True),
            F("applicant", "申请人", required=True, prefill="bureau.name"),
            *_decision_ref(),
            F("facts", "申请执行的事实和理由", T.TEXTAREA, required=True),
            F("request", "申请执行内容", T.TEXTAREA, required=True, prefill="decision.penalty"),
            F("materials", "附送材料", T.ITEMS, choices=MATERIAL_COLUMNS),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=36,
        code="deferral_notice",
        title="延期（分期）缴纳罚款通知书",
        kind=Kind.SERVED,
        number_kind="延",
        stage=SERVICE,
        sealed=True,
        # Not an enforcement decision (regulation Art. 10(四)): it grants the party's own
        # request to defer or pay in instalments (行政处罚法 Art. 66) under the decision
        # already served.
        fields=(
            *_party(),
            *_decision_ref(),
            F("fine_yuan", "罚款金额（元）", T.MONEY, required=True, prefill="decision.fine_yuan"),
            F("applied_on", "当事人申请日期", T.DATE, required=True),
            F("manner", "批准方式", T.CHOICE, required=True, choices=("延期缴纳", "分期缴纳")),
            F("schedule", "延期期限或者分期安排", T.TEXTAREA, required=True),
            *_issuer(),
        ),
    ),
    FormSpec(
        number=37,
        code="confiscated_goods_disposal_record",
        title="罚没物品处理记录",
        kind=Kind.RECORD,
        stage=SERVICE,
        signature=True,
        signers=("处理人", "监督人", "见证人"),
        fields=(
            *_party(identity=False),
            *_decision_ref(),
            _items("罚没物品"),
            F(
                "method",
                "处理方式",
                T.CHOICE,
                required=True,
                choices=("销毁", "拍卖", "移交有关部门", "其他"),
            ),
            F("disposed_at", "处理时间", T.DATETIME, required=True),
            F("place", "处理地点", required=True),
            _officers("处理人员及执法证号"),
            F("supervisors", "监督人员"),
            F("process", "处理情况", T.TEXTAREA, required=True),
        ),
    ),
    FormSpec(
        number=38,
        code="closing_report",
        title="行政处罚结案报告",
        kind=Kind.INTERNAL,
        stage=ARCHIVING,
        approval_step="closing",
        fields=(
            *_party(identity=False),
            *_case(),
            F("opened_on", "立案日期", T.DATE, prefill="case.opened_on"),
            F("decision_number", "行政处罚决定书文号", prefill="decision.number"),
            F("penalty", "处罚内容", T.TEXTAREA, prefill="decision.penalty"),
            F("execution", "执行情况", T.TEXTAREA, required=True),
            F(
                "closing_condition",
                "结案情形",
                T.CHOICE,
                required=True,
                choices=(
                    "处罚决定执行完毕",
                    "人民法院受理强制执行",
                    "不予行政处罚",
                    "撤销立案",
                    "其他",
                ),
            ),
            _officers("承办人及执法证号"),
            F("reported_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
)

NATIONAL_FORMS: tuple[FormSpec, ...] = (
    *_INITIATION_FORMS,
    *_INVESTIGATION_FORMS,
    *_DECISION_FORMS,
    *_SERVICE_FORMS,
)


# --- the bureau's own forms (regulation Art. 7–10; not in the national set) ---------------

BUREAU_FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        code="legal_review_opinion",
        title="法制审核意见书",
        # The reviewer's own signed opinion (Art. 58), not a form that heads approve.
        kind=Kind.RECORD,
        stage=DECISION,
        national=False,
        signers=("审核人",),
        fields=(
            *_party(identity=False),
            *_case(),
            F("materials", "审核材料", T.TEXTAREA, required=True),
            F(
                "review",
                "审核内容（主体、事实、证据、程序、法律适用、裁量）",
                T.TEXTAREA,
                required=True,
            ),
            F(
                "result",
                "审核结论",
                T.CHOICE,
                required=True,
                choices=("同意", "修改后同意", "不同意，补充调查"),
            ),
            F("opinion", "审核意见", T.TEXTAREA, required=True),
            F("reviewed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        code="collective_discussion_record",
        title="集体讨论记录",
        kind=Kind.RECORD,
        stage=DECISION,
        national=False,
        paginated=True,
        signers=("主持人", "记录人", "参加人员"),
        fields=(
            *_party(identity=False),
            *_case(),
            F("held_at", "讨论时间", T.DATETIME, required=True),
            F("place", "讨论地点", required=True),
            F("chair", "主持人", required=True),
            F("attendees", "参加人员", T.TEXTAREA, required=True),
            _recorder(),
            F("experts", "列席的专家或者法律顾问"),
            F("report", "案情汇报", T.TEXTAREA, required=True),
            F("opinions", "讨论意见", T.TEXTAREA, required=True),
            F("conclusion", "讨论决定", T.TEXTAREA, required=True),
        ),
    ),
    FormSpec(
        code="statement_defence_transcript",
        title="陈述申辩笔录",
        kind=Kind.RECORD,
        stage=DECISION,
        national=False,
        signature=True,
        signers=("陈述申辩人", "执法人员", "记录人"),
        paginated=True,
        fields=(
            *_party(identity=False),
            *_session("陈述申辩", "地点"),
            _officers(),
            _recorder(),
            F("speaker", "陈述申辩人", required=True, prefill="party.person"),
            F("speaker_id_number", "身份证号码", prefill="party.person_id"),
            F("relation", "与当事人关系", prefill="party.relation"),
            F("notice_number", "行政处罚事先告知书文号"),
            F("content", "陈述申辩内容", T.TEXTAREA, required=True),
        ),
    ),
    FormSpec(
        code="rights_waiver",
        title="权利放弃记录",
        kind=Kind.RECORD,
        stage=DECISION,
        national=False,
        signature=True,
        signers=("当事人", "执法人员"),
        fields=(
            *_party(identity=False),
            _case_title(),
            F("notice_number", "行政处罚事先告知书文号"),
            F("notified_on", "告知日期", T.DATE, prefill="notice.notified_on"),
            F("rights", "放弃的权利（陈述、申辩、听证）", required=True),
            F("statement", "当事人声明", T.TEXTAREA, required=True),
            F("recorded_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        code="service_address_confirmation",
        title="送达地址确认书",
        kind=Kind.RECORD,
        stage=INVESTIGATION,
        receipt_role=ReceiptRole.ADDRESS_CONFIRMATION,
        national=False,
        signature=True,
        signers=("受送达人",),
        fields=(
            *_party(identity=False),
            F("case_number", "案号", prefill="case.number"),
            F("address", "送达地址", required=True, prefill="party.address"),
            F("postcode", "邮政编码"),
            F("recipient", "收件人", prefill="party.person"),
            F("phone", "联系电话", prefill="party.phone"),
            F("email", "电子邮箱"),
            F("fax", "传真号码"),
            # R10.1: electronic service needs the party's consent.
            F(
                "electronic_consent",
                "是否同意电子送达",
                T.CHOICE,
                required=True,
                choices=("同意", "不同意"),
            ),
            F("confirmed_on", "日期", T.DATE, required=True, prefill="today"),
        ),
    ),
    FormSpec(
        code="seizure_extension_decision",
        title="延长查封（扣押）期限决定书",
        # 行政强制法 Art. 25: extended once, approved by the head, the party told in writing
        # with the reason; the period is checked against the rule (``issuing.periods``).
        kind=Kind.SERVED,
        # It decides on the party's goods anew, with remedies: an enforcement decision,
        # never served electronically (regulation Art. 10(四)).
        enforcement_decision=True,
        number_kind="延封",
        stage=INVESTIGATION,
        activity_types=("seizure",),
        national=False,
        sealed=True,
        fields=(
            *_party(),
            F("seizure_number", "查封（扣押）决定书文号", required=True),
            F("original_period_to", "原查封（扣押）期限至", T.DATE, required=True),
            F("extended_to", "延长至", T.DATE, required=True),
            F("reason", "延长理由", T.TEXTAREA, required=True),
            _remedies(),
            *_issuer(),
        ),
    ),
    FormSpec(
        code="document_correction",
        title="文书补正书",
        # Drafting rules: an error found after service is corrected in writing (补正).
        kind=Kind.SERVED,
        written_correction=True,
        # Not flagged itself: a correction of an enforcement decision shares the
        # decision's bar on electronic service (``delivery.service.modes``).
        number_kind="补",
        stage=SERVICE,
        national=False,
        sealed=True,
        fields=(
            *_party(identity=False),
            F("original_number", "原文书文号", required=True),
            F("original_title", "原文书名称", required=True),
            F("corrected_item", "补正事项", T.TEXTAREA, required=True),
            F("corrected_text", "补正后的内容", T.TEXTAREA, required=True),
            *_issuer(),
        ),
    ),
)
