//! The built-in ISO/IEC 42001 catalog: clauses 4–10 and the 38 Annex A controls.
//! Intents and audit questions are written in our own words; the standard's text is never quoted.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Clause,
    Control,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogItem {
    pub id: &'static str,
    pub title: &'static str,
    /// For controls the area id ("A.6"); for clauses the top clause ("6").
    pub area: &'static str,
    pub kind: ItemKind,
    /// What the requirement is for, in one or two plain sentences of our own.
    pub intent: &'static str,
    /// A question an internal auditor asks the auditee to test it.
    pub question: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub id: &'static str,
    pub title: &'static str,
}

const fn cl(
    id: &'static str,
    title: &'static str,
    area: &'static str,
    intent: &'static str,
    question: &'static str,
) -> CatalogItem {
    CatalogItem {
        id,
        title,
        area,
        kind: ItemKind::Clause,
        intent,
        question,
    }
}

const fn ctl(
    id: &'static str,
    title: &'static str,
    area: &'static str,
    intent: &'static str,
    question: &'static str,
) -> CatalogItem {
    CatalogItem {
        id,
        title,
        area,
        kind: ItemKind::Control,
        intent,
        question,
    }
}

pub const CLAUSES: [CatalogItem; 32] = [
    cl(
        "4.1",
        "Understanding the organization and its context",
        "4",
        "Work out the internal and external factors that affect what the AI management system must achieve, including which roles the organization holds for its AI systems (provider, producer, customer, user, partner, subject) and its legal and societal setting.",
        "Which internal and external issues did you identify as relevant to your AI management system, which AI roles do you hold for each in-scope system, and where is this recorded and when was it last reviewed?",
    ),
    cl(
        "4.2",
        "Understanding the needs and expectations of interested parties",
        "4",
        "Identify who has a stake in the organization's AI systems, including affected people, regulators and customers, what they require, and which of those requirements the management system will address.",
        "Who are the interested parties for your AI systems, including people affected by their outputs, and can you show the record of their requirements and which ones the management system addresses?",
    ),
    cl(
        "4.3",
        "Determining the scope of the AI management system",
        "4",
        "Set and document the boundaries of the AI management system: which AI systems, activities, locations and roles it covers, with a reason for anything left out.",
        "Can you show the documented scope statement, and how did you confirm that every AI system in your inventory, including third-party AI features in bought software, is either inside it or excluded with a reason?",
    ),
    cl(
        "4.4",
        "AI management system",
        "4",
        "Establish, run, maintain and continually improve the AI management system as a set of connected processes rather than isolated activities.",
        "How are the AI management system processes and their interactions defined, and can you walk me through how the output of one process, such as a risk assessment, feeds the next?",
    ),
    cl(
        "5.1",
        "Leadership and commitment",
        "5",
        "Top management visibly owns the AI management system: it sets AI policy and objectives, builds them into business processes, provides resources and promotes responsible AI.",
        "How does top management direct the AI management system, and can you show minutes, decisions or resource approvals from the last year in which leadership acted on AI governance?",
    ),
    cl(
        "5.2",
        "AI policy",
        "5",
        "Top management issues an AI policy fitting the organization's purpose that frames its AI objectives, commits to meeting requirements and to improvement, and is communicated and available.",
        "Can you show the approved AI policy, explain how it frames your AI objectives, and show how it was communicated to staff and made available to interested parties?",
    ),
    cl(
        "5.3",
        "Roles, responsibilities and authorities",
        "5",
        "Responsibilities and authorities for the management system and for each AI system are assigned, communicated and understood, including who reports on performance to top management.",
        "Who is accountable for the AI management system and for each in-scope AI system, and can you show where these assignments are documented and how the people concerned were told?",
    ),
    cl(
        "6.1.1",
        "Actions to address risks and opportunities — general",
        "6",
        "Plan how to handle the risks and opportunities arising from the organization's context and AI use, with criteria separating acceptable from unacceptable AI risk, so intended outcomes are achieved.",
        "How did you determine the risks and opportunities to be addressed, what criteria separate acceptable from unacceptable AI risk, and how are the planned actions built into your processes?",
    ),
    cl(
        "6.1.2",
        "AI risk assessment",
        "6",
        "Define and apply a repeatable AI risk assessment method that identifies, analyses and evaluates risks such as bias, safety, privacy and societal harm, not only security risks.",
        "Can you show your documented AI risk assessment method and the current risk register, and point to where AI-specific risks such as bias, opacity or misuse were identified for one in-scope system?",
    ),
    cl(
        "6.1.3",
        "AI risk treatment",
        "6",
        "Choose treatments and controls for assessed AI risks, check them against Annex A so nothing needed is missed, record a Statement of Applicability and have the residual risks approved by designated management.",
        "Can you show the AI risk treatment plan and Statement of Applicability, the justification for each excluded control, and evidence that designated management, not the risk owners themselves, approved the residual risks?",
    ),
    cl(
        "6.1.4",
        "AI system impact assessment",
        "6",
        "Define a process to assess the possible consequences of each AI system for individuals, groups and society, covering intended use and foreseeable misuse, and feed the results into risk assessment.",
        "What is your AI system impact assessment process, and can you show the assessment for one in-scope system and how its results were used in the AI risk assessment?",
    ),
    cl(
        "6.2",
        "AI objectives and planning to achieve them",
        "6",
        "Set measurable AI objectives consistent with the AI policy at relevant functions and levels, and plan what will be done, by whom, with what resources, by when and how results are judged.",
        "What are your current AI objectives, how is each measured, and can you show the plan and the latest progress data for one of them?",
    ),
    cl(
        "6.3",
        "Planning of changes",
        "6",
        "When the AI management system needs to change, plan and carry out the change in a controlled way, considering its purpose, consequences, resources and responsibilities.",
        "What changes have been made to the AI management system since the last audit, and can you show how one was planned, approved and assessed for its consequences before it was made?",
    ),
    cl(
        "7.1",
        "Resources",
        "7",
        "Determine and provide the people, budget, tools, data and infrastructure needed to establish, run, maintain and improve the AI management system.",
        "How did you determine the resources the AI management system needs, and can you show evidence that they were approved and provided, such as budget or staffing decisions?",
    ),
    cl(
        "7.2",
        "Competence",
        "7",
        "Make sure people whose work affects AI performance and governance are competent through education, training or experience, close any gaps, and keep evidence of competence.",
        "How do you define competence requirements for roles that affect your AI systems, such as data scientists and human reviewers, and can you show the competence and training records for two of them?",
    ),
    cl(
        "7.3",
        "Awareness",
        "7",
        "People working for the organization know the AI policy, how their work contributes to responsible AI and the management system, and what happens if requirements are not followed.",
        "How do you make staff aware of the AI policy and their part in responsible AI, and can I interview two staff members and see the awareness material or attendance records?",
    ),
    cl(
        "7.4",
        "Communication",
        "7",
        "Decide what to communicate internally and externally about the AI management system, when, to whom and by what means, and follow that plan.",
        "What internal and external communications about the AI management system have you planned, and can you show records of communications actually made under that plan?",
    ),
    cl(
        "7.5.1",
        "Documented information — general",
        "7",
        "The management system includes the documented information the standard requires plus whatever else the organization decides it needs to be effective.",
        "Which documented information have you decided the AI management system needs, and can you show an index of it and confirm that each mandatory document and record exists?",
    ),
    cl(
        "7.5.2",
        "Creating and updating documented information",
        "7",
        "Documents and records are created and updated with clear identification, a suitable format, and review and approval for suitability and adequacy.",
        "How are AI management system documents identified, reviewed and approved, and can you show the version and approval history of the AI policy or the risk assessment method?",
    ),
    cl(
        "7.5.3",
        "Control of documented information",
        "7",
        "Documented information is available where needed and protected from loss or improper change, with controlled distribution, access, versions, retention and disposal, including external documents.",
        "How do you control access, versions and retention of AI management system documents and records, and can you show that the copy a team is using matches the current approved version?",
    ),
    cl(
        "8.1",
        "Operational planning and control",
        "8",
        "Plan, run and control the processes needed to meet requirements and carry out planned actions, including outsourced processes, and keep evidence that they ran as planned.",
        "How do you control the operational processes for your AI systems, including outsourced ones, and can you show records proving that one of them was carried out as planned?",
    ),
    cl(
        "8.2",
        "AI risk assessment",
        "8",
        "Carry out AI risk assessments at planned intervals and whenever significant changes are proposed or happen, and keep the results.",
        "When were AI risk assessments last performed and what triggered them, and can you show a reassessment done after a significant change to a model, its data or its use?",
    ),
    cl(
        "8.3",
        "AI risk treatment",
        "8",
        "Put the AI risk treatment plan into effect, check that treatments work, and update the plan when new risks appear, keeping records of the results.",
        "Can you show evidence that the treatments in your AI risk treatment plan were implemented, how you verified that they work, and how newly found risks were added to the plan?",
    ),
    cl(
        "8.4",
        "AI system impact assessment",
        "8",
        "Perform AI system impact assessments at planned intervals and when significant changes are proposed, and keep the results.",
        "Can you show the current impact assessment for each in-scope AI system, and evidence that one was redone after a material change such as retraining or a new use case?",
    ),
    cl(
        "9.1",
        "Monitoring, measurement, analysis and evaluation",
        "9",
        "Decide what to monitor and measure for AI systems and the management system, with methods, timing and who analyses results, then evaluate performance and effectiveness.",
        "What do you monitor and measure for your AI systems and the management system, against which thresholds, and can you show the latest analysis and the action taken when a threshold was breached?",
    ),
    cl(
        "9.2.1",
        "Internal audit — general",
        "9",
        "Audit the AI management system internally at planned intervals to check that it meets the organization's own and the standard's requirements and is effectively implemented and maintained.",
        "When was the AI management system last audited internally, did the audit cover clauses 4 to 10 and all applicable controls, and can you show the audit report?",
    ),
    cl(
        "9.2.2",
        "Internal audit programme",
        "9",
        "Plan an audit programme setting frequency, methods, responsibilities and reporting, define each audit's criteria and scope, use impartial auditors and report results to management.",
        "Can you show the internal audit programme, explain how its scope and frequency reflect the importance of processes and earlier results, and show how auditor impartiality was ensured?",
    ),
    cl(
        "9.3.1",
        "Management review — general",
        "9",
        "Top management reviews the AI management system at planned intervals to confirm it is still suitable, adequate and effective.",
        "When did top management last review the AI management system, who attended, and can you show the record of that review?",
    ),
    cl(
        "9.3.2",
        "Management review inputs",
        "9",
        "The review considers earlier actions, changes in context and stakeholder needs, performance trends, nonconformities, audit and monitoring results, and chances to improve.",
        "Can you show the material presented at the last management review and confirm that each required input, including audit results, nonconformities and changes in context, was covered?",
    ),
    cl(
        "9.3.3",
        "Management review results",
        "9",
        "The review produces recorded decisions on improvement opportunities and any changes needed to the AI management system.",
        "What decisions and actions came out of the last management review, and can you show how each was assigned and tracked to completion?",
    ),
    cl(
        "10.1",
        "Continual improvement",
        "10",
        "Keep improving how suitable, adequate and effective the AI management system is, using audit, monitoring and review results.",
        "What improvements were made to the AI management system in the past year, and can you show how one of them was identified, decided and implemented?",
    ),
    cl(
        "10.2",
        "Nonconformity and corrective action",
        "10",
        "React to nonconformities, correct them, find root causes, act to prevent recurrence, verify that the action worked, and keep records of all of it.",
        "Can you show the nonconformity log, the root-cause analysis for one closed item, and the evidence that its corrective action was verified as effective before it was closed?",
    ),
];

