//! The specs of every record type. This file is the one place that says which fields a
//! record type has, their kinds, and what is required when.

use super::spec::{
    CatalogScope::*, Choices, Cond, FieldKind::*, FieldSpec, OneOf, Req, Scale, Spec,
};
use crate::domain::{Map, RecordType, RecordType as T, Settings, dates::parse_date};

/// A field's spec, shortly (the settings' fields are declared with it too).
pub(super) const fn field(
    name: &'static str,
    label: &'static str,
    kind: super::spec::FieldKind,
    req: Req,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind,
        req,
        help,
    }
}

use Req::{Always, Optional, Unless, When};

// ---- shared fields ------------------------------------------------------------------------

pub const LINK_FIELDS: [FieldSpec; 2] = [
    field("label", "Label", Text, Optional, "what the evidence is"),
    field(
        "target",
        "Path or URL",
        Text,
        Always,
        "a path under the workspace (evidence/...) or a URL",
    ),
];

const REVIEW_LOG_FIELDS: [FieldSpec; 3] = [
    field("date", "Date", Date, Always, "when the review happened"),
    field("by", "By", Person, Always, "who reviewed"),
    field(
        "note",
        "Note",
        Text,
        Optional,
        "what was concluded or changed",
    ),
];

pub const REVIEW_FIELDS: [FieldSpec; 3] = [
    field(
        "last_reviewed",
        "Last reviewed",
        Date,
        Optional,
        "date of the last review",
    ),
    field(
        "next_review",
        "Next review",
        Date,
        Optional,
        "when absent: last reviewed + the type's cadence",
    ),
    field(
        "reviews",
        "Review log",
        Table(&REVIEW_LOG_FIELDS),
        Optional,
        "append-only: date, by, note",
    ),
];

const HISTORY_FIELDS: [FieldSpec; 3] = [
    field("date", "Date", Date, Always, "when the change was made"),
    field("by", "By", Person, Always, "who made it"),
    field("note", "Change", Text, Always, "what changed and why"),
];

pub const TAIL_FIELDS: [FieldSpec; 3] = [
    field(
        "links",
        "Evidence links",
        Links,
        Optional,
        "evidence: path or URL with a label",
    ),
    field(
        "notes",
        "Notes",
        LongText,
        Optional,
        "anything else worth keeping",
    ),
    field(
        "history",
        "Change log",
        Table(&HISTORY_FIELDS),
        Optional,
        "append-only: reschedules and reassignments, with the reason",
    ),
];

// ---- AI system ----------------------------------------------------------------------------

pub const ROLE_CHOICES: Choices = &[
    ("provider", "makes the AI system available to others"),
    ("producer", "designs and develops it"),
    ("customer", "acquires it or its outputs"),
    ("user", "deploys and operates it"),
    ("partner", "supplies components, data or integration"),
    ("subject", "is affected by its decisions"),
];
const LIFECYCLE: Choices = &[
    ("inception", "idea and business case"),
    ("design", "requirements and design"),
    ("development", "being built or trained"),
    ("verification", "verification and validation"),
    ("deployment", "being rolled out"),
    ("operation", "in production, monitored"),
    ("retired", "withdrawn from use"),
];
const PROVENANCE: Choices = &[
    ("in-house", "built and trained by us"),
    ("third-party", "a vendor's product or model"),
    (
        "foundation-model-api",
        "a general-purpose model reached over an API",
    ),
];
pub const RISK_TIERS: Choices = &[
    ("minimal", "little potential for harm"),
    ("limited", "transparency duties, moderate harm possible"),
    (
        "high",
        "significant effect on people's rights, safety or livelihood",
    ),
];

const CHANGE_KINDS: Choices = &[
    ("model-version", "a new model version or retraining"),
    ("training-data", "new or different training data"),
    ("purpose", "a new or widened intended use"),
    ("provenance", "a new supplier or model source"),
    ("deployment", "a new environment, market or user group"),
    ("stage", "a lifecycle stage change"),
    ("other", "any other change"),
];
const CHANGE_FIELDS: [FieldSpec; 4] = [
    field("date", "Date", Date, Always, "when the change took effect"),
    field("kind", "Kind", Enum(CHANGE_KINDS), Always, "what changed"),
    field(
        "material",
        "Material",
        Bool,
        Always,
        "does it change the system's risks or impacts?",
    ),
    field("note", "Note", Text, Optional, "what changed and why"),
];

const SYSTEM_FIELDS: [FieldSpec; 19] = [
    field("id", "Id", Text, Always, "SYS-001"),
    field("name", "Name", Text, Always, "what people call the system"),
    field(
        "purpose",
        "Purpose (intended use)",
        LongText,
        Always,
        "what it is for and who relies on it",
    ),
    field(
        "roles",
        "Roles held",
        EnumList(ROLE_CHOICES),
        Always,
        "our roles for this system (list)",
    ),
    field("owner", "Owner", Person, Always, "the accountable person"),
    field(
        "lifecycle_stage",
        "Lifecycle stage",
        Enum(LIFECYCLE),
        Always,
        "where it is in its life cycle",
    ),
    field(
        "deployment_environment",
        "Deployment environment",
        Text,
        Always,
        "where and how it runs",
    ),
    field(
        "data_inputs",
        "Data inputs",
        TextList,
        Always,
        "the data it consumes",
    ),
    field(
        "personal_data",
        "Personal data",
        Bool,
        Always,
        "does it process personal data?",
    ),
    field(
        "provenance",
        "Model provenance",
        Enum(PROVENANCE),
        Always,
        "who built the model",
    ),
    field(
        "risk_tier",
        "Risk tier",
        Enum(RISK_TIERS),
        Always,
        "how much harm it could do",
    ),
    field(
        "human_oversight",
        "Human oversight",
        LongText,
        Always,
        "who can intervene, and how",
    ),
    field(
        "suppliers",
        "Suppliers",
        RefList(&[T::Supplier]),
        When(Cond::In(
            "provenance",
            &["third-party", "foundation-model-api"],
        )),
        "the supplier records of the model or service",
    ),
    field(
        "lawful_basis",
        "Lawful basis",
        Text,
        Optional,
        "the lawful basis for the personal data",
    ),
    field(
        "dpia",
        "DPIA",
        Text,
        Optional,
        "path or URL of the data protection impact assessment",
    ),
    field(
        "retired_on",
        "Retired on",
        Date,
        When(Cond::Eq("lifecycle_stage", "retired")),
        "date of retirement",
    ),
    field(
        "documents",
        "Documents",
        RefList(&[T::Document]),
        Optional,
        "model card and technical documentation",
    ),
    field(
        "datasets",
        "Datasets",
        RefList(&[T::Dataset]),
        Optional,
        "the datasets it is trained, tested or fed with",
    ),
    field(
        "changes",
        "Changes",
        Table(&CHANGE_FIELDS),
        Optional,
        "append-only: date, kind, material, note",
    ),
];

// ---- AI risk ------------------------------------------------------------------------------

