//! What the benches share: the generated workspace and the median of a set of timings.
//!
//! Each bench includes this with `mod common;`, and not every bench uses every item.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const PEOPLE: [&str; 6] = [
    "amoreau",
    "dokafor",
    "lchen",
    "rsantos",
    "pnair",
    "jkowalski",
];
const CATEGORIES: [&str; 11] = [
    "bias-fairness",
    "privacy",
    "security",
    "safety",
    "transparency",
    "robustness",
    "accountability",
    "environmental",
    "human-rights",
    "legal",
    "third-party",
];
const CONTROLS: [&str; 6] = ["A.6.2.4", "A.7.4", "A.5.2", "A.9.2", "A.6.2.6", "A.10.3"];
/// Words that make titles differ from one another, so the finder and filters have real work.
const PRODUCTS: [&str; 12] = [
    "credit scoring",
    "fraud detection",
    "support assistant",
    "CV screening",
    "collections prioritisation",
    "marketing propensity",
    "document extraction",
    "call summarisation",
    "churn prediction",
    "pricing",
    "identity verification",
    "code assistant",
];
const HAZARDS: [&str; 10] = [
    "Biased outcomes for thin-file applicants",
    "Prompt injection through uploaded documents",
    "Model drift after a data source change",
    "Personal data retained in prompts",
    "Unexplainable declines challenged by customers",
    "Vendor model changed without notice",
    "Hallucinated policy statements to customers",
    "Over-reliance on scores by reviewers",
    "Training data used beyond its licence",
    "Energy use of retraining outside plan",
];
const INCIDENT_TYPES: [&str; 9] = [
    "model-degradation",
    "jailbreak",
    "prompt-injection",
    "adversarial-input",
    "hallucination",
    "bias",
    "privacy",
    "outage",
    "other",
];
const DOC_KINDS: [&str; 4] = ["policy", "procedure", "model-card", "record"];

/// How many records of each type a workspace of `total` records holds.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub systems: usize,
    pub risks: usize,
    pub ias: usize,
    pub suppliers: usize,
    pub ncs: usize,
    pub incidents: usize,
    pub docs: usize,
    pub objectives: usize,
    pub audits: usize,
    pub reviews: usize,
}

impl Plan {
    /// A realistic mix: mostly risks and systems, every type represented; 38 SoA entries.
    pub fn new(total: usize) -> Plan {
        let n = total.saturating_sub(38).max(20);
        // One impact assessment per system: every live system needs its own (ia-per-system).
        let systems = n * 11 / 100;
        let ias = n * 11 / 100;
        let suppliers = (n * 2 / 100).max(1);
        let ncs = n * 6 / 100;
        let incidents = n * 5 / 100;
        let docs = n * 10 / 100;
        let objectives = n * 3 / 100;
        let audits = (n / 100).max(1);
        let reviews = (n / 2000).max(1);
        let risks =
            n - systems - ias - suppliers - ncs - incidents - docs - objectives - audits - reviews;
        Plan {
            systems: systems.max(1),
            risks,
            ias,
            suppliers,
            ncs,
            incidents,
            docs,
            objectives,
            audits,
            reviews,
        }
    }

    /// How many record files (SoA included) the plan writes.
    pub fn records(&self) -> usize {
        38 + self.systems
            + self.risks
            + self.ias
            + self.suppliers
            + self.ncs
            + self.incidents
            + self.docs
            + self.objectives
            + self.audits
            + self.reviews
    }
}

fn p(i: usize) -> &'static str {
    PEOPLE[i % PEOPLE.len()]
}

/// System `i` is retired (1 in 50); its risks are closed, its incidents resolved and its
/// impact assessment superseded.
fn retired(i: usize) -> bool {
    i.is_multiple_of(50)
}

/// System `i` is bought in (1 in 3): we only use it, and a supplier provides it.
fn third_party(i: usize) -> bool {
    i.is_multiple_of(3)
}

/// The supplier of third-party system `i`: the k-th third-party system goes to supplier
/// (k - 1) % suppliers + 1, so every supplier provides about the same number.
fn supplier_of(plan: &Plan, i: usize) -> usize {
    (i / 3 - 1) % plan.suppliers + 1
}

/// The systems supplier `j` provides: exactly those that name it.
fn supplier_systems(plan: &Plan, j: usize) -> Vec<usize> {
    (0..)
        .map(|m| 3 * (j + m * plan.suppliers))
        .take_while(|&i| i <= plan.systems)
        .collect()
}

