"""A 4W/5W row naming an implementing partner beside the reporting one (QA finding F11).

The presence is the implementer's (it delivers the service). The organisation type the sheet states
belongs to the reporting partner: UNHCR's "UN" is not given to Harikar (a national NGO), whose type is
then inferred from its name. A note says how many rows name both, so the reporting partner is not
dropped silently.
"""

from __future__ import annotations

from dsdash.importers import import_file

SHEET = "\n".join([
    "Partner name,Implementing partner,Partner type,Governorate,District,Service,Start date,End date",
    "UNHCR,Harikar,UN,Anbar,Falluja,Legal aid,2024-01-01,2024-12-31",
    "UNHCR,UNHCR,UN,Anbar,Ramadi,Legal aid,2024-01-01,2024-12-31",
    "NRC,,INGO,Anbar,Ramadi,Shelter,2024-01-01,2024-12-31",
    ""]).encode()


def test_the_implementer_serves_and_does_not_take_the_reporting_partners_type():
    res = import_file(SHEET, "4W_Anbar_April2024.csv")
    rep = res.report
    assert (rep.rows_in, rep.rows_accepted, rep.rows_rejected) == (3, 3, 0), [str(p) for p in rep.problems]
    types = dict(zip(res.tables["presence"]["partner"], res.tables["presence"]["partner_type"]))
    assert types == {"Harikar": "other", "UNHCR": "UN", "NRC": "INGO"}  # Harikar: not 'UN'
    assert ("1 row names an implementing partner beside the reporting partner (column 'Partner name'): the presence "
            "is the implementer's; the stated organisation type is not applied to it") in rep.notes