pub const RISK_CATEGORIES: Choices = &[
    ("bias-fairness", "unfair outcomes for people or groups"),
    ("privacy", "misuse or exposure of personal data"),
    ("security", "attacks on the model, data or pipeline"),
    ("safety", "physical or psychological harm"),
    ("transparency", "decisions that cannot be explained"),
    ("robustness", "drift, degradation, unexpected inputs"),
    ("accountability", "unclear ownership or oversight"),
    ("environmental", "energy, water and hardware footprint"),
    ("human-rights", "effects on fundamental rights"),
    ("legal", "regulatory or contractual breach"),
    ("third-party", "dependence on suppliers and their models"),
];
const TREATMENTS: Choices = &[
    ("mitigate", "reduce it with controls"),
    ("avoid", "stop the activity that causes it"),
    ("transfer", "share it, e.g. by contract or insurance"),
    ("accept", "keep it, formally accepted"),
];
const RISK_STATUS: Choices = &[
    ("identified", "recorded, not yet treated"),
    ("treating", "treatment under way"),
    ("monitoring", "treated, being watched"),
    ("closed", "no longer applies"),
];

/// The residual score (or the inherent one when no residual is recorded).
pub fn residual_score(fields: &Map) -> Option<u32> {
    let l = fields
        .int("residual_likelihood")
        .or(fields.int("likelihood"))?;
    let i = fields.int("residual_impact").or(fields.int("impact"))?;
    score(l, i)
}

pub fn inherent_score(fields: &Map) -> Option<u32> {
    score(fields.int("likelihood")?, fields.int("impact")?)
}

/// likelihood × impact, or `None` for values no scale has (the check reports those).
fn score(l: i64, i: i64) -> Option<u32> {
    let in_range = |x: i64| (1..=100).contains(&x);
    (in_range(l) && in_range(i)).then(|| (l * i) as u32)
}

fn needs_acceptance(fields: &Map, settings: &Settings) -> bool {
    if fields.text("treatment").as_deref() == Some("accept") {
        return true;
    }
    let under_treatment = fields.text("status").as_deref() == Some("treating");
    let closed = fields.text("status").as_deref() == Some("closed");
    !under_treatment
        && !closed
        && residual_score(fields).is_some_and(|s| settings.risk.above_appetite(s))
}

const ACCEPTANCE: Cond = Cond::Custom(
    needs_acceptance,
    "treatment is accept, or the residual risk is above appetite and not being treated",
);

const RISK_FIELDS: [FieldSpec; 20] = [
    field("id", "Id", Text, Always, "RISK-001"),
    field("title", "Title", Text, Always, "the risk in a few words"),
    field(
        "description",
        "Description",
        LongText,
        Always,
        "cause, event and consequence",
    ),
    field(
        "systems",
        "Affected systems",
        RefList(&[T::System]),
        Unless(Cond::IsTrue("org_wide")),
        "the AI systems it affects (or set org-wide)",
    ),
    field(
        "org_wide",
        "Organization-wide",
        Bool,
        Optional,
        "affects the whole organization",
    ),
    field(
        "category",
        "Category",
        Enum(RISK_CATEGORIES),
        Always,
        "the kind of harm",
    ),
    field(
        "likelihood",
        "Likelihood",
        Score(Scale::Likelihood),
        Always,
        "inherent likelihood",
    ),
    field(
        "impact",
        "Impact",
        Score(Scale::Impact),
        Always,
        "inherent impact",
    ),
    field(
        "residual_likelihood",
        "Residual likelihood",
        Score(Scale::Likelihood),
        Optional,
        "after treatment",
    ),
    field(
        "residual_impact",
        "Residual impact",
        Score(Scale::Impact),
        Optional,
        "after treatment",
    ),
    field(
        "treatment",
        "Treatment",
        Enum(TREATMENTS),
        Always,
        "how the risk is handled",
    ),
    field(
        "controls",
        "Annex A controls",
        CatalogList(Control),
        When(Cond::Eq("treatment", "mitigate")),
        "the controls that treat it",
    ),
    field(
        "treatment_plan",
        "Treatment plan",
        LongText,
        When(Cond::Eq("treatment", "mitigate")),
        "what will be done, by whom",
    ),
    field(
        "treatment_due",
        "Treatment due",
        Date,
        When(Cond::Eq("treatment", "mitigate")),
        "when the plan is done",
    ),
    field(
        "accepted_by",
        "Accepted by",
        Person,
        When(ACCEPTANCE),
        "who accepted the risk",
    ),
    field(
        "accepted_on",
        "Accepted on",
        Date,
        When(ACCEPTANCE),
        "when it was accepted",
    ),
    field(
        "acceptance_rationale",
        "Acceptance rationale",
        LongText,
        When(ACCEPTANCE),
        "why it is acceptable",
    ),
    field(
        "accepted_until",
        "Accepted until",
        Date,
        Optional,
        "when the acceptance must be renewed (default: accepted on + risk_method.acceptance_valid)",
    ),
    field("owner", "Owner", Person, Always, "the accountable person"),
    field(
        "status",
        "Status",
        Enum(RISK_STATUS),
        Always,
        "where the risk stands",
    ),
];

// ---- impact assessment --------------------------------------------------------------------

const PARTY_KINDS: Choices = &[
    ("individuals", "individual people"),
    ("groups", "groups of people"),
    ("society", "society at large"),
];
pub const LEVELS: Choices = &[("low", "low"), ("medium", "medium"), ("high", "high")];
const PARTY_FIELDS: [FieldSpec; 5] = [
    field("party", "Party", Text, Always, "who is affected"),
    field(
        "kind",
        "Kind",
        Enum(PARTY_KINDS),
        Always,
        "individuals, groups or society",
    ),
    field("impact", "Impact", Text, Always, "how they are affected"),
    field(
        "severity",
        "Severity",
        Enum(LEVELS),
        Always,
        "how bad it would be",
    ),
    field(
        "likelihood",
        "Likelihood",
        Enum(LEVELS),
        Always,
        "how likely",
    ),
];
const IA_STATUS: Choices = &[
    ("draft", "being written"),
    ("in-review", "awaiting approval"),
    ("approved", "approved and in force"),
    ("superseded", "replaced by a newer version"),
];
const IA_FIELDS: [FieldSpec; 17] = [
    field("id", "Id", Text, Always, "IA-001"),
    field(
        "system",
        "System",
        Ref(&[T::System]),
        Always,
        "the AI system assessed",
    ),
    field("version", "Version", Text, Always, "e.g. 2.0"),
    field("assessor", "Assessor", Person, Always, "who performed it"),
    field(
        "performed_on",
        "Performed on",
        Date,
        Always,
        "date performed",
    ),
    field(
        "intended_use",
        "Intended use",
        LongText,
        Always,
        "what the system is meant for",
    ),
    field(
        "foreseeable_misuse",
        "Foreseeable misuse",
        LongText,
        Always,
        "how it could be misused",
    ),
    field(
        "affected_parties",
        "Affected parties",
        Table(&PARTY_FIELDS),
        Always,
        "who is affected, how badly",
    ),
    field(
        "mitigations",
        "Mitigations",
        LongText,
        Always,
        "what reduces the impacts",
    ),
    field("conclusion", "Conclusion", LongText, Always, "the verdict"),
    field(
        "status",
        "Status",
        Enum(IA_STATUS),
        Always,
        "draft, in review, approved",
    ),
    field(
        "approved_by",
        "Approved by",
        Person,
        When(Cond::Eq("status", "approved")),
        "who approved it",
    ),
    field(
        "approved_on",
        "Approved on",
        Date,
        When(Cond::Eq("status", "approved")),
        "when",
    ),
    field(
        "next_refresh",
        "Next refresh",
        Date,
        Optional,
        "when it must be redone",
    ),
    field(
        "refresh_trigger",
        "Refresh trigger",
        Text,
        Optional,
        "the change that forces a redo",
    ),
    field(
        "supersedes",
        "Supersedes",
        Ref(&[T::ImpactAssessment]),
        Optional,
        "the version it replaces",
    ),
    field(
        "org_wide",
        "Organization-wide",
        Bool,
        Optional,
        "a generic assessment; it does not count as any one system's",
    ),
];