/// What records refer to across types, worked out once per workspace.
struct Layout<'a> {
    plan: &'a Plan,
    ids: &'a [&'static str],
    /// The systems we develop that are live, each of which needs a model card.
    in_house: Vec<usize>,
    /// How many systems each model card covers (1 unless documents are scarce).
    per_card: usize,
    /// How many documents are model cards (the first ones).
    cards: usize,
}

impl<'a> Layout<'a> {
    fn new(plan: &'a Plan, ids: &'a [&'static str]) -> Layout<'a> {
        let in_house: Vec<usize> = (1..=plan.systems)
            .filter(|&i| !third_party(i) && !retired(i))
            .collect();
        let room = (plan.docs * 7 / 10).max(1);
        let per_card = in_house.len().div_ceil(room).max(1);
        let cards = in_house.len().div_ceil(per_card).min(plan.docs);
        Layout {
            plan,
            ids,
            in_house,
            per_card,
            cards,
        }
    }

    /// The systems model card `i` (1-based, `i <= cards`) names.
    fn card_systems(&self, i: usize) -> &[usize] {
        let from = ((i - 1) * self.per_card).min(self.in_house.len());
        let to = (i * self.per_card).min(self.in_house.len());
        &self.in_house[from..to]
    }
}

/// The clause and control ids an audit checklist walks, in catalog order.
fn catalog_ids() -> Vec<&'static str> {
    aims_workbench::domain::catalog::all()
        .map(|item| item.id)
        .collect()
}

/// Audit `a` (1-based) of `audits`: completed, in progress or planned, by position, so every
/// size holds each kind. The first audit is always in progress (the walk trial needs it).
fn audit_status(a: usize) -> &'static str {
    match a % 4 {
        1 => "in-progress",
        0 => "planned",
        _ => "completed",
    }
}

/// The NC that records the minor nonconformity of audit `a`, when the plan has one.
fn audit_nc(plan: &Plan, a: usize) -> Option<usize> {
    // NC j comes from audit (j - 1) % audits + 1 when j is odd (the rest are from incidents).
    (1..=plan.ncs)
        .skip(a - 1)
        .step_by(plan.audits)
        .find(|j| j % 2 == 1)
}

