"""validate_enquiry: every problem at once, named by field, in the person's language."""

from __future__ import annotations

import pytest

from geo.i18n import LANGUAGES, t
from geo.store.enquiries import ENQUIRY_FIELDS, ENQUIRY_LIMITS, REQUIRED_FIELDS, validate_enquiry

VALID = {
    "lot_id": "lot-fixture-a",
    "name": "Nguyễn Văn An",
    "organisation": "",
    "email": "an.nguyen+lots@example.com.vn",
    "phone": "",
    "message": "Xin báo giá.\nCảm ơn.",
    "language": "vi",
}


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def test_a_complete_enquiry_has_no_problem():
    assert validate_enquiry(VALID) == []
    assert validate_enquiry({**VALID, "phone": "(0205) 3.851.234", "organisation": "ACME"}) == []


def test_every_required_field_left_empty_or_blank_is_named_in_form_order():
    problems = validate_enquiry({"name": "   ", "organisation": "x"})
    assert fields(problems) == [f for f in ENQUIRY_FIELDS if f in REQUIRED_FIELDS]
    assert {p.key for p in problems} == {"enquiry.problem.required"}


@pytest.mark.parametrize("name", sorted(ENQUIRY_LIMITS))
def test_each_length_limit_comes_from_the_limits_table(name):
    limit = ENQUIRY_LIMITS[name]
    (problem,) = validate_enquiry({**VALID, name: "x" * (limit + 1)})
    assert problem.field == name and problem.key == "enquiry.problem.too_long"
    assert problem.values == {"limit": limit, "found": limit + 1}


def test_spaces_around_a_value_do_not_count_towards_its_limit():
    padded = "  " + "x" * ENQUIRY_LIMITS["name"] + "  "
    assert validate_enquiry({**VALID, "name": padded}) == []


@pytest.mark.parametrize(
    "email",
    [
        "an",
        "an@",
        "@example.com",
        "an@example",
        "an nguyen@example.com",
        "a@b@example.com",
        "x" * 65 + "@example.com",
    ],
)
def test_an_address_that_is_not_an_email_is_refused(email):
    (problem,) = validate_enquiry({**VALID, "email": email})
    assert problem.field == "email" and str(problem) == (
        f"Email: expected an address such as name@example.com; found {email!r}"
    )


@pytest.mark.parametrize("phone", ["12345", "call me", "+84 912 345 678 ext 2", "1" * 16])
def test_a_phone_outside_its_characters_or_digit_count_is_refused(phone):
    (problem,) = validate_enquiry({**VALID, "phone": phone})
    assert problem.field == "phone" and problem.key == "enquiry.problem.phone"


def test_line_breaks_only_in_the_message_and_control_characters_nowhere():
    assert fields(validate_enquiry({**VALID, "organisation": "A\nB"})) == ["organisation"]
    assert fields(validate_enquiry({**VALID, "message": "bell \x07"})) == ["message"]


@pytest.mark.parametrize("language", ["fr", "VI", "", None])
def test_the_preferred_language_is_one_of_the_three(language):
    problems = validate_enquiry({**VALID, "language": language})
    assert fields(problems) == ["language"]


def test_a_lot_must_be_one_that_exists_when_the_lots_are_known():
    assert validate_enquiry(VALID, lot_ids={"lot-fixture-a"}) == []
    assert fields(validate_enquiry(VALID, lot_ids={"lot-other"})) == ["lot_id"]


def test_a_value_that_is_not_text_counts_as_missing():
    assert fields(validate_enquiry({**VALID, "name": 42})) == ["name"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_messages_name_the_field_in_the_persons_language(lang):
    (problem,) = validate_enquiry({**VALID, "email": "x"})
    message = problem.message(lang)
    assert message.startswith(t("enquiry.field.email", lang))
    assert "'x'" in message