// ---- SoA entry ----------------------------------------------------------------------------

const SOA_STATUS: Choices = &[
    ("not-assessed", "applicability not yet decided"),
    ("planned", "applicable, work not started"),
    ("in-progress", "being implemented"),
    ("implemented", "in place, with evidence"),
    ("inherited", "provided by another party or framework"),
    ("excluded", "not applicable, with a justification"),
];
const NOT_ASSESSED: Cond = Cond::Eq("status", "not-assessed");
/// An implemented control needs evidence: its own links, or ISMS evidence it inherits.
const IMPLEMENTED_WITHOUT_ISMS: Cond = Cond::Custom(
    |f, _| {
        f.text("status").as_deref() == Some("implemented") && f.texts("inherited_isms").is_empty()
    },
    "status is implemented and no ISMS evidence is inherited",
);
const SOA_FIELDS: [FieldSpec; 10] = [
    field("id", "Control", Text, Always, "the Annex A control id"),
    field(
        "status",
        "Status",
        Enum(SOA_STATUS),
        Always,
        "implementation status",
    ),
    field(
        "applicable",
        "Applicable",
        Bool,
        Unless(NOT_ASSESSED),
        "does the control apply?",
    ),
    field(
        "justification",
        "Justification",
        LongText,
        Unless(NOT_ASSESSED),
        "why it is (or is not) applicable",
    ),
    field(
        "owner",
        "Owner",
        Person,
        When(Cond::IsTrue("applicable")),
        "who runs the control",
    ),
    field(
        "implementation",
        "Implementation",
        LongText,
        When(Cond::IsTrue("applicable")),
        "how the control is implemented",
    ),
    field(
        "inherited_from",
        "Inherited from",
        Text,
        When(Cond::Eq("status", "inherited")),
        "who provides it",
    ),
    // One evidence set serves both management systems: the entry names the ISO/IEC 27001
    // Annex A controls whose ISMS evidence it relies on; `aims check` holds them to the
    // crosswalk (`inherited-isms-evidence`).
    field(
        "inherited_isms",
        "ISMS evidence (27001)",
        TextList,
        Optional,
        "ISO/IEC 27001 Annex A controls whose evidence serves this one too",
    ),
    field(
        "documents",
        "Documents",
        RefList(&[T::Document]),
        Optional,
        "the policies and procedures behind it",
    ),
    field(
        "links",
        "Evidence links",
        Links,
        When(IMPLEMENTED_WITHOUT_ISMS),
        "evidence that it is in place",
    ),
];

// ---- internal audit -----------------------------------------------------------------------

pub const AUDIT_RESULTS: Choices = &[
    ("conforming", "the requirement is met"),
    ("minor-nc", "minor nonconformity"),
    ("major-nc", "major nonconformity"),
    ("observation", "met, with a point to watch"),
    ("ofi", "opportunity for improvement"),
    ("not-audited", "not audited (say why in notes)"),
];
const CHECKLIST_FIELDS: [FieldSpec; 5] = [
    field(
        "ref",
        "Requirement",
        Catalog(ClauseOrControl),
        Always,
        "clause or control id",
    ),
    field(
        "result",
        "Result",
        Enum(AUDIT_RESULTS),
        Optional,
        "the audit result",
    ),
    field(
        "notes",
        "Notes",
        LongText,
        When(Cond::Eq("result", "not-audited")),
        "what was seen",
    ),
    field(
        "evidence",
        "Evidence sampled",
        Links,
        Optional,
        "what was looked at",
    ),
    field(
        "nc",
        "Nonconformity",
        Ref(&[T::Nonconformity]),
        Optional,
        "the NC raised for a minor or major NC result",
    ),
];
const AUDIT_STATUS: Choices = &[
    ("planned", "scheduled"),
    ("in-progress", "being performed"),
    ("completed", "all items have a result"),
    ("cancelled", "called off"),
];
const AUDIT_FIELDS: [FieldSpec; 14] = [
    field("id", "Id", Text, Always, "AUD-2026-01"),
    field("title", "Title", Text, Always, "e.g. 2026 internal audit"),
    field("scope", "Scope", LongText, Always, "what the audit covers"),
    field(
        "lead_auditor",
        "Lead auditor",
        Person,
        Always,
        "who leads it",
    ),
    field(
        "auditors",
        "Auditors",
        PersonList,
        Optional,
        "the audit team",
    ),
    field(
        "auditees",
        "Auditees",
        PersonList,
        Optional,
        "who is interviewed",
    ),
    field("planned_on", "Planned on", Date, Always, "the planned date"),
    field(
        "status",
        "Status",
        Enum(AUDIT_STATUS),
        Always,
        "planned, in progress, completed",
    ),
    field(
        "started_on",
        "Started on",
        Date,
        Optional,
        "when the walk began",
    ),
    field(
        "completed_on",
        "Completed on",
        Date,
        When(Cond::Eq("status", "completed")),
        "when it was completed",
    ),
    // Optional so that older files still load; a completed audit without them is the
    // `audit-sign-off` warning, and completing in the walk asks for them.
    field(
        "conclusion",
        "Conclusion",
        LongText,
        Optional,
        "the audit's overall conclusion, for the report",
    ),
    field(
        "signed_off_by",
        "Signed off by",
        Person,
        Optional,
        "the lead auditor who signed the audit off",
    ),
    field(
        "signed_off_on",
        "Signed off on",
        Date,
        Optional,
        "when it was signed off",
    ),
    field(
        "checklist",
        "Checklist",
        Table(&CHECKLIST_FIELDS),
        When(Cond::In("status", &["in-progress", "completed"])),
        "one item per requirement",
    ),
];

// ---- nonconformity ------------------------------------------------------------------------