/// The checklist of audit `a`: 60 to 70 items, every clause, then a rotating run of controls.
fn audit_items(a: usize, ids: &[&'static str]) -> Vec<&'static str> {
    let items = 60 + a % 11;
    let start = a % 4;
    ids[..32]
        .iter()
        .chain(ids[32 + start..].iter().chain(ids[32..32 + start].iter()))
        .take(items)
        .copied()
        .collect()
}

/// The requirement NC `j` is raised against: an Annex A control, stable per NC; for an NC
/// from an audit, a control of that audit's checklist (nc-audit-item).
fn nc_requirement(plan: &Plan, j: usize, ids: &[&'static str]) -> &'static str {
    let pool = if j % 2 == 1 {
        audit_items((j - 1) % plan.audits + 1, ids)
    } else {
        ids.to_vec()
    };
    let controls: Vec<&'static str> = pool.into_iter().filter(|i| i.starts_with("A.")).collect();
    controls[j % controls.len()]
}

/// One record of the plan: its path relative to the root and its text.
fn record(layout: &Layout, kind: usize, i: usize) -> (String, String) {
    let (plan, ids) = (layout.plan, layout.ids);
    let mut t = String::with_capacity(1024);
    let sys = |k: usize| k % plan.systems + 1;
    let product = PRODUCTS[i % PRODUCTS.len()];
    let path = match kind {
        0 => {
            let third = third_party(i);
            let high = i.is_multiple_of(7) && i <= plan.ias;
            let stage = if retired(i) { "retired" } else { "operation" };
            let _ = write!(
                t,
                "# System {i}: {product} for line {}\nid: SYS-{i:05}\nname: {} model {i}\npurpose: |\n  Supports {product} decisions for product line {}.\n  Used by analysts as decision support; every adverse outcome is reviewed.\n\
                 roles: [{}]\nowner: {}\nlifecycle_stage: {stage}\ndeployment_environment: Cloud tenancy, EU region\n\
                 data_inputs: [application form, bureau data, transaction history]\npersonal_data: true\nlawful_basis: Contract and legitimate interest\n\
                 provenance: {}\nrisk_tier: {}\nhuman_oversight: Analysts review every adverse output and can override it.\nlast_reviewed: 2026-{:02}-{:02}\n",
                i % 40 + 1,
                capitalise(product),
                i % 40 + 1,
                if third { "user" } else { "producer, user" },
                p(i),
                if third { "third-party" } else { "in-house" },
                if high { "high" } else { "limited" },
                i % 10 + 1,
                i % 27 + 1
            );
            if stage == "retired" {
                t.push_str("retired_on: 2026-06-30\n");
            }
            if third {
                let _ = writeln!(t, "suppliers: [SUP-{:05}]", supplier_of(plan, i));
            }
            let _ = write!(
                t,
                "changes:\n  - {{date: 2025-11-0{}, kind: training-data, material: false, note: Quarterly retrain on fresh data}}\n\
                 reviews:\n  - {{date: 2025-10-01, by: {}, note: Annual review with the system owner}}\n",
                i % 9 + 1,
                p(i + 1)
            );
            let _ = write!(
                t,
                "links:\n  - {{label: Model card, target: \"https://intranet.example/models/{i}/card\"}}\n\
                 \x20 - {{label: Monitoring dashboard, target: \"https://grafana.example/d/model-{i}\"}}\n\
                 notes: >\n  Retrained quarterly on the latest twelve months of data. Thresholds\n  for drift and fairness alerts are set in the monitoring plan; alerts\n  page the on-call data scientist and open a ticket for the owner.\n"
            );
            format!("systems/SYS-{i:05}.yaml")
        }
        1 => {
            let (l, im) = (i % 5 + 1, (i / 5) % 5 + 1);
            let (rl, ri) = (l.min(2), im.min(4));
            let accepted = i.is_multiple_of(10);
            let _ = write!(
                t,
                "# Risk {i}: raised in the quarterly risk workshop\nid: RISK-{i:05}\ntitle: {} ({product}, {i})\ndescription: >\n  A cause in the {product} pipeline leads to an event with consequences\n  for customers of product line {}; detected late by monitoring. Without\n  treatment the effect could reach several thousand customers a month\n  before the quarterly review notices the change in outcomes.\n\
                 systems: [SYS-{:05}]\ncategory: {}\nlikelihood: {l}\nimpact: {im}\nresidual_likelihood: {rl}\nresidual_impact: {ri}\n",
                HAZARDS[i % HAZARDS.len()],
                i % 40 + 1,
                sys(i),
                CATEGORIES[i % 11],
            );
            if accepted {
                let _ = write!(
                    t,
                    "treatment: accept\naccepted_by: dokafor\naccepted_on: 2026-04-{:02}\nacceptance_rationale: Cost of treatment exceeds the expected loss; monitored monthly.\n",
                    i % 28 + 1
                );
            } else {
                let _ = write!(
                    t,
                    "treatment: mitigate\ncontrols: [{}, {}]\ntreatment_plan: Add monitoring and a human review step before release.\ntreatment_due: 2027-{:02}-28\n",
                    CONTROLS[i % 6],
                    CONTROLS[(i + 1) % 6],
                    i % 9 + 1
                );
            }
            let _ = write!(
                t,
                "owner: {}\nstatus: {}\nlast_reviewed: 2026-{:02}-10\nreviews:\n\
                 \x20 - {{date: 2025-09-10, by: {}, note: Scored at the annual risk workshop with the system owner}}\n\
                 \x20 - {{date: 2026-03-10, by: {}, note: Rescored after model update; residual unchanged}}\n\
                 links:\n  - {{label: Risk workshop minutes, target: \"https://intranet.example/risk/workshops/{}\"}}\n\
                 notes: >\n  Raised by the {product} team after a near miss in the pilot. The\n  monitoring dashboard tracks the leading indicator weekly; the owner\n\
                 \x20 reports movement to the AI risk committee. Related findings are\n  cross-referenced in the quarterly risk report, section {}.\n",
                p(i),
                if retired(sys(i)) {
                    "closed"
                } else if accepted {
                    "monitoring"
                } else {
                    "treating"
                },
                i % 9 + 2,
                p(i + 1),
                p(i + 2),
                i % 40 + 1,
                i % 12 + 1
            );
            format!("risks/RISK-{i:05}.yaml")
        }
        2 => {
            let _ = write!(
                t,
                "id: IA-{i:05}\nsystem: SYS-{:05}\nversion: '1.{}'\nassessor: {}\nperformed_on: 2026-03-01\nintended_use: Decision support for {product} analysts.\n\
                 foreseeable_misuse: Fully automated adverse decisions without review.\naffected_parties:\n\
                 \x20 - {{party: applicants, kind: individuals, impact: wrongful decline, severity: high, likelihood: medium}}\n\
                 \x20 - {{party: thin-file groups, kind: groups, impact: systematic disadvantage, severity: high, likelihood: low}}\n\
                 mitigations: Human review of declines; fairness tests per release.\nconclusion: Acceptable with the mitigations in place.\n\
                 status: {}\napproved_by: {}\napproved_on: 2026-03-20\nnext_refresh: 2027-03-20\n",
                sys(i - 1),
                i % 7,
                p(i),
                // The assessment of a retired system is superseded (retired-system-open).
                if retired(sys(i - 1)) {
                    "superseded"
                } else {
                    "approved"
                },
                p(i + 2)
            );
            format!("impact-assessments/IA-{i:05}.yaml")
        }
        3 => {
            let _ = write!(
                t,
                "# Supplier {i}\nid: SUP-{i:05}\nname: Vendor {i} AI Services\nservices: Hosted model API and fine-tuning for {product}\nsystems: [{}]\nowner: {}\n\
                 due_diligence:\n  model_provenance: Vendor-trained transformer, model card v3 reviewed\n  training_data_origin: Licensed and public web data, documented in the vendor data statement\n\
                 \x20 performance_claims: 92% task accuracy on vendor benchmark; our test 88%\n  ip_terms: We own outputs; no training on our data\n  contract_terms: 30-day notice of model changes; audit right yearly\n\
                 last_reviewed: 2026-{:02}-15\n",
                supplier_systems(plan, i)
                    .iter()
                    .map(|s| format!("SYS-{s:05}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                p(i),
                i % 9 + 2
            );
            format!("suppliers/SUP-{i:05}.yaml")
        }
        4 => {
            let from_audit = i % 2 == 1;
            let requirement = nc_requirement(plan, i, ids);
            if from_audit {
                let a = (i - 1) % plan.audits + 1;
                let _ = write!(
                    t,
                    "id: NC-{i:05}\nsource: audit\nsource_ref: AUD-{a:05}\naudit_item: {requirement}\n"
                );
            } else if plan.incidents > 0 {
                let _ = write!(
                    t,
                    "id: NC-{i:05}\nsource: incident\nsource_ref: INC-{:05}\n",
                    i % plan.incidents + 1
                );
            } else {
                let _ = write!(t, "id: NC-{i:05}\nsource: complaint\nsource_ref: CMP-{i}\n");
            }
            let _ = write!(
                t,
                "requirement: {requirement}\nseverity: {}\ndescription: >\n  Validation report missing for one release of the {product} model;\n  the release went live on the strength of the vendor's figures.\n\
                 owner: {}\ndue: 2027-{:02}-{:02}\nstatus: in-progress\ncorrection: Release rolled back until validation completes.\n",
                if i.is_multiple_of(5) {
                    "major"
                } else {
                    "minor"
                },
                p(i),
                i % 12 + 1,
                i % 28 + 1
            );
            format!("nonconformities/NC-{i:05}.yaml")
        }
        5 => {
            let _ = write!(
                t,
                "id: INC-{i:05}\nsystem: SYS-{:05}\noccurred_on: 2026-{:02}-{:02}\ntype: {}\nseverity: medium\ndescription: >\n  Precision of the {product} model dropped below the alert threshold\n  for two days before the drift monitor paged the on-call engineer.\n\
                 owner: {}\nexternal_reporting_required: false\n",
                sys(i),
                i % 10 + 1,
                i % 28 + 1,
                INCIDENT_TYPES[i % INCIDENT_TYPES.len()],
                p(i)
            );
            // An incident of a retired system is resolved (retired-system-open).
            if retired(sys(i)) {
                t.push_str("status: resolved\nresolved_on: 2026-11-10\n");
            } else {
                t.push_str("status: investigating\n");
            }
            format!("incidents/INC-{i:05}.yaml")
        }
        6 => {
            // The first documents are the model cards of the live in-house systems
            // (model-card); the rest are policies, procedures and records.
            let (title, kind, systems) = if i <= layout.cards {
                let named = layout.card_systems(i);
                let systems: Vec<String> = named.iter().map(|s| format!("SYS-{s:05}")).collect();
                ("Model card", "model-card", systems.join(", "))
            } else {
                let k = [0, 1, 3][i % 3];
                (
                    ["Policy", "Procedure", "Model card", "Record"][k],
                    DOC_KINDS[k],
                    format!("SYS-{:05}", sys(i)),
                )
            };
            let owner = p(i);
            // Approved by someone other than the owner (doc-approver-not-owner).
            let approver = if owner == "amoreau" {
                "dokafor"
            } else {
                "amoreau"
            };
            let _ = write!(
                t,
                "id: DOC-{i:05}\ntitle: {title} {i} for {product}\nkind: {kind}\nversion: '2.{}'\nowner: {owner}\napproved_by: {approver}\napproved_on: 2026-02-01\n\
                 location: https://intranet.example/docs/{i}\nsystems: [{systems}]\nlast_reviewed: 2026-{:02}-01\n",
                i % 9,
                i % 10 + 1
            );
            format!("documents/DOC-{i:05}.yaml")
        }
        7 => {
            let _ = write!(
                t,
                "id: OBJ-{i:05}\ntitle: Fewer adverse outcomes overturned on review for {product} ({i})\nmeasure: Share of adverse outcomes overturned on human review\n\
                 target: Below {}% by year end\nowner: {}\ndue: 2027-{:02}-28\nstatus: on-track\ncontrols: [{}]\nlast_reviewed: 2026-{:02}-05\n\
                 reviews:\n  - {{date: 2026-07-05, by: {}, note: \"Q2 review: on track.\"}}\n",
                i % 9 + 1,
                p(i),
                i % 6 + 1,
                CONTROLS[i % 6],
                i % 3 + 8,
                p(i)
            );
            format!("objectives/OBJ-{i:05}.yaml")
        }
        8 => {
            let status = audit_status(i);
            let picked = audit_items(i, ids);
            let items = picked.len();
            let nc = audit_nc(plan, i);
            let nc_ref = nc.map(|j| nc_requirement(plan, j, ids));
            let done = match status {
                "completed" => items,
                "in-progress" => items / 3,
                _ => 0,
            };
            let _ = write!(
                t,
                "id: AUD-{i:05}\ntitle: Internal audit {i} of the AIMS ({product})\nscope: >\n  Clauses 4-10 and a risk-based sample of applicable Annex A controls,\n  with emphasis on {product}.\n\
                 lead_auditor: jkowalski\nauditors: [jkowalski]\nauditees: [{}, {}]\nplanned_on: {}-{:02}-02\nstatus: {status}\n",
                // The auditees are never the auditor (auditor-independence).
                PEOPLE[i % 5],
                PEOPLE[(i + 1) % 5],
                if status == "planned" { 2027 } else { 2026 },
                i % 10 + 1
            );
            if status != "planned" {
                t.push_str("started_on: 2026-01-05\n");
            }
            if status == "completed" {
                t.push_str("completed_on: 2026-01-20\n");
            }
            t.push_str("checklist:\n");
            // The NC's requirement gets the minor-nc result once it has one; it must not
            // appear twice.
            let mut nc_placed = false;
            for (k, id) in picked.iter().enumerate() {
                let quoted = if id.contains('.') {
                    (*id).to_string()
                } else {
                    format!("\"{id}\"")
                };
                if k >= done {
                    let _ = writeln!(t, "  - ref: {quoted}");
                    continue;
                }
                if Some(*id) == nc_ref && !nc_placed {
                    nc_placed = true;
                    let _ = write!(
                        t,
                        "  - ref: {quoted}\n    result: minor-nc\n    nc: NC-{:05}\n    notes: Validation evidence missing for one release.\n",
                        nc.unwrap()
                    );
                    continue;
                }
                match k % 9 {
                    3 => {
                        let _ = write!(
                            t,
                            "  - ref: {quoted}\n    result: observation\n    notes: >\n      Sampled three records; one review was a week late with no recorded reason.\n"
                        );
                    }
                    6 => {
                        let _ = write!(
                            t,
                            "  - ref: {quoted}\n    result: ofi\n    notes: Consider automating the reminder for this review.\n"
                        );
                    }
                    _ => {
                        let _ = write!(
                            t,
                            "  - ref: {quoted}\n    result: conforming\n    notes: Sampled records {} and {}; consistent with the procedure.\n    evidence:\n      - {{label: Register extract, target: \"https://intranet.example/audit/{i}/{k}\"}}\n",
                            k * 7 + 1,
                            k * 7 + 4
                        );
                    }
                }
            }
            format!("audits/AUD-{i:05}.yaml")
        }
        _ => {
            let year = 2026 - i as i64 + 1;
            let _ = write!(
                t,
                "id: MR-{year}\nheld_on: {year}-11-2{}\nstatus: held\nchair: dokafor\nattendees: [dokafor, amoreau, lchen, rsantos, pnair, jkowalski]\n\
                 inputs:\n  previous_actions: All actions of the previous review closed but two.\n  internal_external_issues: EU AI Act obligations for high-risk systems.\n\
                 \x20 interested_parties: Complaints about automated decisions up a third.\n  performance: Risk register current; audits on plan.\n\
                 \x20 improvement_opportunities: A KPI set for the AIMS.\ndecisions:\n  - Adopt the KPI set and report it quarterly.\n\
                 actions:\n  - {{action: Publish the KPI set, owner: amoreau, due: {}-01-31, status: done}}\n",
                i % 7 + 1,
                year + 1
            );
            format!("management-reviews/MR-{year}.yaml")
        }
    };
    (path, t)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const DIRS: [&str; 12] = [
    "systems",
    "risks",
    "impact-assessments",
    "soa",
    "suppliers",
    "nonconformities",
    "incidents",
    "documents",
    "objectives",
    "audits",
    "management-reviews",
    "evidence",
];

/// Writes a workspace of about `total` records (every record type, audits of 60–70 checklist
/// items, every reference resolving, `aims check` clean at 2026-11-22) under `root`, on two
/// threads. Returns the plan it followed.
pub fn generate(root: &Path, total: usize) -> Plan {
    let plan = Plan::new(total);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workspace");
    for dir in DIRS {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::copy(sample.join("aims.yaml"), root.join("aims.yaml")).unwrap();
    for e in std::fs::read_dir(sample.join("evidence")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), root.join("evidence").join(e.file_name())).unwrap();
    }
    for e in std::fs::read_dir(sample.join("soa")).unwrap() {
        let e = e.unwrap();
        // The sample's SoA cites the sample's documents, which are not generated here.
        let text = std::fs::read_to_string(e.path()).unwrap();
        // ... and the sample's first impact assessments, which are named differently here.
        let text = text
            .replace("IA-001.yaml", "IA-00001.yaml")
            .replace("IA-002.yaml", "IA-00002.yaml");
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("documents:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(root.join("soa").join(e.file_name()), text).unwrap();
    }
    let counts = [
        plan.systems,
        plan.risks,
        plan.ias,
        plan.suppliers,
        plan.ncs,
        plan.incidents,
        plan.docs,
        plan.objectives,
        plan.audits,
        plan.reviews,
    ];
    let jobs: Vec<(usize, usize)> = counts
        .iter()
        .enumerate()
        .flat_map(|(kind, &n)| (1..=n).map(move |i| (kind, i)))
        .collect();
    let ids = catalog_ids();
    let layout = Layout::new(&plan, &ids);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for t in 0..threads {
            let (jobs, layout) = (&jobs, &layout);
            s.spawn(move || {
                for &(kind, i) in jobs.iter().skip(t).step_by(threads) {
                    let (rel, text) = record(layout, kind, i);
                    std::fs::write(root.join(rel), text).unwrap();
                }
            });
        }
    });
    plan
}

/// Makes `root` a git repository with everything in one commit, by a fixed author at a fixed
/// date, so the checkout trial has history to move through.
pub fn git_commit_all(root: &Path, message: &str) {
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
}

/// Runs git in `root` with a fixed identity and date and no user or system configuration.
pub fn git(root: &Path, args: &[&str]) {
    let status = git_command(root).args(args).status().expect("run git");
    assert!(
        status.success(),
        "git {args:?} failed in {}",
        root.display()
    );
}

/// git in `root` with a fixed identity and date and no user or system configuration.
pub fn git_command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.invalid")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.invalid")
        .env("GIT_AUTHOR_DATE", "2026-11-01T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T09:00:00Z");
    cmd
}

/// The median of a set of timings.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
