//! The registry of rules: every finding carries the code of one entry here, with its default
//! severity and an explanation. `aims check --explain CODE` and `--list-rules`, the README's
//! rule list and the severity overrides of `aims.yaml` all read this one table.

use crate::domain::settings::{RuleLevel, SETTINGS_CODE, SETTINGS_FILE};
use crate::domain::{Finding, Settings, Severity, finding::LOAD_CODE};

pub struct Rule {
    /// Stable kebab-case code; never renamed once released (workspaces name it in aims.yaml).
    pub code: &'static str,
    /// The most severe level it reports at by default. Some rules report a warning in a
    /// milder case (a draft audit, a system still in design); an override sets every finding
    /// of the rule to its level.
    pub severity: Severity,
    /// False for findings about the workspace itself (a file that does not parse): those
    /// cannot be relaxed, since the rest of the check cannot see past them.
    pub configurable: bool,
    /// One line for `--list-rules`.
    pub summary: &'static str,
    /// What the rule checks.
    pub checks: &'static str,
    /// Why an auditor cares: the clause or control, in our words.
    pub why: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// Cured only by creating or changing ANOTHER record (an approved impact assessment of a
    /// system, its model card). A save never waits on such a finding: the record must exist
    /// before the other can name it, so blocking would trap the user. The form lists it as
    /// still to do after saving; `aims check` reports it at its severity as before.
    pub elsewhere: bool,
}

const fn rule(
    code: &'static str,
    severity: Severity,
    summary: &'static str,
    checks: &'static str,
    why: &'static str,
    fix: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        configurable: true,
        summary,
        checks,
        why,
        fix,
        elsewhere: false,
    }
}

use Severity::{Error as E, Warning as W};