const NC_SOURCES: Choices = &[
    ("audit", "found in one of our internal audits"),
    (
        "external-audit",
        "found by a certification body or customer audit",
    ),
    ("incident", "revealed by an AI incident"),
    ("review", "found in a management review"),
    ("complaint", "raised by a complaint"),
    ("other", "any other source"),
    ("monitoring", "a monitoring metric crossed its threshold"),
];
const EXTERNAL_AUDIT_TYPES: Choices = &[
    ("stage-1", "certification stage 1 (documentation review)"),
    ("stage-2", "certification stage 2 (implementation)"),
    ("surveillance", "a surveillance audit"),
    ("recertification", "a recertification audit"),
    ("customer", "an audit by a customer"),
    ("other", "any other external audit"),
];
const NC_SEVERITY: Choices = &[
    ("minor", "an isolated lapse"),
    ("major", "a systemic failure or missing requirement"),
];
const NC_STATUS: Choices = &[
    ("open", "raised, no action yet"),
    ("in-progress", "corrective action under way"),
    ("verifying", "action done, effectiveness being checked"),
    ("closed", "effectiveness verified"),
];
const CLOSED: Cond = Cond::Eq("status", "closed");
const NC_FIELDS: [FieldSpec; 19] = [
    field("id", "Id", Text, Always, "NC-001"),
    field(
        "source",
        "Source",
        Enum(NC_SOURCES),
        Always,
        "where it was found",
    ),
    field(
        "source_ref",
        "Source reference",
        Text,
        Always,
        "the audit, incident or review id; for an external audit, the report reference",
    ),
    field(
        "audit_body",
        "Audit body",
        Text,
        When(Cond::Eq("source", "external-audit")),
        "the certification body or customer that audited",
    ),
    field(
        "audit_type",
        "External audit type",
        Enum(EXTERNAL_AUDIT_TYPES),
        When(Cond::Eq("source", "external-audit")),
        "stage 1, stage 2, surveillance...",
    ),
    field(
        "raised_on",
        "Raised on",
        Date,
        Optional,
        "when it was raised",
    ),
    field(
        "audit_item",
        "Audit item",
        Catalog(ClauseOrControl),
        Optional,
        "the checklist item it came from",
    ),
    field(
        "requirement",
        "Requirement",
        Catalog(ClauseOrControl),
        Always,
        "the clause or control not met",
    ),
    field(
        "severity",
        "Severity",
        Enum(NC_SEVERITY),
        Always,
        "minor or major",
    ),
    field(
        "description",
        "Description",
        LongText,
        Always,
        "what was found, with the evidence",
    ),
    field("owner", "Owner", Person, Always, "who corrects it"),
    field(
        "due",
        "Due",
        Date,
        Always,
        "when the corrective action is due",
    ),
    field(
        "status",
        "Status",
        Enum(NC_STATUS),
        Always,
        "open, in progress, verifying, closed",
    ),
    field(
        "correction",
        "Correction",
        LongText,
        Optional,
        "the immediate fix",
    ),
    field(
        "root_cause",
        "Root cause",
        LongText,
        When(CLOSED),
        "why it happened",
    ),
    field(
        "corrective_action",
        "Corrective action",
        LongText,
        When(CLOSED),
        "what stops it recurring",
    ),
    field(
        "verified_by",
        "Effectiveness verified by",
        Person,
        When(CLOSED),
        "who verified it worked",
    ),
    field("verified_on", "Verified on", Date, When(CLOSED), "when"),
    field(
        "closed_on",
        "Closed on",
        Date,
        When(CLOSED),
        "when it was closed",
    ),
];

// ---- incident -----------------------------------------------------------------------------

const INCIDENT_TYPES: Choices = &[
    ("model-degradation", "performance drifted or degraded"),
    ("jailbreak", "safeguards bypassed"),
    ("prompt-injection", "instructions smuggled in through input"),
    ("adversarial-input", "inputs crafted to fool the model"),
    ("hallucination", "confident false output at scale"),
    ("bias", "unfair outcomes observed"),
    ("privacy", "personal data exposed or misused"),
    ("outage", "the system was unavailable"),
    ("other", "anything else"),
];
pub const SEVERITY4: Choices = &[
    ("low", "little effect"),
    ("medium", "noticeable effect, contained"),
    ("high", "serious effect on people or the business"),
    ("critical", "severe harm or regulatory exposure"),
];
const INCIDENT_STATUS: Choices = &[
    ("open", "reported"),
    ("investigating", "being investigated"),
    ("resolved", "fixed, lessons pending"),
    ("closed", "lessons learned recorded"),
];
const REPORTING_STATUS: Choices = &[
    ("pending", "must be reported, not yet done"),
    ("reported", "reported to the authority or customer"),
    ("not-required", "no external report is required"),
];
const INCIDENT_FIELDS: [FieldSpec; 19] = [
    field("id", "Id", Text, Always, "INC-001"),
    field(
        "title",
        "Title",
        Text,
        Optional,
        "the incident in a few words",
    ),
    field(
        "system",
        "System",
        Ref(&[T::System]),
        Always,
        "the AI system involved",
    ),
    field(
        "occurred_on",
        "Occurred on",
        Date,
        Always,
        "when it happened",
    ),
    field(
        "type",
        "Type",
        Enum(INCIDENT_TYPES),
        Always,
        "what kind of incident",
    ),
    field(
        "severity",
        "Severity",
        Enum(SEVERITY4),
        Always,
        "how serious",
    ),
    field(
        "description",
        "Description",
        LongText,
        Always,
        "what happened",
    ),
    field("owner", "Owner", Person, Always, "who handles it"),
    field(
        "status",
        "Status",
        Enum(INCIDENT_STATUS),
        Always,
        "where it stands",
    ),
    field(
        "external_reporting_required",
        "External reporting required",
        Bool,
        Always,
        "must a regulator or customer be told?",
    ),
    field(
        "reporting_status",
        "Reporting status",
        Enum(REPORTING_STATUS),
        Optional,
        "pending, reported or not required (default: pending when reporting is required and no report is recorded)",
    ),
    field(
        "regimes",
        "Reporting regimes",
        TextList,
        Optional,
        "ids of reporting_regimes in aims.yaml, e.g. [eu-ai-act, gdpr]",
    ),
    field(
        "aware_on",
        "Aware on",
        Date,
        Optional,
        "when we became aware (default: occurred on); the regulator's clock starts here",
    ),
    field(
        "report_facts",
        "Reporting facts",
        TextList,
        Optional,
        "facts that shorten a deadline, e.g. [death], [critical-infrastructure]",
    ),
    field(
        "reported_to",
        "Reported to",
        Text,
        When(Cond::Eq("reporting_status", "reported")),
        "who was told",
    ),
    field(
        "reported_on",
        "Reported on",
        Date,
        When(Cond::Eq("reporting_status", "reported")),
        "when",
    ),
    field(
        "resolved_on",
        "Resolved on",
        Date,
        Optional,
        "when it was resolved",
    ),
    field(
        "lessons_learned",
        "Lessons learned",
        LongText,
        When(CLOSED),
        "what changes because of it",
    ),
    field(
        "nonconformity",
        "Nonconformity",
        Ref(&[T::Nonconformity]),
        Optional,
        "the NC raised from it",
    ),
];

