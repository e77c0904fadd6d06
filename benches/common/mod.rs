//! What the benches share: the generated workspace and the median of a set of timings.
//!
//! Each bench includes this with `mod common;`.

use std::fmt::Write as _;
use std::path::Path;
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

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// A realistic mix: mostly risks and systems, with every other type represented.
pub fn generate(root: &Path, total: usize) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-workspace");
    for dir in [
        "systems",
        "risks",
        "impact-assessments",
        "soa",
        "suppliers",
        "nonconformities",
        "incidents",
        "documents",
        "audits",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::copy(sample.join("aims.yaml"), root.join("aims.yaml")).unwrap();
    for e in std::fs::read_dir(sample.join("soa")).unwrap() {
        let e = e.unwrap();
        // The sample's SoA cites the sample's documents, which are not generated here.
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("documents:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(root.join("soa").join(e.file_name()), text).unwrap();
    }
    let n = total.saturating_sub(38);
    let (systems, suppliers) = (n * 15 / 100, n * 2 / 100);
    let (ias, ncs, incidents, docs, audits) =
        (n * 10 / 100, n * 8 / 100, n * 5 / 100, n * 4 / 100, n / 100);
    let risks = n - systems - suppliers - ias - ncs - incidents - docs - audits;
    let p = |i: usize| PEOPLE[i % PEOPLE.len()];
    for i in 1..=suppliers {
        write(
            root,
            &format!("suppliers/SUP-{i:05}.yaml"),
            &format!(
                "# Supplier {i}\nid: SUP-{i:05}\nname: Vendor {i}\nservices: Hosted model API and fine-tuning\nsystems: [SYS-{:05}]\nowner: {}\n\
             due_diligence:\n  model_provenance: Vendor-trained transformer, model card v3 reviewed\n  training_data_origin: Licensed and public web data, documented in the vendor data statement\n\
             \x20 performance_claims: 92% task accuracy on vendor benchmark; our test 88%\n  ip_terms: We own outputs; no training on our data\n  contract_terms: 30-day notice of model changes; audit right yearly\n\
             last_reviewed: 2026-0{}-15\n",
                i % systems.max(1) + 1,
                p(i),
                i % 9 + 1
            ),
        );
    }
    for i in 1..=systems {
        let third = i % 3 == 0;
        let mut t = format!(
            "# System {i}\nid: SYS-{i:05}\nname: Model {i}\npurpose: |\n  Scores applications for product line {i}.\n  Used by underwriters as decision support.\nroles: [producer, user]\nowner: {}\n\
             lifecycle_stage: operation\ndeployment_environment: Cloud tenancy, EU region\ndata_inputs: [application form, bureau data, transaction history]\n\
             personal_data: true\nlawful_basis: Contract and legitimate interest\nprovenance: {}\nrisk_tier: limited\n\
             human_oversight: Underwriters review every decline and can override the score.\nlast_reviewed: 2026-0{}-01\n",
            p(i),
            if third { "third-party" } else { "in-house" },
            i % 9 + 1
        );
        if third {
            let _ = writeln!(t, "suppliers: [SUP-{:05}]", i % suppliers.max(1) + 1);
        }
        write(root, &format!("systems/SYS-{i:05}.yaml"), &t);
    }
    for i in 1..=risks {
        let (l, im) = (i % 5 + 1, (i / 5) % 5 + 1);
        let (rl, ri) = (l.min(2), im.min(4));
        write(
            root,
            &format!("risks/RISK-{i:05}.yaml"),
            &format!(
                "# Risk {i}: raised in the quarterly risk workshop\nid: RISK-{i:05}\ntitle: Risk number {i} in the register\ndescription: >\n  A cause leads to an event with consequences for customers\n  of product line {i}.\n\
             systems: [SYS-{:05}]\ncategory: {}\nlikelihood: {l}\nimpact: {im}\nresidual_likelihood: {rl}\nresidual_impact: {ri}\ntreatment: mitigate\ncontrols: [{}]\n\
             treatment_plan: Add monitoring and a human review step.\ntreatment_due: 2027-0{}-28\nowner: {}\nstatus: treating\nlast_reviewed: 2026-0{}-10\n\
             reviews:\n  - {{date: 2026-03-10, by: {}, note: Rescored after model update}}\n",
                i % systems.max(1) + 1,
                CATEGORIES[i % 11],
                CONTROLS[i % 6],
                i % 9 + 1,
                p(i),
                i % 9 + 1,
                p(i + 1)
            ),
        );
    }
    for i in 1..=ias {
        write(
            root,
            &format!("impact-assessments/IA-{i:05}.yaml"),
            &format!(
                "id: IA-{i:05}\nsystem: SYS-{:05}\nversion: '1.{i}'\nassessor: {}\nperformed_on: 2026-03-01\nintended_use: Decision support for underwriters.\n\
             foreseeable_misuse: Fully automated declines without review.\naffected_parties:\n  - {{party: applicants, kind: individuals, impact: wrongful decline, severity: high, likelihood: medium}}\n\
             \x20 - {{party: thin-file groups, kind: groups, impact: systematic disadvantage, severity: high, likelihood: low}}\n\
             mitigations: Human review of declines; fairness tests per release.\nconclusion: Acceptable with the mitigations in place.\nstatus: approved\napproved_by: {}\napproved_on: 2026-03-20\nnext_refresh: 2027-03-20\n",
                i % systems.max(1) + 1,
                p(i),
                p(i + 2)
            ),
        );
    }
    for i in 1..=audits {
        write(
            root,
            &format!("audits/AUD-{i:05}.yaml"),
            &format!(
                "id: AUD-{i:05}\ntitle: Internal audit {i}\nscope: Clauses 4-10\nlead_auditor: jkowalski\nplanned_on: 2026-06-01\nstatus: in-progress\nchecklist:\n\
             \x20 - {{ref: '4.1', result: conforming}}\n  - {{ref: '6.1.2', result: observation, notes: Method not versioned}}\n  - {{ref: A.6.2.4}}\n"
            ),
        );
    }
    for i in 1..=ncs {
        write(
            root,
            &format!("nonconformities/NC-{i:05}.yaml"),
            &format!(
                "id: NC-{i:05}\nsource: audit\nsource_ref: AUD-{:05}\nrequirement: A.6.2.4\nseverity: minor\ndescription: Validation report missing for one release.\nowner: {}\ndue: 2027-01-{:02}\nstatus: in-progress\n",
                i % audits.max(1) + 1,
                p(i),
                i % 28 + 1
            ),
        );
    }
    for i in 1..=incidents {
        write(
            root,
            &format!("incidents/INC-{i:05}.yaml"),
            &format!(
                "id: INC-{i:05}\nsystem: SYS-{:05}\noccurred_on: 2026-05-{:02}\ntype: model-degradation\nseverity: medium\ndescription: Precision dropped below threshold.\nowner: {}\nstatus: investigating\nexternal_reporting_required: false\n",
                i % systems.max(1) + 1,
                i % 28 + 1,
                p(i)
            ),
        );
    }
    for i in 1..=docs {
        write(
            root,
            &format!("documents/DOC-{i:05}.yaml"),
            &format!(
                "id: DOC-{i:05}\ntitle: Model card {i}\nkind: model-card\nversion: '2.{i}'\nowner: {}\napproved_by: amoreau\napproved_on: 2026-02-01\nlocation: https://intranet.example/docs/{i}\nsystems: [SYS-{:05}]\nlast_reviewed: 2026-02-01\n",
                p(i),
                i % systems.max(1) + 1
            ),
        );
    }
}

/// The median of a set of timings.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
