"""AppTest of the Upload page: files go in through st.file_uploader, reports come out, the
accepted data becomes the session's dataset, and back."""

from tests.support.dtm_fixtures import districts, geopackage, locations, master_list


def _frames(at):
    """The page's tables, with their column labels as the frames name them ('Rows in' → 'rows in')."""
    return [d.value.rename(columns=str.lower) for d in at.dataframe]


def test_upload_page_without_files(run_page):
    at = run_page("upload.py")
    assert at.title[0].value == "Load your data"
    assert at.file_uploader[0].accept_multiple_files
    assert "Drop one or several files" in at.info[0].value
    assert at.button(key="upload_reset").disabled


def test_upload_master_lists_presence_and_boundaries_then_reset(run_page, rerun):
    at = run_page("upload.py", timeout=90)
    r1 = master_list(locations(250, seed=1), round_=129, month="May 2023", fmt="xlsx", totals_row=True,
                     filename="DTM_IDP_ML_R129_May2023.xlsx")
    r2 = master_list(locations(250, seed=1), round_=130, fmt="csv", encoding="cp1256")
    pres = ("Organisation,Sector,Governorate,Start date,End date\nIRC,WASH,Anbar,2023-01-01,Apr-2024\n"
            "Acme,Astrology,Anbar,2023-01-01,\n").encode()
    files = [(r1.filename, r1.data, "application/octet-stream"), (r2.filename, r2.data, "text/csv"),
             ("4w.csv", pres, "text/csv"), ("districts.gpkg", geopackage(districts(3)), "application/octet-stream")]
    at.file_uploader[0].set_value(files)
    rerun(at)
    counts = _frames(at)[0].set_index("file")
    assert counts.loc[r1.filename, "accepted"] == 250 and counts.loc[r1.filename, "encoding"] == "xlsx"
    assert counts.loc[r2.filename, "encoding"] == "windows-1256" and counts.loc[r2.filename, "rejected"] == 0
    assert counts.loc["4w.csv", "rejected"] == 1 and counts.loc["districts.gpkg", "accepted"] == 3
    assert (counts["rows in"] == counts["accepted"] + counts["rejected"]).all()
    problems = _frames(at)[1]
    bad = problems[problems["level"] == "error"].iloc[0]
    assert (bad["file"], bad["row"], bad["column"]) == ("4w.csv", "3", "Sector") and "not a service" in bad["reason"]
    assert any("totals row" in r for r in problems["reason"])
    assert [b.label for b in at.get("download_button")][:2] == ["Load report CSV", "Load report Excel"]

    at.radio(key="upload_presence").set_value("replace")
    at.button(key="upload_use").click()
    rerun(at)
    active = at.session_state["dsdash_active_dataset"]
    assert active.origin == "upload" and len(active.sites) == 250
    assert sorted(active.population["dtm_round"].unique().tolist()) == [129, 130]
    assert int(active.population[active.population["dtm_round"] == 130]["households"].sum()) == r2.households
    assert len(active.presence) == 1 and list(active.boundaries) == ["adm2"]
    assert any(t.value.startswith("Uploads: ") for t in at.text)
    assert any("Boundaries loaded: adm2 (3 areas)" in t.value for t in at.text)

    at.button(key="upload_reset").click()
    rerun(at)
    assert "dsdash_active_dataset" not in at.session_state
    assert any(t.value.startswith("Published workspace") for t in at.text)  # back to the workspace


def test_master_list_options_for_files_that_do_not_say(run_page, rerun):
    at = run_page("upload.py")
    csv = "Place ID,Governorate,Location Name,Families\n1,Anbar,A,10\n".encode()
    at.file_uploader[0].set_value(("export.csv", csv, "text/csv"))
    rerun(at)
    counts = _frames(at)[0].iloc[0]  # nothing says the group or the date: its row readable, both asked (issue 11)
    assert (counts["accepted"], counts["rejected"]) == (1, 0)
    assert counts["needs"] == "the population group (IDP or returnee); the reference date"
    assert at.button(key="upload_use").disabled
    import datetime as dt

    at.selectbox(key="upload_group").set_value("returnee")
    at.text_input(key="upload_date_text").input("2024-02-29")  # typed, then Enter (ui/dates.py date_field)
    at.number_input(key="upload_round").set_value(132)
    rerun(at)
    assert _frames(at)[0]["accepted"].iat[0] == 1 and not at.button(key="upload_use").disabled
    at.button(key="upload_use").click()
    rerun(at)
    pop = at.session_state["dsdash_active_dataset"].population
    assert (pop["population_group"].iat[0], int(pop["dtm_round"].iat[0]), int(pop["individuals"].iat[0])) == \
        ("returnee", 132, 60)


def test_a_master_list_without_its_date_waits_for_it(run_page, rerun):
    import datetime as dt

    at = run_page("upload.py")
    fx = master_list(locations(80, seed=3), gen="2019", fmt="xlsx", title_rows=False,
                     filename="IDP_master_list_export.xlsx", extra_columns={"date": "n.d. 30th"})
    at.file_uploader[0].set_value((fx.filename, fx.data, "application/octet-stream"))
    rerun(at)
    counts = _frames(at)[0].iloc[0]
    assert (counts["accepted"], counts["rejected"], counts["needs"]) == (80, 0, "the reference date")
    assert any("80 rows readable; the reference date is needed" in w.value for w in at.warning)
    assert at.button(key="upload_use").disabled
    problems = _frames(at)[1]
    assert (problems["column"] == "date").sum() == 1  # one grouped line for the unreadable column, not 80
    line = problems[problems["column"] == "date"].iloc[0]
    assert line["count"] == 80 and "values not read, e.g. 'n.d. 30th'; column ignored" in line["reason"]
    assert (problems["level"] == "question").sum() == 1

    at.text_input(key="upload_date_text").input("04/05/2019")  # ambiguous: said under the field, nothing changes
    rerun(at)
    assert any("ambiguous" in e.value for e in at.error) and at.button(key="upload_use").disabled
    at.text_input(key="upload_date_text").input("2019-04-30")
    rerun(at)
    assert _frames(at)[0]["needs"].iat[0] in ("", "—")
    assert not [w for w in at.warning if "Local mode" not in w.value]  # the sidebar's local-mode note stays
    assert not at.button(key="upload_use").disabled
    at.button(key="upload_use").click()
    rerun(at)
    pop = at.session_state["dsdash_active_dataset"].population
    assert len(pop) == 80 and int(pop["households"].sum()) == fx.households
    assert set(pop["reference_date"].dt.date) == {dt.date(2019, 4, 30)}