// ---- supplier -----------------------------------------------------------------------------

const DUE_DILIGENCE_FIELDS: [FieldSpec; 5] = [
    field(
        "model_provenance",
        "Model provenance",
        LongText,
        Always,
        "who built the model, and how",
    ),
    field(
        "training_data_origin",
        "Training-data origin",
        LongText,
        Always,
        "where its training data came from",
    ),
    field(
        "performance_claims",
        "Performance claims",
        LongText,
        Always,
        "what accuracy or quality they claim, and proof",
    ),
    field(
        "ip_terms",
        "IP terms",
        LongText,
        Always,
        "who owns inputs, outputs, fine-tunes",
    ),
    field(
        "contract_terms",
        "Contract terms",
        LongText,
        Always,
        "data use, audit rights, notice of changes",
    ),
];
pub const AI_SERVICES: Choices = &[
    ("model-api", "a model reached over an API"),
    ("ai-product", "a product with AI inside"),
    ("platform", "hosting, compute or ML platform"),
    ("data", "data or labelling"),
    ("other", "anything else"),
];
const SUPPLIER_FIELDS: [FieldSpec; 7] = [
    field("id", "Id", Text, Always, "SUP-001"),
    field("name", "Name", Text, Always, "the supplier's name"),
    field(
        "services",
        "Services",
        LongText,
        Always,
        "what they provide",
    ),
    field(
        "systems",
        "Systems using it",
        RefList(&[T::System]),
        Always,
        "our systems that depend on it",
    ),
    field(
        "owner",
        "Owner",
        Person,
        Always,
        "who manages the relationship",
    ),
    field(
        "due_diligence",
        "AI due diligence",
        Group(&DUE_DILIGENCE_FIELDS),
        Always,
        "what we checked",
    ),
    field(
        "ai_service",
        "AI service",
        Enum(AI_SERVICES),
        Optional,
        "what kind of AI service it provides",
    ),
];

// ---- management review --------------------------------------------------------------------

const HELD: Cond = Cond::Eq("status", "held");

/// True when the inputs group links any record under one of `keys`: the free-text input
/// beside those links is then optional (the links are the input). Old reviews that only
/// have the free text stay valid and readable.
fn links_any(inputs: &Map, keys: &[&str]) -> bool {
    keys.iter().any(|k| !inputs.texts(k).is_empty())
}
const PREVIOUS_LINKED: Cond = Cond::Custom(
    |m, _| links_any(m, &["previous_reviews"]),
    "previous reviews are linked",
);
const CONTEXT_LINKED: Cond = Cond::Custom(
    |m, _| links_any(m, &["context_issues"]),
    "context issues are linked",
);
const PARTIES_LINKED: Cond = Cond::Custom(
    |m, _| links_any(m, &["parties"]),
    "interested parties are linked",
);
const PERFORMANCE_LINKED: Cond = Cond::Custom(
    |m, _| {
        links_any(
            m,
            &[
                "metrics",
                "audits",
                "nonconformities",
                "incidents",
                "objectives",
                "risks",
            ],
        )
    },
    "metrics, audits, NCs, incidents, objectives or risks are linked",
);
const AUDITS_LINKED: Cond = Cond::Custom(
    |m, _| links_any(m, &["audits"]),
    "audits (with their observations and OFIs) are linked",
);
/// The inputs of ISO/IEC 42001 9.3.2: each as the records reviewed (links, checked like
/// every reference) and, beside them, what was said about them (free text, required only
/// where nothing is linked).
const MR_INPUT_FIELDS: [FieldSpec; 14] = [
    field(
        "previous_actions",
        "Status of previous actions",
        LongText,
        Unless(PREVIOUS_LINKED),
        "actions from the last review",
    ),
    field(
        "previous_reviews",
        "Previous reviews",
        RefList(&[T::ManagementReview]),
        Optional,
        "the reviews whose actions were followed up",
    ),
    field(
        "internal_external_issues",
        "Changes in issues",
        LongText,
        Unless(CONTEXT_LINKED),
        "internal and external issues",
    ),
    field(
        "context_issues",
        "Context issues",
        RefList(&[T::ContextIssue]),
        Optional,
        "the context issues (4.1) added or changed",
    ),
    field(
        "interested_parties",
        "Interested parties",
        LongText,
        Unless(PARTIES_LINKED),
        "changed needs and expectations",
    ),
    field(
        "parties",
        "Interested party records",
        RefList(&[T::InterestedParty]),
        Optional,
        "the interested parties (4.2) whose needs changed",
    ),
    field(
        "performance",
        "AIMS performance",
        LongText,
        Unless(PERFORMANCE_LINKED),
        "NCs, monitoring, audit results, objectives",
    ),
    field(
        "metrics",
        "Metrics",
        RefList(&[T::Metric]),
        Optional,
        "monitoring and measurement results (9.1)",
    ),
    field(
        "audits",
        "Audits",
        RefList(&[T::Audit]),
        Optional,
        "audit results of the period",
    ),
    field(
        "nonconformities",
        "Nonconformities",
        RefList(&[T::Nonconformity]),
        Optional,
        "NCs and corrective actions raised, open or closed in the period",
    ),
    field(
        "incidents",
        "Incidents",
        RefList(&[T::Incident]),
        Optional,
        "incidents of the period",
    ),
    field(
        "objectives",
        "Objectives",
        RefList(&[T::Objective]),
        Optional,
        "AI objectives and how far they are met",
    ),
    field(
        "risks",
        "Risks",
        RefList(&[T::Risk]),
        Optional,
        "risks added, rescored, accepted or closed",
    ),
    field(
        "improvement_opportunities",
        "Improvement opportunities",
        LongText,
        Unless(AUDITS_LINKED),
        "for continual improvement",
    ),
];
const ACTION_STATUS: Choices = &[("open", "to do"), ("done", "done")];
const MR_ACTION_FIELDS: [FieldSpec; 4] = [
    field("action", "Action", Text, Always, "what will be done"),
    field("owner", "Owner", Person, Always, "who does it"),
    field("due", "Due", Date, Always, "by when"),
    field(
        "status",
        "Status",
        Enum(ACTION_STATUS),
        Optional,
        "open or done",
    ),
];
const MR_STATUS: Choices = &[("planned", "scheduled"), ("held", "took place")];
const MR_FIELDS: [FieldSpec; 9] = [
    field("id", "Id", Text, Always, "MR-2026"),
    field(
        "title",
        "Title",
        Text,
        Optional,
        "e.g. 2026 management review",
    ),
    field("held_on", "Date", Date, Always, "when it is or was held"),
    field(
        "status",
        "Status",
        Enum(MR_STATUS),
        Always,
        "planned or held",
    ),
    field("chair", "Chair", Person, Optional, "who chaired it"),
    field(
        "attendees",
        "Attendees",
        PersonList,
        Always,
        "who took part",
    ),
    field(
        "inputs",
        "Inputs (9.3.2)",
        Group(&MR_INPUT_FIELDS),
        When(HELD),
        "what was reviewed",
    ),
    field(
        "decisions",
        "Decisions",
        TextList,
        When(HELD),
        "what was decided",
    ),
    field(
        "actions",
        "Actions",
        Table(&MR_ACTION_FIELDS),
        Optional,
        "each with owner and due date",
    ),
];