pub static RULES: &[Rule] = &[
    Rule {
        configurable: false,
        ..rule(
            LOAD_CODE,
            E,
            "a file cannot be read as a record",
            "Every file under a record directory parses as YAML, is a mapping, is readable UTF-8 text of a sane size, and has a unique id.",
            "Clause 7.5.3: documented information must be available and protected. A file aims cannot read is a record nobody can rely on, and the rest of the check cannot see it.",
            "Fix the YAML at the line and column given, or move the file out of the record directory.",
        )
    },
    Rule {
        configurable: false,
        ..rule(
            SETTINGS_CODE,
            E,
            "aims.yaml has a missing or invalid setting",
            "aims.yaml names the organization and the scope, and its people, risk method, cadences, rule overrides and other settings are well formed.",
            "Clause 4.3 asks for a documented scope; clause 6.1.2 for a defined risk method. Every other rule reads these settings.",
            "Correct the setting named in the finding; until then the default is used.",
        )
    },
    rule(
        "record-id",
        E,
        "a record's id is missing, invalid or differs from its file name",
        "Each record has an `id` equal to its file name; ids are capitals, a dash, then letters, digits or dashes (SoA files: an Annex A control id).",
        "Auditors trace records by id across the register, the SoA and audit reports (clause 7.5.3): an id that differs from its file breaks every reference to it.",
        "Set `id:` to the file name, or rename the file.",
    ),
    rule(
        "required-field",
        E,
        "a field the record type requires is missing",
        "Every field the record type always requires, and every field required by the record's own state (a closed NC needs a root cause, an approved IA its approver...), is present.",
        "These are the facts ISO/IEC 42001 asks the records to hold (clauses 6.1, 8, 9 and 10): a missing one is a finding an auditor writes from the record alone.",
        "Fill in the field named in the finding; the message says why it is required now.",
    ),
    rule(
        "field-value",
        E,
        "a field holds a value of the wrong kind",
        "Dates are YYYY-MM-DD, choices are one of the allowed values, scores are on the scale of the risk method, lists are lists.",
        "A value aims cannot read is a value nobody can filter, schedule or report on (clause 7.5.2: documented information has a suitable format).",
        "Use the form of value the message names.",
    ),
    rule(
        "unknown-person",
        E,
        "a person field names someone not in aims.yaml",
        "Owners, approvers, assessors, auditors and attendees are person ids listed under `people` in aims.yaml.",
        "Clause 5.3: roles and responsibilities are assigned to people. An owner nobody can identify is no owner.",
        "Add the person to `people` in aims.yaml, or use a listed person id.",
    ),
    rule(
        "broken-reference",
        E,
        "a reference names a record that does not exist or has the wrong type",
        "Every record reference (systems of a risk, the system of an IA, the NC of an audit item...) resolves to a record of the expected type.",
        "The trail from risk to control to evidence is what an auditor follows (clauses 6.1.3, 8.2); a broken link breaks the trail.",
        "Create the record, or correct the id.",
    ),
    rule(
        "unknown-requirement",
        E,
        "a clause or control id is not in ISO/IEC 42001",
        "Control and requirement fields name clauses 4-10 or Annex A controls of the built-in catalog.",
        "A risk treated by a control that does not exist cannot be traced to the Statement of Applicability (clause 6.1.3 d).",
        "Use a clause id such as 6.1.2 or a control id such as A.6.2.4.",
    ),
    rule(
        "evidence-outside-workspace",
        E,
        "an evidence link points outside the workspace",
        "Evidence links are URLs or paths relative to the workspace, never absolute paths or paths climbing out with `..`.",
        "Evidence must travel with the records to be available to the auditor (clause 7.5.3); a path on one person's disk is not evidence.",
        "Copy the file under evidence/ and link it relatively, or link a URL.",
    ),
    rule(
        "evidence-missing",
        W,
        "an evidence file a record links to does not exist",
        "Each relative evidence path exists in the workspace.",
        "An auditor samples evidence: a link to nothing is a claim without proof.",
        "Add the file, or correct the path.",
    ),
    rule(
        "role-not-held",
        W,
        "a system names a role the organization does not hold",
        "The roles of each AI system are among the `roles_held` of aims.yaml.",
        "Clause 4.1 asks the organization to determine its roles for its AI systems; the systems and the scope must agree.",
        "Add the role to `roles_held`, or correct the system's roles.",
    ),
    Rule {
        elsewhere: true,
        ..rule(
            "ia-per-system",
            E,
            "an AI system has no approved impact assessment of its own",
            "Every non-retired AI system has an approved impact assessment that names it as its `system` and is not organisation-wide (`org_wide: true`). Error once the system is deployed or in operation, warning before.",
            "Clause 6.1.4 and A.5.2: the consequences for individuals, groups and society are assessed for each AI system. A generic, organisation-wide assessment does not assess any one system's use.",
            "Create an impact assessment with `system:` naming the system, and have it approved by someone other than the assessor.",
        )
    },
    Rule {
        elsewhere: true,
        ..rule(
            "ia-stale",
            E,
            "a system's impact assessment is past its refresh date",
            "The latest approved impact assessment of a system is within its refresh date (next_refresh, or approval + the impact-assessment cadence). Error for high-risk systems and for systems deployed or in operation, warning otherwise.",
            "Clause 6.1.4 asks that assessments be repeated at planned intervals and when significant changes occur (A.5.3).",
            "Refresh the assessment and record the new approval.",
        )
    },
    Rule {
        elsewhere: true,
        ..rule(
            "change-after-approval",
            E,
            "a material change to a system is newer than its impact assessment",
            "No entry of the system's `changes` log marked `material: true` is newer than the approval of its latest impact assessment. Error for high-risk systems, warning otherwise; the system's risks and model card also fall due for review.",
            "A.5.3 and clause 8.4: a retrained model, a new purpose or a new model supplier changes the impacts; an assessment of the old system no longer covers it.",
            "Redo the impact assessment for the changed system and have it approved.",
        )
    },
    Rule {
        elsewhere: true,
        ..rule(
            "model-card",
            E,
            "a system we develop is in use without a current model card",
            "Every deployed or operating system whose roles include producer or provider has an approved document of kind model-card naming it, approved no earlier than the system's last material change.",
            "A.6.2.7 and A.8.2: technical documentation and information for users are kept for each AI system developed; auditors sample the model card of every in-house model in production.",
            "Write or update the model card (kind: model-card, systems: [the system]) and have it approved.",
        )
    },
    rule(
        "residual-above-inherent",
        E,
        "a residual score is higher than the inherent one",
        "Residual likelihood and impact are no higher than the inherent ones.",
        "Treatment reduces risk (clause 6.1.3); a residual above inherent shows a scoring error an auditor will question.",
        "Lower the residual score, or raise the inherent one.",
    ),
    rule(
        "residual-incomplete",
        W,
        "only one of the two residual scores is given",
        "Residual likelihood and residual impact are given together, or not at all.",
        "The residual band (clause 6.1.3) needs both scores.",
        "Give both residual scores, or neither.",
    ),
    rule(
        "soa-status",
        E,
        "an SoA entry's status contradicts its applicability",
        "An excluded control is not applicable; a control that does not apply is excluded.",
        "Clause 6.1.3 d: the Statement of Applicability states which controls are necessary and justifies exclusions.",
        "Set `applicable` and `status` so that they agree.",
    ),
    rule(
        "soa-not-assessed",
        W,
        "an SoA entry has not been assessed",
        "Every Annex A control has a decision on whether it applies.",
        "The SoA must cover every Annex A control (clause 6.1.3 d).",
        "Decide whether the control applies and justify it.",
    ),
    rule(
        "soa-coverage",
        W,
        "the SoA does not cover all 38 Annex A controls",
        "There is one SoA file per Annex A control.",
        "Clause 6.1.3 d asks the SoA to address every Annex A control, with a justification for each exclusion.",
        "Add one file per missing control under soa/.",
    ),
    rule(
        "checklist-duplicate",
        W,
        "a requirement appears twice in an audit checklist",
        "Each clause or control appears once in an audit's checklist.",
        "Two results for one requirement make the audit report ambiguous (clause 9.2).",
        "Merge the two items.",
    ),
    rule(
        "audit-nc-backlink",
        W,
        "an audit item's NC does not name the audit as its source",
        "A nonconformity linked from an audit item has `source: audit` and that audit as `source_ref`.",
        "Clause 10.2 and 9.2: the trail from audit finding to corrective action must agree both ways.",
        "Set `source: audit` and `source_ref:` on the nonconformity.",
    ),
    rule(
        "audit-nc-missing",
        E,
        "an audit item with a nonconformity result links no NC",
        "Every minor-nc or major-nc checklist result links the nonconformity raised for it (warning while the audit is open, error once completed).",
        "Clause 10.2: a nonconformity found is reacted to and corrected; without an NC record there is nothing to follow up.",
        "Raise a nonconformity and set `nc:` on the item.",
    ),
    rule(
        "audit-incomplete",
        E,
        "a completed audit has items without a result",
        "A completed audit has a result for each checklist item.",
        "Clause 9.2.2: the results of audits are reported; an item without a result was not audited.",
        "Record a result (or not-audited with a reason), or reopen the audit.",
    ),
    rule(
        "audit-result-links-nc",
        E,
        "an audit item says the requirement is met but still links a nonconformity",
        "A checklist item whose result is conforming, observation or ofi links no nonconformity (error once the audit is completed, warning while it is open).",
        "Clauses 9.2.2 and 10.2: the audit report and the NC register must tell the same story. An error because a completed report that says conforming while a corrective action is open against the same requirement misstates the audit to whoever reads it, and is how a result changed after the NC was raised goes unnoticed; a warning while the audit is still being walked, since the auditor may be mid-change.",
        "Record the NC result (minor-nc or major-nc), or, if the requirement is met, withdraw the nonconformity and remove `nc:` from the item.",
    ),
    rule(
        "audit-sign-off",
        W,
        "a completed audit has no conclusion or sign-off",
        "A completed audit records its `conclusion` and the lead auditor's sign-off: `signed_off_by` and `signed_off_on`.",
        "Clause 9.2.2 c: audit results are reported to relevant management; a report without a conclusion or a signatory is a draft. A warning, since audits completed before sign-off was recorded are otherwise sound.",
        "Add `conclusion`, `signed_off_by` and `signed_off_on` to the audit (completing it in the walk asks for them).",
    ),
    rule(
        "nc-source-ref",
        E,
        "an NC's source reference does not match its source",
        "An NC from an audit names an audit, from an incident an incident, from a review a management review, from monitoring a metric.",
        "Clause 10.2: the origin of each nonconformity is traceable.",
        "Correct `source_ref`, or the `source`.",
    ),
    rule(
        "acceptor-not-owner",
        E,
        "a risk is accepted by its own owner",
        "The person who accepted a risk (`accepted_by`) is not the risk's owner.",
        "Clause 6.1.3 asks for residual risk to be approved by designated management, not by the person who carries it: self-acceptance is the first thing an auditor samples.",
        "Have the acceptance made by someone with the authority (see `acceptance-authority`), not the owner.",
    ),
    rule(
        "acceptance-authority",
        E,
        "a risk in an upper band is accepted by someone who is not top management",
        "Risks whose residual band is at or above `risk_method.top_management_accepts_from` (default: high) are accepted by a person listed under `top_management` in aims.yaml.",
        "Clauses 5.1 and 6.1.3: top management owns the risk appetite; accepting high and critical AI risks is its decision.",
        "List top management in aims.yaml and have one of them accept the risk.",
    ),
    rule(
        "acceptance-expired",
        E,
        "a risk acceptance has lapsed",
        "An open risk's acceptance holds until `accepted_until`, else `accepted_on` + `risk_method.acceptance_valid` (default 12 months).",
        "Clause 6.1.3 and 8.2: accepted risks are re-assessed at planned intervals; an acceptance from years ago no longer reflects the risk.",
        "Review the risk and renew the acceptance (new `accepted_on` and `accepted_until`), or treat it.",
    ),
    rule(
        "accepted-risk-treating",
        W,
        "an accepted risk still says it is being treated",
        "A risk whose treatment is `accept` is not `status: treating` and keeps no past treatment due date.",
        "The register must say one thing about each risk (clause 6.1.3): accepted, or being treated.",
        "Set `status: monitoring` and remove the old due date, or change the treatment.",
    ),
    rule(
        "excluded-control-treats-risk",
        E,
        "a risk is treated by a control the SoA excludes",
        "Every control a risk names in `controls` is not excluded in the Statement of Applicability.",
        "Clause 6.1.3 c-d: the controls chosen to treat risks are compared with Annex A and included in the SoA; relying on an excluded control is a contradiction.",
        "Include the control in the SoA, or treat the risk with another control.",
    ),
    rule(
        "inherited-isms-evidence",
        E,
        "an SoA entry inherits ISMS evidence from a 27001 control that does not exist or does not map to it",
        "Each id in an SoA entry's `inherited_isms` is an ISO/IEC 27001:2022 Annex A control (error otherwise) that the crosswalk (crosswalks/iso27001.yaml) maps to the entry's 42001 control (warning otherwise).",
        "One evidence set can serve both management systems, but only where the controls share an intent: an auditor follows the citation into the ISMS and asks why that evidence shows this AI control operates (clause 6.1.3 d, 7.5).",
        "Correct the id (A.5.1 to A.8.34), or cite a 27001 control the crosswalk maps to this one (the SoA detail lists them); if the link is real but not in the crosswalk, say why in the implementation.",
    ),
    rule(
        "exclusion-justification",
        W,
        "an SoA exclusion is justified in less than a sentence",
        "An excluded control's justification has at least six words.",
        "Clause 6.1.3 d: each exclusion is justified; \"Not needed.\" is not a justification an auditor can test.",
        "Say why the control does not apply to this organization.",
    ),
    rule(
        "auditor-independence",
        E,
        "an auditor audits their own work",
        "The lead auditor and auditors are not among the auditees and do not own the SoA entries they sample.",
        "Clause 9.2.2 b: auditors are selected to ensure objectivity and impartiality.",
        "Take the person off the audit team, the auditees, or the item.",
    ),
    rule(
        "verifier-not-owner",
        E,
        "an NC's effectiveness is verified by its own owner",
        "`verified_by` of a nonconformity is not its `owner`.",
        "Clause 10.2 d: the effectiveness of corrective action is reviewed; the person who did the work cannot be the one who signs it off.",
        "Have someone independent verify the effectiveness.",
    ),
    rule(
        "nc-overdue",
        W,
        "a corrective action is past its due date",
        "A nonconformity that is not closed is not past its `due` date.",
        "Clause 10.2: corrective actions are taken in time; late ones are the first thing a surveillance audit follows up.",
        "Finish and verify the action, or reschedule it with a reason.",
    ),
    rule(
        "nc-audit-item",
        E,
        "an NC's audit item is not in its audit's checklist",
        "The `audit_item` of an NC from an internal audit is an item of that audit's checklist.",
        "Clause 9.2 and 10.2: the finding must trace back to what was audited.",
        "Correct `audit_item`, or add the item to the audit.",
    ),
    rule(
        "ia-approver-not-assessor",
        E,
        "an impact assessment is approved by its assessor",
        "`approved_by` of an impact assessment is not its `assessor`.",
        "Clause 6.1.4 and A.5.2: an assessment approved by its author has had no independent review.",
        "Have someone other than the assessor approve it.",
    ),
    rule(
        "doc-approver-not-owner",
        E,
        "a document is approved by its own owner",
        "`approved_by` of a document is not its `owner`.",
        "Clause 7.5.2: documented information is reviewed and approved for suitability; self-approval is no review.",
        "Have someone other than the owner approve the document.",
    ),
    rule(
        "date-order",
        E,
        "a later date comes before the event it follows",
        "Approved, verified, closed, resolved and reported dates are not before the performed, raised or occurred dates they follow.",
        "Records are evidence (clause 7.5): dates in the wrong order make an auditor doubt the whole record.",
        "Correct one of the two dates.",
    ),
    rule(
        "review-in-future",
        E,
        "a review is recorded in the future",
        "`last_reviewed` and the dates of the review log are not after today.",
        "A review is evidence that something happened (clause 9); a future date is either a typo or a claim.",
        "Record the date the review took place; plan future ones with `next_review`.",
    ),
    rule(
        "system-has-risk",
        W,
        "an AI system has no open risk",
        "Every non-retired AI system is named by at least one open risk (organization-wide risks do not name it, so an auditor samples whether they cover it).",
        "Clause 6.1.2: AI risks are identified for each AI system in scope; a system with no risk was not assessed.",
        "Assess the system's risks and record them with `systems:` naming it.",
    ),
    rule(
        "risk-categories",
        E,
        "the risk register misses the AI-specific categories of harm",
        "Where systems affect people (personal data, or a limited or high risk tier), the open risks cover bias-fairness, transparency, human-rights and safety: none of them is an error, some missing a warning.",
        "Clause 6.1.2 and A.5: an AI risk assessment considers harms to individuals, groups and society. A register of only security risks is the most common stage 1 finding.",
        "Assess the harms the systems could do to people and record them as risks of those categories.",
    ),
    rule(
        "management-review-cycle",
        W,
        "no management review within its cadence",
        "A held management review lies within the management-review cadence of today; when none was ever held, the cycle counts from `established` in aims.yaml.",
        "Clause 9.3: top management reviews the AIMS at planned intervals. A certification audit cannot start before one has been held.",
        "Hold the review and record it with `status: held`, or plan it with a date.",
    ),
    rule(
        "internal-audit-cycle",
        W,
        "no completed internal audit within its cadence",
        "A completed internal audit lies within the audit cadence of today; when none was ever completed, the cycle counts from `established` in aims.yaml.",
        "Clause 9.2: internal audits are conducted at planned intervals. A certification audit expects a full internal audit cycle first.",
        "Complete the audit in progress, or plan one.",
    ),
    rule(
        "audit-coverage",
        E,
        "a completed audit cycle leaves requirements unaudited",
        "The completed audits of one cycle (one audit cadence up to each completed audit) together give a result to every clause of 4-10 and every applicable Annex A control.",
        "Clause 9.2.2: the audit programme covers the whole AIMS. A completed audit of a few items is not an audit of the management system.",
        "Add the missing requirements to this or another audit of the cycle.",
    ),
    rule(
        "retired-system-open",
        W,
        "a retired system still has open risks, a current IA or active incidents",
        "Risks naming a retired system are closed, its impact assessments superseded, its incidents resolved or closed.",
        "Clause 8 and A.6.2.8 (retirement): a system taken out of service is taken out of the registers too, or the registers overstate the live risk.",
        "Close the risks and incidents; supersede the impact assessment.",
    ),
    rule(
        "exclusion-contradicted",
        W,
        "an SoA exclusion is contradicted by the records",
        "An impact-assessment control (A.5.x) is not excluded while impact assessments exist; a supplier control (A.10.2, A.10.3) is not excluded while suppliers exist.",
        "Clause 6.1.3 d: an exclusion the organization's own records contradict is a finding an auditor writes from the SoA alone.",
        "Include the control, or explain the exclusion against those records.",
    ),
    rule(
        "supplier-system-link",
        W,
        "a supplier and a system do not name each other",
        "A supplier lists a system exactly when the system lists the supplier.",
        "A.10.3: suppliers are managed per system; a one-sided link hides a dependency from the system's owner or from supplier management.",
        "Add the missing side of the link, or remove the wrong one.",
    ),
    rule(
        "provenance-mismatch",
        W,
        "an in-house system is served by a model API",
        "A system with `provenance: in-house` is not served by a supplier whose `ai_service` is model-api.",
        "A.10.3 and A.6.1: the origin of a model decides which controls apply; an API model marked in-house escapes supplier due diligence.",
        "Correct the system's provenance, or the supplier's systems.",
    ),
    rule(
        "incident-reporting",
        E,
        "an incident's external reporting is inconsistent or names an unknown regime",
        "An incident that must be reported is pending or reported (not `not-required`), names reporting regimes that aims.yaml knows, and (warning) a pending report names its regime so its deadline can be counted.",
        "A.8.4 and clause 10.2: incidents are communicated to the parties that must be told; regulators count the days (EU AI Act Art. 73, GDPR Art. 33).",
        "Set `reporting_status` and `regimes:`; add a regime under `reporting_regimes` in aims.yaml if the law you report under is not there.",
    ),
    rule(
        "incident-report-overdue",
        E,
        "an incident report is past the regulator's deadline",
        "A pending report is not past its deadline: awareness (`aware_on`, else `occurred_on`) plus the regime's days for the incident's severity and `report_facts` (EU AI Act Art. 73: 15 days, 10 on a death, 2 for a widespread infringement or critical infrastructure; GDPR: 72 hours).",
        "A late report to a regulator is a legal breach, and an auditor reads it as a failure of the incident process (A.8.4).",
        "Report now, then record `reported_to`, `reported_on` and `reporting_status: reported`.",
    ),
    rule(
        "incident-reported-late",
        W,
        "an incident was reported after the regulator's deadline",
        "A recorded report (`reported_on`) is not after the deadline of the regimes the incident names. The warning stays on the record.",
        "The late report is history that an auditor samples: the lessons learned should say why it was late and what changed.",
        "Record why the report was late in the lessons learned; the finding stays as a record of it.",
    ),
    rule(
        "evidence-ai-specific",
        W,
        "an implemented control has no AI-specific record behind it",
        "An applicable control marked implemented is named by an approved document's `controls`, an objective or a conforming audit item, cites a model card or data sheet, (A.5.x) has an approved impact assessment, or links evidence that is about AI, judged by its label and target (words such as AI, ML, model, data, algorithm, bias, or a path to an IA or document record).",
        "Auditors reject ISO 27001 material (a security policy, a vulnerability scan) offered as evidence of an AI control: the evidence must be about the AI system and the control (clause 6.1.3, 7.5).",
        "Name the control in the `controls:` of the AI-specific procedure or record that implements it, or record an audit result for it.",
    ),
    rule(
        "evidence-draft-document",
        E,
        "an implemented control cites a document that is not in force",
        "The documents an implemented control cites are not draft or retired.",
        "Clause 7.5.2: documented information is approved before use; a draft policy is not evidence that a control operates.",
        "Approve the document, or cite the version in force.",
    ),
    rule(
        "system-datasets",
        W,
        "a system we develop is in use without its training datasets listed",
        "Every deployed or operating system whose roles include producer lists in `datasets` the dataset records it was trained and tested on, and none of them is disposed of.",
        "A.7.2 to A.7.6 and the certification expectations: a training-data inventory with provenance, lawful basis and quality records is sampled for every model in production; a model whose data cannot be named cannot be examined for bias or drift.",
        "Create the dataset records (datasets/DS-001.yaml...) and name them in the system's `datasets:`.",
    ),
    rule(
        "training-overdue",
        W,
        "a competence record's training is past its due date",
        "A competence record is not past its next due date: `next_due`, else `completed_on` + `every` (1y for the yearly AI-governance training).",
        "Clause 7.2: people doing work that affects the AIMS are competent, and the evidence is kept; lapsed yearly AI-governance training is a common surveillance-audit finding.",
        "Record the training (`completed_on`), or plan it with a new `next_due`.",
    ),
    rule(
        "logged-in-future",
        E,
        "a log entry or completion is dated after today",
        "The dates of a communication's `log`, a metric's `measurements` and a competence record's `completed_on` are not after today.",
        "Logs are evidence that something happened (clauses 7.2, 7.4, 9.1); a future date is either a typo or a claim.",
        "Record the date it took place; plan future ones with `next_due`.",
    ),
    rule(
        "register-empty",
        W,
        "a register of clauses 4, 7 or 9 holds no record",
        "Once the workspace has an AI system, it holds at least one context issue (4.1), interested party (4.2), competence record (7.2), planned communication (7.4) and monitoring metric (9.1).",
        "These registers are documented information a certification auditor asks for in the first hours of stage 1; an empty folder is a finding before any record is read.",
        "Record the issues, parties, competences, communications and metrics of the AIMS in their folders; `aims init` creates the folders.",
    ),
    rule(
        "metric-breach",
        W,
        "a measurement crossed its metric's threshold and nothing was raised",
        "Each measurement of an active metric stays on the right side of the threshold (`direction: max`: not above it; `min`: not below it), or links in `raised` the nonconformity or incident raised for it.",
        "Clause 9.1 asks that monitoring results be analysed and evaluated, and 10.2 that nonconformities be acted on: a breach with no follow-up is what an auditor samples first in a monitoring record.",
        "Raise a nonconformity or an incident and name it in the measurement's `raised:`, with a note on what was done.",
    ),
];

