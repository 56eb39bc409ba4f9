"""The content model in one place: kinds, their attributes, statuses and relation types.

The validator, the compiler, Compare and the UI all read these tables, so an attribute added
here is accepted, stored, compared and displayed with no other change.
"""

from __future__ import annotations

from typing import NamedTuple

# Every status any kind may use; each kind narrows it below. "reference" marks established
# background knowledge (a toxicity, a mechanism) that has no regulatory status of its own.
STATUSES: tuple[str, ...] = (
    "approved",
    "investigational",
    "preclinical",
    "historical",
    "reference",
    "ongoing",
    "completed",
    "terminated",
    "unknown",
)
THERAPY_STATUSES = ("approved", "investigational", "preclinical", "historical")
# "unknown": the registry status could not be checked; better said than guessed.
TRIAL_STATUSES = ("ongoing", "completed", "terminated", "unknown")


class Kind(NamedTuple):
    """One kind of entry and the attributes (name -> display label) that Compare lines up."""

    name: str
    label: str
    plural: str
    attributes: tuple[tuple[str, str], ...]
    statuses: tuple[str, ...] = ("reference",)

    @property
    def attribute_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.attributes)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("overview", "Overview", "Overviews", ()),
        Kind(
            "antigen",
            "Antigen",
            "Antigens",
            (
                ("gene", "Gene / synonyms"),
                ("expression_myeloma", "Expression on myeloma cells"),
                ("expression_normal", "Expression on normal tissue"),
                ("soluble_form", "Soluble form"),
                ("off_tumour_risk", "On-target off-tumour risk"),
                ("escape_mechanisms", "Known escape mechanisms"),
                ("clinical_stage", "Clinical stage of CAR T against it"),
            ),
            ("approved", "investigational", "preclinical"),
        ),
        Kind(
            "product",
            "CAR T product",
            "CAR T products",
            (
                ("target", "Target(s)"),
                ("binding_domain", "Binding domain"),
                ("costimulatory_domain", "Costimulatory domain"),
                ("gene_transfer", "Vector / gene transfer"),
                ("cell_source", "Cell source"),
                ("developer", "Developer"),
                ("manufacturing_time", "Manufacturing time"),
                ("dose", "Dose"),
                ("lymphodepletion", "Lymphodepletion"),
                ("approvals", "Approvals"),
                ("pivotal_trials", "Pivotal trial(s)"),
                ("orr", "Overall response rate"),
                ("cr_rate", "CR / sCR rate"),
                ("median_pfs", "Median PFS"),
                ("median_os", "Median OS"),
                ("crs_any", "CRS, any grade"),
                ("crs_grade3", "CRS, grade ≥3"),
                ("icans_any", "ICANS, any grade"),
                ("icans_grade3", "ICANS, grade ≥3"),
                ("other_toxicity", "Other notable toxicity"),
                ("boxed_warning", "Boxed warning"),
            ),
            THERAPY_STATUSES,
        ),
        Kind(
            "agent",
            "Agent",
            "Agents",
            (
                ("agent_class", "Class"),
                ("target", "Target"),
                ("mechanism", "Mechanism"),
                ("route_schedule", "Route and schedule"),
                ("approval_status", "Approval status"),
                ("key_trial", "Key trial and result"),
                ("role_around_car_t", "Role around CAR T"),
            ),
            THERAPY_STATUSES,
        ),
        Kind(
            "trial",
            "Trial",
            "Trials",
            (
                ("nct", "NCT number"),
                ("phase", "Phase"),
                ("design", "Design"),
                ("comparator", "Comparator"),
                ("population", "Population"),
                ("n", "Patients (n)"),
                ("primary_endpoint", "Primary endpoint"),
                ("orr", "Overall response rate"),
                ("cr_rate", "CR / sCR rate"),
                ("median_pfs", "Median PFS"),
                ("median_os", "Overall survival"),
                ("mrd_negativity", "MRD negativity"),
                ("crs", "CRS (any / grade ≥3)"),
                ("icans", "ICANS (any / grade ≥3)"),
                ("follow_up", "Median follow-up"),
                ("trial_status", "Status"),
                ("key_publication", "Key publication"),
            ),
            TRIAL_STATUSES,
        ),
        Kind(
            "mechanism",
            "Mechanism of failure",
            "Mechanisms of failure",
            (
                ("category", "Category"),
                ("evidence", "Evidence"),
                ("detection", "How it is detected"),
                ("frequency", "Frequency where reported"),
                ("strategies", "Strategies that address it"),
            ),
        ),
        Kind(
            "risk-factor",
            "Risk factor",
            "Risk factors",
            (
                ("definition", "Definition"),
                ("effect_on_outcome", "Effect on response / PFS after CAR T"),
                ("implications", "Implications"),
            ),
        ),
        Kind(
            "toxicity",
            "Toxicity",
            "Toxicities",
            (
                ("onset", "Onset"),
                ("incidence", "Incidence by product"),
                ("grading", "Grading system"),
                ("risk_factors", "Risk factors"),
                ("monitoring", "Monitoring"),
                ("management", "Management"),
                ("prevention", "Prevention"),
            ),
        ),
        Kind(
            "safety-switch",
            "Safety switch",
            "Safety switches",
            (
                ("mechanism", "Mechanism"),
                ("trigger", "Trigger"),
                ("speed", "Speed of effect"),
                ("reversibility", "Reversible?"),
                ("clinical_experience", "Clinical experience"),
                ("limitations", "Limitations"),
            ),
            ("approved", "investigational", "preclinical"),
        ),
        Kind(
            "salvage",
            "Salvage strategy",
            "Salvage strategies",
            (
                ("setting", "Setting"),
                ("evidence", "Evidence after CAR T / prior BCMA"),
                ("timing", "Timing considerations"),
                ("key_toxicity", "Key toxicity"),
            ),
            ("approved", "investigational", "reference"),
        ),
        Kind(
            "design",
            "Design / platform",
            "Designs and platforms",
            (
                ("problem_addressed", "Problem addressed"),
                ("approach", "Approach"),
                ("development_stage", "Development stage"),
                ("representative_products", "Representative products"),
                ("evidence", "Evidence"),
            ),
            ("approved", "investigational", "preclinical"),
        ),
    )
}

# Relation type -> (label read forwards, label read backwards from the target entry).
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "targets": ("Targets", "Targeted by"),
    "studies": ("Studies", "Studied in"),
    "compares_with": ("Comparator", "Comparator in"),
    "causes": ("Can cause", "Seen with"),
    "managed_with": ("Managed with", "Used to manage"),
    "addressed_by": ("Addressed by", "Addresses"),
    "uses": ("Uses", "Used in"),
    "incorporates": ("Incorporates", "Incorporated in"),
    "associated_with": ("Associated with", "Associated with"),
    "related": ("Related", "Related"),
}

REFERENCE_LOCATORS: tuple[str, ...] = ("pmid", "doi", "nct", "url")