// ---- document -----------------------------------------------------------------------------

const DOC_KINDS: Choices = &[
    ("policy", "a policy"),
    ("procedure", "a procedure or method"),
    ("model-card", "a model card or technical documentation"),
    ("data-sheet", "a data sheet or dataset record"),
    ("plan", "a plan"),
    ("record", "a record"),
    ("report", "a report"),
    ("other", "anything else"),
];
const DOC_STATUS: Choices = &[
    ("draft", "being written"),
    ("approved", "in force"),
    ("retired", "withdrawn"),
];
const DOC_FIELDS: [FieldSpec; 11] = [
    field("id", "Id", Text, Always, "DOC-001"),
    field("title", "Title", Text, Always, "the document's title"),
    field(
        "kind",
        "Kind",
        Enum(DOC_KINDS),
        Always,
        "policy, procedure, model card...",
    ),
    field("version", "Version", Text, Always, "e.g. 2.1"),
    field("owner", "Owner", Person, Always, "who maintains it"),
    field(
        "approved_by",
        "Approved by",
        Person,
        Always,
        "who approved this version",
    ),
    field("approved_on", "Approved on", Date, Always, "when"),
    field(
        "location",
        "Location",
        Text,
        Always,
        "path or URL of the document",
    ),
    field(
        "status",
        "Status",
        Enum(DOC_STATUS),
        Optional,
        "draft, approved, retired",
    ),
    field(
        "systems",
        "Systems",
        RefList(&[T::System]),
        Optional,
        "the systems it documents",
    ),
    field(
        "controls",
        "Controls",
        CatalogList(ClauseOrControl),
        Optional,
        "the requirements it supports",
    ),
];

// ---- objective ----------------------------------------------------------------------------

const OBJECTIVE_STATUS: Choices = &[
    ("on-track", "on track"),
    ("at-risk", "at risk of being missed"),
    ("achieved", "achieved"),
    ("missed", "missed"),
];
const OBJECTIVE_FIELDS: [FieldSpec; 9] = [
    field("id", "Id", Text, Always, "OBJ-001"),
    field("title", "Title", Text, Always, "the objective"),
    field(
        "measure",
        "Measure",
        Text,
        Always,
        "how progress is measured",
    ),
    field("target", "Target", Text, Always, "the value to reach"),
    field("owner", "Owner", Person, Always, "who is accountable"),
    field("due", "Due", Date, Always, "by when"),
    field(
        "status",
        "Status",
        Enum(OBJECTIVE_STATUS),
        Optional,
        "on track, at risk...",
    ),
    field(
        "progress",
        "Progress",
        LongText,
        Optional,
        "where it stands",
    ),
    field(
        "controls",
        "Controls",
        CatalogList(ClauseOrControl),
        Optional,
        "the requirements it supports",
    ),
];

// ---- the registers of clauses 4, 7 and 9 ----------------------------------------------------

/// A register entry still in use, or no longer (kept for the record).
const REGISTER_STATUS: Choices = &[
    ("active", "current: in use or in force"),
    ("retired", "no longer applies; kept for the record"),
];

/// A log entry: something that happened, when, and who did it.
const LOG_FIELDS: [FieldSpec; 3] = [
    field("date", "Date", Date, Always, "when it happened"),
    field("by", "By", Person, Always, "who did it"),
    field("note", "Note", Text, Optional, "what was said or done"),
];

const ISSUE_KINDS: Choices = &[
    (
        "internal",
        "inside the organization: culture, skills, systems, strategy",
    ),
    (
        "external",
        "outside it: law, regulators, market, technology, society",
    ),
];
const CONTEXT_FIELDS: [FieldSpec; 7] = [
    field("id", "Id", Text, Always, "CTX-001"),
    field("title", "Title", Text, Always, "the issue in a few words"),
    field(
        "kind",
        "Internal or external",
        Enum(ISSUE_KINDS),
        Always,
        "internal or external",
    ),
    field(
        "description",
        "Description",
        LongText,
        Always,
        "what the issue is and where it comes from",
    ),
    field(
        "effect",
        "Effect on the AIMS",
        LongText,
        Always,
        "how it affects the AIMS's intended outcomes, and what we do about it",
    ),
    field("owner", "Owner", Person, Always, "who watches the issue"),
    field(
        "status",
        "Status",
        Enum(REGISTER_STATUS),
        Optional,
        "active or retired",
    ),
];

const REQUIREMENT_BASIS: Choices = &[
    ("legal", "set by law or regulation"),
    ("contractual", "set by a contract"),
    ("expectation", "an expectation we choose to meet"),
];
const REQUIREMENT_FIELDS: [FieldSpec; 2] = [
    field(
        "requirement",
        "Requirement",
        Text,
        Always,
        "what they need or expect of our AI",
    ),
    field(
        "basis",
        "Basis",
        Enum(REQUIREMENT_BASIS),
        Optional,
        "legal, contractual, or an expectation",
    ),
];
const PARTY_TYPES: Choices = &[
    ("customer", "customers and applicants"),
    ("regulator", "supervisors and authorities"),
    ("staff", "employees and their representatives"),
    ("owner", "shareholders, parent group, board"),
    ("supplier", "suppliers and partners"),
    ("society", "affected people, groups and society"),
    ("other", "anyone else"),
];
const INTERESTED_PARTY_FIELDS: [FieldSpec; 7] = [
    field("id", "Id", Text, Always, "IP-001"),
    field(
        "name",
        "Party",
        Text,
        Always,
        "who they are, e.g. Central Bank of Ireland",
    ),
    field(
        "kind",
        "Kind",
        Enum(PARTY_TYPES),
        Optional,
        "customer, regulator, staff...",
    ),
    field(
        "requirements",
        "Relevant requirements",
        Table(&REQUIREMENT_FIELDS),
        Always,
        "each requirement, legal, contractual or an expectation",
    ),
    field(
        "addressed",
        "How the AIMS addresses them",
        LongText,
        Always,
        "the policies, controls and records that meet them",
    ),
    field(
        "owner",
        "Owner",
        Person,
        Always,
        "who manages the relationship",
    ),
    field(
        "status",
        "Status",
        Enum(REGISTER_STATUS),
        Optional,
        "active or retired",
    ),
];

/// A competence record is dated: done on a date, or due on one (a new starter's first
/// training has only the due date).
const DATED: Cond = Cond::Custom(
    |_, _| true,
    "a competence record needs a completion or a due date",
);