pub const CONTROLS: [CatalogItem; 38] = [
    ctl(
        "A.2.2",
        "AI policy",
        "A.2",
        "Document a policy for developing or using AI systems that gives direction consistent with business needs, such as permitted uses, risk appetite and responsible AI principles.",
        "Can you show the documented AI policy and explain how it addresses the AI development and use relevant to your business, such as permitted use cases and risk appetite?",
    ),
    ctl(
        "A.2.3",
        "Alignment with other organizational policies",
        "A.2",
        "Find where other policies, such as security, privacy, quality, procurement or HR, affect or are affected by AI, and keep them consistent with the AI policy.",
        "Which other policies, such as information security, privacy or procurement, did you check against the AI policy, and can you show where overlaps or conflicts were resolved?",
    ),
    ctl(
        "A.2.4",
        "Review of the AI policy",
        "A.2",
        "Review the AI policy at planned intervals and after significant changes, such as new regulation or new AI uses, so it stays suitable, adequate and effective.",
        "When was the AI policy last reviewed and who approved the outcome, and what events trigger an unplanned review, such as a new regulation or a new AI use case?",
    ),
    ctl(
        "A.3.2",
        "AI roles and responsibilities",
        "A.3",
        "Define and assign AI roles and responsibilities to fit the organization, covering areas such as risk, impact assessment, data quality, human oversight, security and privacy.",
        "Can you show the documented AI roles and responsibilities, and name the owner, the human overseer and the data steward for one in-scope AI system?",
    ),
    ctl(
        "A.3.3",
        "Reporting of concerns",
        "A.3",
        "Give people a way to raise concerns about the organization's AI systems at any life-cycle stage, with confidentiality, protection from reprisal and escalation to someone able to act.",
        "How can an employee or contractor report a concern about an AI system, how is the reporter protected, and can you show how a recent concern was investigated and closed?",
    ),
    ctl(
        "A.4.2",
        "Resource documentation",
        "A.4",
        "Identify and document the resources each AI system needs at each life-cycle stage, so that their risks and impacts can be understood and managed.",
        "For one AI system, can you show the documented list of resources it depends on, including data, tools, compute and people, and how that record is kept up to date?",
    ),
    ctl(
        "A.4.3",
        "Data resources",
        "A.4",
        "Document the data each AI system uses: provenance, categories, intended use, quality, labelling, retention and known bias or gaps in representativeness.",
        "For one production AI system, can you show the record of its data resources, including provenance, date of last update, data categories and known limitations or biases?",
    ),
    ctl(
        "A.4.4",
        "Tooling resources",
        "A.4",
        "Document the tools used to build and run AI systems, such as algorithms and model types, frameworks, data labelling, evaluation and optimisation tooling.",
        "Can you show the documented tooling for one AI system, including model type, frameworks and evaluation tools with their versions, and how changes to them are tracked?",
    ),
    ctl(
        "A.4.5",
        "System and computing resources",
        "A.4",
        "Document the computing and infrastructure AI systems rely on, including where they run (on premises, cloud, edge), capacity needs and environmental cost such as energy use.",
        "Where does each in-scope AI system run, and can you show its documented compute resources, capacity requirements and any assessment of energy use?",
    ),
    ctl(
        "A.4.6",
        "Human resources",
        "A.4",
        "Document the human skills needed across the AI life cycle, such as data science, domain expertise, human oversight, security, privacy and diverse perspectives.",
        "Can you show the documented human competences needed for one AI system, including who performs human oversight, and how you fill any gaps you have identified?",
    ),
    ctl(
        "A.5.2",
        "AI system impact assessment process",
        "A.5",
        "Establish a process for assessing what an AI system could do to individuals, groups and society across its life cycle, with defined triggers, method, scale of severity and responsible people.",
        "Can you show the documented impact assessment process, its triggers and responsibilities, and evidence that it was applied to every in-scope AI system rather than once for the organization?",
    ),
    ctl(
        "A.5.3",
        "Documentation of AI system impact assessments",
        "A.5",
        "Record the results of each AI system impact assessment and keep them for a defined period, consistent with the organization's retention rules.",
        "Where are impact assessment results stored and for how long, and can you show the approved assessment for one AI system together with its earlier versions?",
    ),
    ctl(
        "A.5.4",
        "Assessing AI system impact on individuals or groups of individuals",
        "A.5",
        "Assess and record how an AI system may affect individuals or groups, e.g. fairness across groups, privacy, safety, accessibility, human rights and effects on vulnerable people.",
        "For one AI system, can you show how you assessed its effects on individuals or groups, including fairness across demographic groups, and which mitigations resulted?",
    ),
    ctl(
        "A.5.5",
        "Assessing societal impacts of AI systems",
        "A.5",
        "Assess and record wider societal effects of AI systems, such as environmental cost, economic and employment effects, misinformation, public health and democratic processes.",
        "How did you assess the wider societal impacts of your AI systems, such as environmental cost or the spread of misinformation, and can you show that assessment for one system?",
    ),
    ctl(
        "A.6.1.2",
        "Objectives for responsible development of AI system",
        "A.6",
        "Set and document objectives that guide responsible AI development, such as fairness, transparency, robustness and safety, and build measures for them into the development life cycle.",
        "What are your documented objectives for responsible AI development, and can you show how they became concrete requirements or tests for one AI system?",
    ),
    ctl(
        "A.6.1.3",
        "Processes for responsible AI system design and development",
        "A.6",
        "Define and document how AI systems are designed and developed: life-cycle stages, testing, approval gates, human oversight needs, training data requirements and change handling.",
        "Can you show the documented AI design and development process with its approval gates, and evidence that the most recent model release passed through each gate?",
    ),
    ctl(
        "A.6.2.2",
        "AI system requirements and specification",
        "A.6",
        "Specify and document requirements for new AI systems or major changes, including purpose, performance targets, constraints and the needs of users and affected people.",
        "Can you show the requirements specification for one AI system, including its intended purpose and performance criteria, and how those requirements were agreed with stakeholders?",
    ),
    ctl(
        "A.6.2.3",
        "Documentation of AI system design and development",
        "A.6",
        "Document how each AI system was designed and built against its objectives and requirements, including architecture, model choice, training approach and data decisions.",
        "Can you show the design records for one AI system, covering its architecture, model selection, training approach and the reasons behind key design decisions?",
    ),
    ctl(
        "A.6.2.4",
        "AI system verification and validation",
        "A.6",
        "Define verification and validation methods and acceptance criteria for AI systems, including performance, robustness and fairness tests on representative data, and record the results.",
        "What acceptance criteria must a model meet before release, and can you show the verification and validation results, including fairness and robustness tests, for the latest release?",
    ),
    ctl(
        "A.6.2.5",
        "AI system deployment",
        "A.6",
        "Document a deployment plan and confirm that requirements and release criteria are met before an AI system is put into its operating environment.",
        "Can you show the deployment plan and the release approval for the most recent AI system deployment, including evidence that its acceptance criteria were met?",
    ),
    ctl(
        "A.6.2.6",
        "AI system operation and monitoring",
        "A.6",
        "Define what is needed to run AI systems in production: monitoring of performance, drift, errors and failures, plus repair, update and support arrangements.",
        "How do you monitor deployed AI systems for performance degradation or data drift, with which thresholds, and can you show an alert and the response it triggered?",
    ),
    ctl(
        "A.6.2.7",
        "AI system technical documentation",
        "A.6",
        "Decide what technical documentation each audience needs, such as users, partners and regulators, and provide it, e.g. model cards covering limitations and intended use.",
        "Can you show the technical documentation, such as a model card, for one AI system, and explain how you decided what users, partners and regulators each receive?",
    ),
    ctl(
        "A.6.2.8",
        "AI system recording of event logs",
        "A.6",
        "Decide at which life-cycle stages event logs are kept, at least while the AI system is in use, so that its behaviour and outputs can be traced and investigated.",
        "Which events does each AI system log in production, how long are the logs kept, and can you trace one specific prediction or decision back through them?",
    ),
    ctl(
        "A.7.2",
        "Data for development and enhancement of AI system",
        "A.7",
        "Define and apply data management processes for building and improving AI systems, covering privacy, security, transparency, representativeness and bias in the data.",
        "Can you show the data management process used for training and improving AI systems, and how it dealt with privacy, representativeness and bias for one dataset?",
    ),
    ctl(
        "A.7.3",
        "Acquisition of data",
        "A.7",
        "Document how data for AI systems is chosen and obtained, including sources, the right to use it, quantity, characteristics and coverage of relevant populations.",
        "How do you select and acquire data for AI systems, and can you show for one dataset its source, the legal or contractual basis for using it, and the selection criteria?",
    ),
    ctl(
        "A.7.4",
        "Quality of data for AI systems",
        "A.7",
        "Set data quality requirements and make sure training, validation and operational data meets them, taking into account how bias and errors in data affect outcomes.",
        "What quality requirements apply to your training and evaluation data, and can you show the quality check results, including bias checks, for one dataset?",
    ),
    ctl(
        "A.7.5",
        "Data provenance",
        "A.7",
        "Record where the data used by AI systems comes from and what has happened to it, from creation through changes and transfers, so it can be traced across the life cycle.",
        "How do you record where each training and evaluation dataset came from, and can you show the provenance record for one production model?",
    ),
    ctl(
        "A.7.6",
        "Data preparation",
        "A.7",
        "Define and document how data is prepared for AI, such as cleaning, imputation, normalisation, labelling and encoding, and the criteria for choosing those methods.",
        "What preparation steps are applied to data before training, such as cleaning and labelling, and can you show the documented method and labelling guidelines for one dataset?",
    ),
    ctl(
        "A.8.2",
        "System documentation and information for users",
        "A.8",
        "Give users the information they need about an AI system: that they are dealing with AI, its purpose, known limitations, and how to use and oversee it properly.",
        "What information do users receive about an AI system, including that they are interacting with AI and its known limitations, and can you show it for one system?",
    ),
    ctl(
        "A.8.3",
        "External reporting",
        "A.8",
        "Provide a way for interested parties outside the organization to report adverse effects of its AI systems, and handle those reports.",
        "How can external parties report harmful or unexpected behaviour of your AI systems, and can you show how a received report was logged, investigated and resolved?",
    ),
    ctl(
        "A.8.4",
        "Communication of incidents",
        "A.8",
        "Plan and document how AI system incidents are communicated to users and other affected parties, including any duty to notify regulators.",
        "What is your plan for telling users and other parties about AI incidents, and can you show the record of a past incident notification or of an exercise of the plan?",
    ),
    ctl(
        "A.8.5",
        "Information for interested parties",
        "A.8",
        "Determine and document any obligations to report information about AI systems to interested parties such as regulators, and meet them.",
        "Which obligations do you have to report information about your AI systems to regulators or other parties, and can you show evidence that those reports were made on time?",
    ),
    ctl(
        "A.9.2",
        "Processes for responsible use of AI systems",
        "A.9",
        "Define and document how AI systems, including bought-in AI tools, may be used responsibly: approvals, legal requirements, costs and the conditions of use.",
        "What process must a team follow before starting to use an AI system, including third-party AI tools, and can you show the approval record for one recent use case?",
    ),
    ctl(
        "A.9.3",
        "Objectives for responsible use of AI system",
        "A.9",
        "Set and document objectives that guide responsible use of AI systems, such as fairness, accountability, transparency and human oversight, with ways to achieve them.",
        "What are your documented objectives for responsible AI use, and how do you measure whether a system in use meets them, for example the rate of human review of its outputs?",
    ),
    ctl(
        "A.9.4",
        "Intended use of the AI system",
        "A.9",
        "Make sure AI systems are used as intended and as their documentation describes, with monitoring and human oversight to detect use outside that scope.",
        "How do you ensure each AI system is used only for its documented intended purpose, and can you show the monitoring or oversight records that would reveal misuse?",
    ),
    ctl(
        "A.10.2",
        "Allocating responsibilities",
        "A.10",
        "Divide and document responsibilities across the AI life cycle between the organization and its partners, suppliers, customers and other third parties.",
        "For one AI system involving third parties, can you show how responsibilities for data, model performance, monitoring and incidents are allocated, for example in the contracts?",
    ),
    ctl(
        "A.10.3",
        "Suppliers",
        "A.10",
        "Make sure products and services from suppliers, such as foundation models, AI APIs, datasets and labelling services, fit the organization's responsible approach to AI.",
        "How do you assess AI suppliers such as model API providers and data vendors, and can you show the supplier assessment and inventory entry for one third-party AI component?",
    ),
    ctl(
        "A.10.4",
        "Customers",
        "A.10",
        "Make sure the organization's responsible approach to AI takes account of its customers' expectations and needs, including the information and support they require.",
        "How do you capture customer requirements and expectations for the AI systems you provide, and can you show how they were reflected in a contract or in the product documentation?",
    ),
];

