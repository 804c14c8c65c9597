"""The roles of the ``[people]`` table, low in the house: the case file, the
timetable and the letters all name people by these roles."""

from __future__ import annotations

#: People a case can name, by the handbook's roles.
PEOPLE_ROLES: dict[str, str] = {
    "dcs": "Director of children's services (notified by Ofsted, para 82)",
    "icb_chief_executive": "Chief executive of the ICB (notified by the CQC, para 82)",
    "icb_representative": "ICB representative for the inspection (paras 85, 128)",
    "lano": "Local area nominated officer (para 83)",
    "lead_inspector": "Ofsted lead inspector (HMI)",
    "cqc_inspector": "CQC inspector",
    "pcf_contact": "Parent Carer Forum contact (paras 101, 163)",
    "designated_clinical_officer": "ICB designated clinical officer (or medical officer)",
    "principal_authority_contact": "Principal authority for a priority action plan (para 147)",
}