/// Does this finding refuse a save? Errors do, except those only another record can cure
/// (`Rule::elsewhere`): those are still to do after saving.
pub fn blocks_save(f: &Finding) -> bool {
    f.is_error() && !rule_of(f.code).is_some_and(|r| r.elsewhere)
}

/// An error a save lets through because only another record can cure it.
pub fn to_do_after_save(f: &Finding) -> bool {
    f.is_error() && !blocks_save(f)
}

/// The rule of a code.
pub fn rule_of(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Applies the `rules:` overrides of aims.yaml: a rule set to `off` drops its findings, one
/// set to `error` or `warning` reports at that level, with the reason attached.
pub fn apply_overrides(findings: &mut Vec<Finding>, settings: &Settings) {
    if settings.rules.is_empty() {
        return;
    }
    findings.retain_mut(|f| {
        if !rule_of(f.code).is_some_and(|r| r.configurable) {
            return true;
        }
        let Some(o) = settings.rule_override(f.code) else {
            return true;
        };
        let severity = match o.level {
            RuleLevel::Off => return false,
            RuleLevel::Error => Severity::Error,
            RuleLevel::Warning => Severity::Warning,
        };
        if severity != f.severity {
            f.severity = severity;
            f.severity_reason = Some(if o.reason.is_empty() {
                format!("{} by aims.yaml", o.level.name())
            } else {
                format!(
                    "{} by aims.yaml: {}",
                    o.level.name(),
                    crate::domain::text::one_line(&o.reason)
                )
            });
        }
        true
    });
}

/// Findings about the `rules:` entries themselves: unknown codes and rules that cannot be
/// changed.
pub fn override_findings(settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in &settings.rules {
        let code = crate::domain::text::one_line(&o.code);
        let msg = match rule_of(&o.code) {
            None => format!(
                "`rules` names `{code}`, which is not a rule: see `aims check --list-rules`"
            ),
            Some(r) if !r.configurable => {
                format!("rule `{code}` cannot be changed: aims cannot check past it")
            }
            Some(_) => continue,
        };
        out.push(
            Finding::error(SETTINGS_FILE, msg)
                .at(o.line)
                .field("rules")
                .code(SETTINGS_CODE),
        );
    }
    out
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The text of `aims check --explain CODE`.
pub fn explain(r: &Rule) -> String {
    let fixed = if r.configurable {
        "can be set to error, warning or off under `rules:` in aims.yaml, with a reason"
    } else {
        "cannot be changed"
    };
    format!(
        "{code} ({sev} by default; {fixed})\n{summary}\n\nWhat it checks\n  {checks}\n\nWhy an auditor cares\n  {why}\n\nHow to fix it\n  {fix}\n",
        code = r.code,
        sev = severity_name(r.severity),
        summary = r.summary,
        checks = r.checks,
        why = r.why,
        fix = r.fix,
    )
}

/// `aims check --list-rules`: one line per rule.
pub fn list() -> String {
    let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    RULES
        .iter()
        .map(|r| {
            format!(
                "{:<width$}  {:<7}  {}\n",
                r.code,
                severity_name(r.severity),
                r.summary
            )
        })
        .collect()
}

/// The README's rule table, generated here so that the two cannot drift.
pub fn markdown_table() -> String {
    let mut out = String::from("| code | default | what it catches |\n|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.code,
            severity_name(r.severity),
            r.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "README.md's rule table is out of date; replace it with:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn codes_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "{} is listed twice", r.code);
            assert!(
                !r.code.is_empty()
                    && r.code.split('-').all(|w| !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{} is not kebab-case",
                r.code
            );
            for (what, text) in [
                ("summary", r.summary),
                ("checks", r.checks),
                ("why", r.why),
                ("fix", r.fix),
            ] {
                assert!(text.len() > 10, "{} has no {what}", r.code);
            }
        }
    }
}