/// Annex A areas in order: A.2 … A.10 with titles (e.g. "Policies related to AI").
pub const CONTROL_AREAS: [Area; 9] = [
    Area {
        id: "A.2",
        title: "Policies related to AI",
    },
    Area {
        id: "A.3",
        title: "Internal organization",
    },
    Area {
        id: "A.4",
        title: "Resources for AI systems",
    },
    Area {
        id: "A.5",
        title: "Assessing impacts of AI systems",
    },
    Area {
        id: "A.6",
        title: "AI system life cycle",
    },
    Area {
        id: "A.7",
        title: "Data for AI systems",
    },
    Area {
        id: "A.8",
        title: "Information for interested parties of AI systems",
    },
    Area {
        id: "A.9",
        title: "Use of AI systems",
    },
    Area {
        id: "A.10",
        title: "Third-party and customer relationships",
    },
];

/// Clause groups 4 … 10 with titles.
pub const CLAUSE_AREAS: [Area; 7] = [
    Area {
        id: "4",
        title: "Context of the organization",
    },
    Area {
        id: "5",
        title: "Leadership",
    },
    Area {
        id: "6",
        title: "Planning",
    },
    Area {
        id: "7",
        title: "Support",
    },
    Area {
        id: "8",
        title: "Operation",
    },
    Area {
        id: "9",
        title: "Performance evaluation",
    },
    Area {
        id: "10",
        title: "Improvement",
    },
];

