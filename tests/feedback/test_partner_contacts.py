"""Partner contacts kept by the QA team: listed, added, changed, removed, and imported from a CSV file."""

import io

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import PartnerContact
from tests.conftest import ClientRequest, check_page, error_summary

SCHOOL = {
    "organisation": "Ashford Oaks Primary School",
    "agency_type": "school",
    "district": "Ashford",
    "email": "Head@AshfordOaks.sch.uk",
}


def qa_admin(app, staff) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])


def contacts(app) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                PartnerContact.organisation, PartnerContact.agency_type, PartnerContact.district, PartnerContact.email
            ).order_by(PartnerContact.id)
        ).all()
        return [tuple(row) for row in rows]


def upload_contacts(admin: ClientRequest, text: str):
    response = admin.client.post(
        "/admin/partner-contacts/import",
        data={"file": (io.BytesIO(text.encode()), "contacts.csv")},
        content_type="multipart/form-data",
    )
    return response


def test_a_qa_administrator_adds_changes_and_removes_a_partner_contact(app, staff):
    admin = qa_admin(app, staff)
    page = admin.get("/admin/partner-contacts/new")
    # The types of organisation are the partner form's agency-type options.
    assert [item["value"] for item in page.select("input[name=agency_type]")] == [
        "school",
        "health",
        "police",
        "voluntary_sector",
        "housing",
        "other",
    ]
    assert [option["value"] for option in page.select("select[name=district] option")] == [
        "",
        "Ashford",
        "Dover",
        "Thanet",
    ]
    admin.post("/admin/partner-contacts/new", SCHOOL, _expected_redirect="/admin/partner-contacts")
    assert contacts(app) == [("Ashford Oaks Primary School", "school", "Ashford", "head@ashfordoaks.sch.uk")]
    shown = admin.get("/admin/partner-contacts").get_text()
    assert "A school or college" in shown
    assert "head@ashfordoaks.sch.uk" in shown

    with app.app_context():
        contact_id = db.session.scalar(select(PartnerContact.id))
    page = admin.get(f"/admin/partner-contacts/{contact_id}")
    assert page.select_one("input[name=organisation]")["value"] == "Ashford Oaks Primary School"
    admin.post(
        f"/admin/partner-contacts/{contact_id}",
        SCHOOL | {"agency_type": "health", "district": ""},
        _expected_redirect="/admin/partner-contacts",
    )
    assert contacts(app) == [("Ashford Oaks Primary School", "health", "", "head@ashfordoaks.sch.uk")]

    page = admin.get(f"/admin/partner-contacts/{contact_id}/remove")
    assert "Remove the contact at Ashford Oaks Primary School" in page.h1.get_text()
    admin.post(f"/admin/partner-contacts/{contact_id}/remove", {}, _expected_redirect="/admin/partner-contacts")
    assert contacts(app) == []


def test_a_contact_needs_its_answers_and_one_address_is_one_contact(app, staff):
    admin = qa_admin(app, staff)
    page = admin.post("/admin/partner-contacts/new", {"email": "not an address"}, _expected_status=200)
    assert [text for text, _href in error_summary(page)] == [
        "Enter the organisation",
        "Select the type of organisation",
        "Enter their work email address in the correct format, like name@example.gov.uk",
    ]
    admin.post("/admin/partner-contacts/new", SCHOOL, _expected_redirect="/admin/partner-contacts")
    page = admin.post(
        "/admin/partner-contacts/new", SCHOOL | {"email": "head@ashfordoaks.sch.uk"}, _expected_status=200
    )
    assert error_summary(page) == [("There is already a partner contact with that email address", "#email")]
    assert len(contacts(app)) == 1


def test_contacts_are_imported_from_a_csv_and_a_known_address_is_changed(app, staff):
    admin = qa_admin(app, staff)
    admin.post("/admin/partner-contacts/new", SCHOOL, _expected_redirect="/admin/partner-contacts")
    text = (
        "Organisation,Type of organisation,District,Work email,Notes\r\n"
        "Kent Police,Police,Dover,pc.dover@kent.police.uk,x\r\n"
        "Ashford Oaks Primary School,A school or college,ashford,HEAD@ashfordoaks.sch.uk,\r\n"
        ",,,,\r\n"
        "Dover Foodbank,voluntary sector,,help@doverfoodbank.org.uk,\r\n"
    )
    response = upload_contacts(admin, text)
    assert response.status_code == 302
    page = admin.get("/admin/partner-contacts")
    assert "2 partner contact(s) added, 1 changed." in page.get_text()
    assert "Columns not read (QAF has no column for them): ‘Notes’" in page.get_text()
    assert contacts(app) == [
        ("Ashford Oaks Primary School", "school", "Ashford", "head@ashfordoaks.sch.uk"),
        ("Kent Police", "police", "Dover", "pc.dover@kent.police.uk"),
        ("Dover Foodbank", "voluntary_sector", "", "help@doverfoodbank.org.uk"),
    ]


def test_a_csv_of_500_contacts_with_3_bad_lines_lists_the_3_and_stores_nothing(app, staff):
    admin = qa_admin(app, staff)
    rows = [f"School {number},school,Dover,office{number}@school.sch.uk" for number in range(500)]
    rows[9] = "School 9,a bakery,Dover,office9@school.sch.uk"
    rows[199] = "School 199,school,Dover,office199 at school"
    rows[449] = "School 449,health,Atlantis,office449@school.sch.uk"
    response = upload_contacts(admin, "organisation,agency_type,district,email\n" + "\n".join(rows) + "\n")
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert [text for text, _href in error_summary(page)] == [
        "Line 11: agency_type: ‘a bakery’ is not a type of organisation; use school, health, police, "
        "voluntary_sector, housing, other",
        "Line 201: email: ‘office199 at school’ is not an email address",
        "Line 451: district: ‘Atlantis’ is not one of the teams' districts",
    ]
    assert "3 problems in the file: nothing was added or changed" in page.select_one(".govuk-error-message").get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PartnerContact)) == 0


def test_an_upload_without_a_file_or_with_a_missing_column_is_refused(app, staff):
    admin = qa_admin(app, staff)
    page = check_page(admin.client.post("/admin/partner-contacts/import", data={}).get_data(as_text=True))
    assert error_summary(page) == [("Choose a CSV file of partner contacts", "#file")]
    page = check_page(upload_contacts(admin, "organisation,email\nA,a@example.org\n").get_data(as_text=True))
    assert error_summary(page) == [
        ("Line 1: the column ‘agency_type’ is missing", "#file"),
    ]


def test_only_the_qa_team_keeps_partner_contacts(app, staff):
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    manager.get("/admin/partner-contacts", _expected_status=403)
    assert manager.client.post("/admin/partner-contacts/new", data=SCHOOL).status_code == 403
    assert contacts(app) == []


def test_the_import_page_lists_each_column_with_its_values(app, staff):
    page = qa_admin(app, staff).get("/admin/partner-contacts/import")
    rows = {
        row.dt.get_text(" ", strip=True): " ".join(row.dd.get_text().split())
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["agency_type"].startswith(
        "the type of organisation: its value or its words on the partner form: school"
    )
    assert rows["district (optional)"].startswith(
        "the district they mostly work in, one of the teams' districts: Ashford"
    )