const COMPETENCE_FIELDS: [FieldSpec; 10] = [
    field("id", "Id", Text, Always, "COMP-001"),
    field(
        "title",
        "Competence",
        Text,
        Always,
        "in a few words, e.g. Yearly AI-governance training",
    ),
    field("person", "Person", Person, Always, "who must have it"),
    field("role", "Role", Text, Always, "the role that needs it"),
    field(
        "required",
        "Required competence",
        LongText,
        Always,
        "what the role must know or be able to do",
    ),
    field(
        "evidence",
        "Evidence",
        Text,
        Always,
        "the training record, qualification or certificate",
    ),
    field(
        "completed_on",
        "Completed on",
        Date,
        Optional,
        "when the training or qualification was completed",
    ),
    field(
        "every",
        "Renewed every",
        Text,
        Optional,
        "a period such as 1y (yearly training); blank when once is enough",
    ),
    field(
        "next_due",
        "Next due",
        Date,
        Optional,
        "when absent: completed on + renewed every",
    ),
    field(
        "owner",
        "Owner",
        Person,
        Optional,
        "who sees that it is kept, e.g. the line manager",
    ),
];

const COMMUNICATION_FIELDS: [FieldSpec; 9] = [
    field("id", "Id", Text, Always, "COMM-001"),
    field("title", "What", Text, Always, "what is communicated"),
    field(
        "audience",
        "With whom",
        Text,
        Always,
        "who receives it, inside or outside",
    ),
    field(
        "channel",
        "How",
        Text,
        Always,
        "meeting, e-mail, intranet, report, web page...",
    ),
    field(
        "cadence",
        "When",
        Text,
        Always,
        "a period such as 1m, 3m or 1y, or an event such as: on each model release",
    ),
    field(
        "owner",
        "Who communicates",
        Person,
        Always,
        "the person who sends or presents it",
    ),
    field(
        "next_due",
        "Next due",
        Date,
        Optional,
        "the first or next time; when absent: the last time + the period",
    ),
    field(
        "log",
        "Log",
        Table(&LOG_FIELDS),
        Optional,
        "append-only: when it happened, by whom",
    ),
    field(
        "status",
        "Status",
        Enum(REGISTER_STATUS),
        Optional,
        "active or retired",
    ),
];

const DATASET_STATUS: Choices = &[
    ("active", "in use, or kept for use"),
    ("retired", "no longer used; kept until its retention ends"),
    ("disposed", "deleted at the end of its retention"),
];
const DATASET_FIELDS: [FieldSpec; 14] = [
    field("id", "Id", Text, Always, "DS-001"),
    field("name", "Name", Text, Always, "what people call the dataset"),
    field(
        "source",
        "Source and provenance",
        LongText,
        Always,
        "where it comes from, who produced it, which versions",
    ),
    field(
        "collection",
        "Collection method",
        LongText,
        Always,
        "how the data was collected or labelled",
    ),
    field(
        "legal_basis",
        "Lawful basis or licence",
        Text,
        Always,
        "the lawful basis for personal data, or the licence",
    ),
    field(
        "personal_data",
        "Personal data",
        Bool,
        Always,
        "does it hold personal data?",
    ),
    field(
        "sensitive_attributes",
        "Sensitive attributes",
        TextList,
        Optional,
        "special-category or protected attributes it holds or proxies, e.g. age",
    ),
    field(
        "quality_checks",
        "Quality checks",
        LongText,
        Always,
        "completeness, duplicates, drift, label quality: what is checked, how often",
    ),
    field(
        "known_biases",
        "Known biases",
        LongText,
        Always,
        "known biases and gaps, and how they were looked for",
    ),
    field(
        "preparation",
        "Preparation",
        LongText,
        Optional,
        "cleaning, sampling, labelling and feature steps",
    ),
    field(
        "retention",
        "Retention",
        Text,
        Always,
        "how long it is kept, and how it is disposed of",
    ),
    field("owner", "Owner", Person, Always, "the accountable person"),
    field(
        "status",
        "Status",
        Enum(DATASET_STATUS),
        Optional,
        "active, retired or disposed",
    ),
    field(
        "disposed_on",
        "Disposed on",
        Date,
        When(Cond::Eq("status", "disposed")),
        "when it was deleted",
    ),
];

const MEASUREMENT_FIELDS: [FieldSpec; 5] = [
    field("date", "Date", Date, Always, "when it was measured"),
    field("value", "Value", Text, Always, "a number"),
    field("by", "By", Person, Always, "who measured it"),
    field("note", "Note", Text, Optional, "what the value means"),
    field(
        "raised",
        "Raised",
        Ref(&[T::Nonconformity, T::Incident]),
        Optional,
        "the NC or incident raised for a breach",
    ),
];
const DIRECTIONS: Choices = &[
    ("max", "a value above the threshold is a breach"),
    ("min", "a value below the threshold is a breach"),
];
const METRIC_FIELDS: [FieldSpec; 13] = [
    field("id", "Id", Text, Always, "MET-001"),
    field(
        "title",
        "What is measured",
        Text,
        Always,
        "in a few words, e.g. false-decline rate",
    ),
    field(
        "method",
        "Method",
        LongText,
        Always,
        "how it is measured: data, query, tool",
    ),
    field(
        "frequency",
        "Frequency",
        Text,
        Always,
        "a period such as 1m or 3m: a measurement is due each period",
    ),
    field("unit", "Unit", Text, Optional, "e.g. %, ratio, days"),
    field(
        "direction",
        "Breach when",
        Enum(DIRECTIONS),
        Always,
        "max: above the threshold; min: below it",
    ),
    field(
        "threshold",
        "Threshold",
        Text,
        Always,
        "the number a measurement must not cross",
    ),
    field(
        "target",
        "Target",
        Text,
        Optional,
        "the value aimed for, if not the threshold",
    ),
    field("owner", "Owner", Person, Always, "who measures and acts"),
    field(
        "systems",
        "Systems",
        RefList(&[T::System]),
        Optional,
        "the AI systems it measures",
    ),
    field(
        "objectives",
        "Objectives",
        RefList(&[T::Objective]),
        Optional,
        "the AI objectives it measures",
    ),
    field(
        "measurements",
        "Measurements",
        Table(&MEASUREMENT_FIELDS),
        Optional,
        "append-only: date, value, by, note",
    ),
    field(
        "status",
        "Status",
        Enum(REGISTER_STATUS),
        Optional,
        "active or retired",
    ),
];

/// A metric's threshold, or one measurement's value, as a number.
pub fn number(fields: &Map, key: &str) -> Option<f64> {
    fields
        .text(key)
        .and_then(|t| t.trim().trim_end_matches('%').trim().parse::<f64>().ok())
        // Rust reads `inf` and `NaN` as floats; no measurement or threshold is either.
        .filter(|n| n.is_finite())
}

/// True when `value` crosses the metric's threshold in its direction.
pub fn breaches(metric: &Map, value: f64) -> bool {
    let Some(threshold) = number(metric, "threshold") else {
        return false;
    };
    match metric.text("direction").as_deref() {
        Some("max") => value > threshold,
        Some("min") => value < threshold,
        _ => false,
    }
}

// ---- the specs ----------------------------------------------------------------------------

