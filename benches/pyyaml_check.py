#!/usr/bin/env python3
"""A basic workspace check in Python with PyYAML, to compare `aims check` against.

Usage: python3 benches/pyyaml_check.py DIR

It parses every record file of the workspace (with libyaml's C loader, yaml.CSafeLoader,
when PyYAML was built with it), checks that each file holds a mapping whose `id` matches
the file name, that the required fields of the common record types are present, and that
references to people, systems, suppliers, audits, incidents, nonconformities and Annex A
controls resolve. It prints the number of records and findings and exits 1 on any finding.

This is a floor to compare against, not a second implementation of the rules: `aims check`
does much more (every field kind, conditional fields, dates, the catalog, evidence paths).
"""

import os
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
    LOADER = "CSafeLoader (libyaml)"
except AttributeError:
    Loader = yaml.SafeLoader
    LOADER = "SafeLoader (pure Python: install libyaml and rebuild PyYAML for the C loader)"

DIRS = {
    "systems": "system",
    "risks": "risk",
    "impact-assessments": "impact_assessment",
    "soa": "soa",
    "audits": "audit",
    "nonconformities": "nonconformity",
    "incidents": "incident",
    "suppliers": "supplier",
    "management-reviews": "management_review",
    "documents": "document",
    "objectives": "objective",
}

REQUIRED = {
    "system": ["id", "name", "purpose", "roles", "owner", "lifecycle_stage",
               "deployment_environment", "data_inputs", "personal_data", "provenance",
               "risk_tier", "human_oversight"],
    "risk": ["id", "title", "description", "category", "likelihood", "impact",
             "treatment", "owner", "status"],
    "impact_assessment": ["id", "system", "version", "assessor", "performed_on",
                          "intended_use", "foreseeable_misuse", "affected_parties",
                          "mitigations", "conclusion", "status"],
    "soa": ["id", "applicable", "justification", "status"],
    "audit": ["id", "title", "scope", "lead_auditor", "planned_on", "status"],
    "nonconformity": ["id", "source", "source_ref", "requirement", "severity",
                      "description", "owner", "due", "status"],
    "incident": ["id", "system", "occurred_on", "type", "severity", "description",
                 "status"],
    "supplier": ["id", "name", "services", "owner"],
    "document": ["id", "title", "kind", "version", "owner"],
    "objective": ["id", "title", "measure", "target", "owner", "due"],
}

PERSON_FIELDS = ["owner", "assessor", "approved_by", "accepted_by", "lead_auditor",
                 "verified_by", "chair"]


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = sys.argv[1]
    findings = []
    with open(os.path.join(root, "aims.yaml"), "rb") as f:
        settings = yaml.load(f, Loader=Loader) or {}
    people = {p.get("id") for p in settings.get("people", []) if isinstance(p, dict)}

    records = {}  # id -> (kind, path, mapping)
    for folder, kind in DIRS.items():
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".yaml"):
                continue
            path = os.path.join(d, name)
            try:
                with open(path, "rb") as f:
                    data = yaml.load(f, Loader=Loader)
            except yaml.YAMLError as e:
                findings.append(f"{path}: does not parse: {e}")
                continue
            if not isinstance(data, dict):
                findings.append(f"{path}: not a mapping")
                continue
            stem = name[: -len(".yaml")]
            if str(data.get("id")) != stem:
                findings.append(f"{path}: id {data.get('id')!r} does not match the file name")
            for field in REQUIRED.get(kind, []):
                if data.get(field) in (None, "", []):
                    findings.append(f"{path}: missing `{field}`")
            records[stem] = (kind, path, data)

    def want(path, ref, kinds, field):
        rec = records.get(str(ref))
        if rec is None or rec[0] not in kinds:
            findings.append(f"{path}: `{field}` refers to {ref!r}, which is not a {'/'.join(kinds)}")

    for rid, (kind, path, data) in records.items():
        for field in PERSON_FIELDS:
            for person in as_list(data.get(field)):
                if person not in people:
                    findings.append(f"{path}: `{field}` names {person!r}, not a person")
        for field in ("auditors", "auditees", "attendees"):
            for person in as_list(data.get(field)):
                if person not in people:
                    findings.append(f"{path}: `{field}` names {person!r}, not a person")
        if kind in ("risk", "supplier", "document"):
            for s in as_list(data.get("systems")):
                want(path, s, ["system"], "systems")
        if kind in ("impact_assessment", "incident"):
            want(path, data.get("system"), ["system"], "system")
        if kind == "system":
            for s in as_list(data.get("suppliers")):
                want(path, s, ["supplier"], "suppliers")
        for c in as_list(data.get("controls")):
            want(path, c, ["soa"], "controls")
        if kind == "nonconformity":
            source = {"audit": "audit", "incident": "incident", "review": "management_review"}
            if data.get("source") in source:
                want(path, data.get("source_ref"), [source[data["source"]]], "source_ref")
        if kind == "audit":
            for item in as_list(data.get("checklist")):
                if isinstance(item, dict) and item.get("nc") is not None:
                    want(path, item["nc"], ["nonconformity"], "checklist.nc")
                if isinstance(item, dict) and item.get("result") in ("minor-nc", "major-nc") \
                        and item.get("nc") is None:
                    findings.append(f"{path}: {item.get('ref')} has an NC result and no `nc`")

    for line in findings[:50]:
        print(line)
    print(f"{len(findings)} findings in {len(records)} records ({LOADER})")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