/// Every item, clauses first then controls, in catalog order.
pub fn all() -> impl Iterator<Item = &'static CatalogItem> {
    CLAUSES.iter().chain(CONTROLS.iter())
}

/// Any item (clause or control) by exact id.
pub fn find(id: &str) -> Option<&'static CatalogItem> {
    all().find(|item| item.id == id)
}

/// An Annex A control by exact id.
pub fn control(id: &str) -> Option<&'static CatalogItem> {
    CONTROLS.iter().find(|item| item.id == id)
}

/// A clause item by exact id.
pub fn clause(id: &str) -> Option<&'static CatalogItem> {
    CLAUSES.iter().find(|item| item.id == id)
}

/// Title of an Annex A area ("A.6") or a clause group ("6").
pub fn area_title(area_id: &str) -> Option<&'static str> {
    CONTROL_AREAS
        .iter()
        .chain(CLAUSE_AREAS.iter())
        .find(|area| area.id == area_id)
        .map(|area| area.title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn counts() {
        assert_eq!(CLAUSES.len(), 32);
        assert_eq!(CONTROLS.len(), 38);
        assert_eq!(all().count(), 70);
        assert!(CLAUSES.iter().all(|c| c.kind == ItemKind::Clause));
        assert!(CONTROLS.iter().all(|c| c.kind == ItemKind::Control));
    }

    #[test]
    fn ids_unique() {
        let mut seen = HashSet::new();
        for item in all() {
            assert!(seen.insert(item.id), "duplicate id {}", item.id);
        }
        let areas: HashSet<_> = CONTROL_AREAS
            .iter()
            .chain(CLAUSE_AREAS.iter())
            .map(|a| a.id)
            .collect();
        assert_eq!(areas.len(), 16);
    }

    #[test]
    fn control_ids_start_with_area() {
        for c in CONTROLS.iter() {
            let prefix = format!("{}.", c.area);
            assert!(c.id.starts_with(&prefix), "{} not in area {}", c.id, c.area);
            assert!(
                CONTROL_AREAS.iter().any(|a| a.id == c.area),
                "unknown area {}",
                c.area
            );
        }
    }

    #[test]
    fn clause_ids_start_with_area() {
        for c in CLAUSES.iter() {
            let prefix = format!("{}.", c.area);
            assert!(
                c.id.starts_with(&prefix),
                "{} not in clause {}",
                c.id,
                c.area
            );
            assert!(
                CLAUSE_AREAS.iter().any(|a| a.id == c.area),
                "unknown clause {}",
                c.area
            );
        }
    }

    #[test]
    fn texts_present_and_well_formed() {
        for item in all() {
            assert!(!item.title.trim().is_empty(), "{} title empty", item.id);
            assert!(!item.intent.trim().is_empty(), "{} intent empty", item.id);
            assert!(
                !item.question.trim().is_empty(),
                "{} question empty",
                item.id
            );
            assert!(
                item.question.ends_with('?'),
                "{} question lacks '?'",
                item.id
            );
            assert!(!item.intent.contains('\n') && !item.question.contains('\n'));
        }
    }

    #[test]
    fn lookups() {
        let v = find("A.6.2.4").map(|i| i.title);
        assert_eq!(v, Some("AI system verification and validation"));
        assert_eq!(find("6.1.2").map(|i| i.kind), Some(ItemKind::Clause));
        assert!(find("A.1.1").is_none());
        assert!(control("6.1.2").is_none());
        assert!(clause("A.7.5").is_none());
        assert_eq!(control("A.7.5").map(|i| i.area), Some("A.7"));
        assert_eq!(clause("9.2.2").map(|i| i.area), Some("9"));
    }

    #[test]
    fn area_titles() {
        assert_eq!(
            area_title("A.10"),
            Some("Third-party and customer relationships")
        );
        assert_eq!(area_title("A.2"), Some("Policies related to AI"));
        assert_eq!(area_title("9"), Some("Performance evaluation"));
        assert_eq!(area_title("A.1"), None);
    }
}