const fn s(
    kind: RecordType,
    fields: &'static [FieldSpec],
    reviewed: bool,
    one_of: &'static [OneOf],
    columns: &'static [&'static str],
) -> Spec {
    Spec {
        kind,
        fields,
        reviewed,
        one_of,
        columns,
    }
}

static SPECS: [Spec; 17] = [
    s(
        T::System,
        &SYSTEM_FIELDS,
        true,
        &[OneOf {
            when: Cond::IsTrue("personal_data"),
            fields: &["lawful_basis", "dpia"],
        }],
        &["name", "roles", "lifecycle_stage", "risk_tier", "owner"],
    ),
    s(
        T::Risk,
        &RISK_FIELDS,
        true,
        &[],
        &["title", "category", "treatment", "owner", "status"],
    ),
    s(
        T::ImpactAssessment,
        &IA_FIELDS,
        false,
        &[OneOf {
            when: Cond::Eq("status", "approved"),
            fields: &["next_refresh", "refresh_trigger"],
        }],
        &["system", "version", "status", "assessor", "approved_on"],
    ),
    s(
        T::Soa,
        &SOA_FIELDS,
        true,
        &[],
        &["applicable", "status", "owner"],
    ),
    s(
        T::Audit,
        &AUDIT_FIELDS,
        false,
        &[],
        &["title", "lead_auditor", "planned_on", "status"],
    ),
    s(
        T::Nonconformity,
        &NC_FIELDS,
        false,
        &[],
        &["requirement", "severity", "owner", "due", "status"],
    ),
    s(
        T::Incident,
        &INCIDENT_FIELDS,
        false,
        &[],
        &["system", "type", "severity", "owner", "status"],
    ),
    s(T::Supplier, &SUPPLIER_FIELDS, true, &[], &["name", "owner"]),
    s(
        T::ManagementReview,
        &MR_FIELDS,
        false,
        &[],
        &["held_on", "status", "chair"],
    ),
    s(
        T::Document,
        &DOC_FIELDS,
        true,
        &[],
        &["title", "kind", "version", "owner", "approved_on"],
    ),
    s(
        T::Objective,
        &OBJECTIVE_FIELDS,
        true,
        &[],
        &["title", "target", "owner", "due", "status"],
    ),
    s(
        T::ContextIssue,
        &CONTEXT_FIELDS,
        true,
        &[],
        &["title", "kind", "owner", "status"],
    ),
    s(
        T::InterestedParty,
        &INTERESTED_PARTY_FIELDS,
        true,
        &[],
        &["name", "kind", "owner"],
    ),
    s(
        T::Competence,
        &COMPETENCE_FIELDS,
        false,
        &[OneOf {
            when: DATED,
            fields: &["completed_on", "next_due"],
        }],
        &["person", "title", "completed_on", "next_due"],
    ),
    s(
        T::Communication,
        &COMMUNICATION_FIELDS,
        true,
        &[],
        &["title", "audience", "cadence", "owner"],
    ),
    s(
        T::Dataset,
        &DATASET_FIELDS,
        true,
        &[],
        &["name", "personal_data", "owner", "status"],
    ),
    s(
        T::Metric,
        &METRIC_FIELDS,
        true,
        &[],
        &["title", "frequency", "threshold", "owner"],
    ),
];

/// The spec of a record type.
pub fn spec(kind: RecordType) -> &'static Spec {
    // SPECS is in RecordType::ALL order; the test below keeps it that way.
    &SPECS[kind as usize]
}

/// The date a field holds, when it holds a valid one.
pub fn date_of(fields: &Map, key: &str) -> Option<crate::domain::dates::Date> {
    match fields.get(key)? {
        crate::domain::Value::Str(s) => parse_date(s),
        v => v.as_text().and_then(|t| parse_date(&t)),
    }
}

/// What a record type's register holds, in a sentence, with its name in the plural: what
/// an empty list says belongs there.
pub fn about(kind: RecordType) -> (&'static str, &'static str) {
    match kind {
        T::System => (
            "AI systems",
            "The inventory: each AI system's purpose, owner, roles, lifecycle stage and risk tier.",
        ),
        T::Risk => (
            "AI risks",
            "The risk register: what could go wrong, how likely and how bad, and its treatment.",
        ),
        T::ImpactAssessment => (
            "impact assessments",
            "What each AI system could do to people and society, and what mitigates it (6.1.4).",
        ),
        T::Soa => (
            "SoA entries",
            "One per Annex A control: applicable or not, why, and whether it is in place.",
        ),
        T::Audit => (
            "internal audits",
            "The audit programme: each audit's scope, criteria, checklist and results (9.2).",
        ),
        T::Nonconformity => (
            "nonconformities",
            "What fell short, its cause, and the corrective action taken (10.2).",
        ),
        T::Incident => (
            "incidents",
            "AI incidents: what happened, who was affected, who had to be told and by when.",
        ),
        T::Supplier => (
            "suppliers",
            "Who supplies AI systems, models, data or services, and how they are checked.",
        ),
        T::ManagementReview => (
            "management reviews",
            "Top management's reviews of the AIMS: inputs, decisions and actions (9.3).",
        ),
        T::Document => (
            "documents",
            "The AI policy, procedures and other documented information, with owners.",
        ),
        T::Objective => (
            "objectives",
            "The AI objectives: what is aimed for, by when, and how it is measured (6.2).",
        ),
        T::ContextIssue => (
            "context issues",
            "Internal and external issues that affect the AIMS and its outcomes (4.1).",
        ),
        T::InterestedParty => (
            "interested parties",
            "Who has a stake in the AIMS, and what they require of it (4.2).",
        ),
        T::Competence => (
            "competence records",
            "Who needs which competence, and the evidence: training, qualifications (7.2).",
        ),
        T::Communication => (
            "planned communications",
            "What is communicated, when, to whom, how and by whom (7.4).",
        ),
        T::Dataset => (
            "datasets",
            "The training-data inventory: source, provenance, licence, quality.",
        ),
        T::Metric => (
            "monitoring metrics",
            "What is measured, how often, against which threshold, and the results (9.1).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_in_type_order_and_start_with_id() {
        for t in RecordType::ALL {
            let sp = spec(t);
            assert_eq!(sp.kind, t);
            assert_eq!(sp.fields[0].name, "id", "{t:?}");
            let names = sp.field_order();
            let mut dedup = names.clone();
            dedup.sort();
            dedup.dedup();
            assert_eq!(
                dedup.len(),
                names.len(),
                "{t:?} has a field twice: {names:?}"
            );
            for c in sp.columns {
                assert!(sp.field(c).is_some(), "{t:?} column {c} is not a field");
            }
            for o in sp.one_of {
                for f in o.fields {
                    assert!(sp.field(f).is_some(), "{t:?} one_of names unknown {f}");
                }
            }
        }
    }

    #[test]
    fn soa_redefines_links_once() {
        let sp = spec(T::Soa);
        let links: Vec<_> = sp.all_fields().filter(|f| f.name == "links").collect();
        assert_eq!(links.len(), 1);
        assert!(matches!(links[0].req, Req::When(_)));
    }
}
