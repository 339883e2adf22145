"""The OpenAPI schema tells the truth: real answers match what it declares (integrators generate clients
from it). Nullable fields, plain lists, downloads' content types, the error answers of every operation and
the pagination parameters."""

import io
import re
from functools import cache

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator  # drf-spectacular's own dependency
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from apec_cards.services import letter_render
from approvals import services as approvals
from foreign_affairs.api.pagination import PortalPagination
from foreign_affairs.reports.models import CONTENT_TYPES
from tests.apec_cards.helpers import draft, issued_card
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TRAVEL = "/api/v1/travel-applications/"
CARD_APPLICATIONS = "/api/v1/apec-cards/applications/"
CARDS = "/api/v1/apec-cards/cards/"


# The schema, and checking an answer against it ---------------------------------------------------------


@cache
def generated():
    """The generator after a run (its registry knows the serializer behind each component) and the schema."""
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


def schema() -> dict:
    return generated()[1]


def operation(path: str, method: str = "get") -> dict:
    return schema()["paths"][path][method]


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def as_json_schema(node):
    """OpenAPI 3.0 to JSON Schema, strictly: `nullable` becomes a null alternative, and an object with
    declared properties has no others (an answer with an undeclared key does not match)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if "properties" in converted and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def response_schema(path: str, method: str, status: int, media_type: str = "application/json") -> dict:
    return operation(path, method)["responses"][str(status)]["content"][media_type]["schema"]


def mismatches(body, declared: dict) -> list[str]:
    validator = Draft202012Validator(
        {**as_json_schema(declared), "components": as_json_schema(schema()["components"])},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [f"{list(error.absolute_path)}: {error.message[:300]}" for error in validator.iter_errors(body)]


def assert_answer_matches(response, path: str, method: str = "get"):
    """The answer's body matches what the schema declares for its operation and status."""
    declared = operation(path, method)["responses"]
    assert str(response.status_code) in declared, (
        f"{method.upper()} {path} answered {response.status_code}, which it does not declare"
    )
    problems = mismatches(
        response.json(), declared[str(response.status_code)]["content"]["application/json"]["schema"]
    )
    assert not problems, f"{method.upper()} {path} → {response.status_code}:\n" + "\n".join(problems)
    return response.json()


def template(url: str) -> str:
    """/api/v1/x/12/y/ → /api/v1/x/{id}/y/"""
    return "/".join("{id}" if part.isdigit() else part for part in url.split("/"))


@pytest.fixture
def demo_officer(demo):
    return get_user_model().objects.get(username="officer")


# Real answers match the schema ---------------------------------------------------------------------------


def test_every_list_and_a_sample_of_details_answer_as_declared_to_office_staff(demo_officer, api_as):
    api = api_as(demo_officer)
    lists = [
        path
        for path, operations in schema()["paths"].items()
        if "get" in operations and "{" not in path and path.startswith("/api/v1/")
    ]
    problems, checked = [], 0
    for path in lists:
        response = api.get(path)
        if response.status_code != 200:
            problems.append(f"GET {path} → {response.status_code}")
            continue
        body = response.json()
        problems += [
            f"GET {path} {problem}" for problem in mismatches(body, response_schema(path, "get", 200))
        ]
        checked += 1
        items = body.get("results", body) if isinstance(body, dict) else body
        detail = next((p for p in schema()["paths"] if re.fullmatch(r"\{\w+\}/", p.removeprefix(path))), None)
        if detail is None or not isinstance(items, list):
            continue
        key = detail[len(path) + 1 : -2]
        for item in items[:3]:
            answer = api.get(f"{path}{item.get(key, item.get('id'))}/")
            problems += [
                f"GET {detail} {p}" for p in mismatches(answer.json(), response_schema(detail, "get", 200))
            ]
    assert checked >= 15
    assert not problems, "\n".join(problems)


# 1. Nullable fields are declared nullable ----------------------------------------------------------------


def _response_components():
    """(component name, its schema, the serializer behind it) for every component answers use."""
    generator, document = generated()
    # The registry is drf-spectacular's record of which serializer made which component.
    for component in generator.registry._components.values():
        serializer = component.object
        if (
            component.type == "schemas"
            and isinstance(serializer, serializers.Serializer)
            and not component.name.endswith("Request")
            and not component.name.startswith("Paginated")  # the page around a list of the serializer's
            and "properties" in document["components"]["schemas"].get(component.name, {})
        ):
            yield component.name, document["components"]["schemas"][component.name], serializer


def _through_nullable_relation(model, source: str) -> bool:
    for part in source.split(".")[:-1]:
        try:
            field = model._meta.get_field(part)
        except Exception:
            return False
        if not field.is_relation:
            return False
        if field.null or (field.one_to_one and field.auto_created):
            return True
        model = field.related_model
    return False


def test_every_field_that_can_be_null_is_declared_nullable():
    """A read-only field with `default=None`, or read through a relation that may be empty, answers null:
    the schema must say so (and without a default the key would vanish from the answer instead)."""
    wrong = []
    for name, component, serializer in _response_components():
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        for field_name, field in serializer.fields.items():
            if field.write_only or isinstance(field, serializers.SerializerMethodField):
                continue
            through = (
                model is not None and "." in field.source and _through_nullable_relation(model, field.source)
            )
            if through and field.default is not None and not field.allow_null:
                wrong.append(f"{name}.{field_name}: give it default=None, allow_null=True")
            elif (field.default is None or through) and not component["properties"][field_name].get(
                "nullable"
            ):
                wrong.append(f"{name}.{field_name}: declared non-nullable")
    assert not wrong, "\n".join(wrong)


def test_the_named_nullable_fields_are_null_in_real_answers_and_nullable_in_the_schema(
    api_as, officer, applicant, liaison, organization
):
    components = schema()["components"]["schemas"]
    for component, field in [
        ("Application", "assigned_officer"),
        ("CardApplication", "assigned_officer"),
        ("CardApplication", "replaces_card"),
        ("CardApplication", "economies_pending"),
        ("CardApplicationList", "economies_pending"),
        ("CardApplicationList", "economies_approved"),
        ("Card", "replaces"),
    ]:
        assert components[component]["properties"][field].get("nullable") is True, (component, field)

    api = api_as(officer)
    application = ApplicationFactory(organization=organization, in_review=True, created_by=applicant)
    body = assert_answer_matches(api.get(f"{TRAVEL}{application.pk}/"), f"{TRAVEL}{{id}}/")
    assert body["assigned_officer"] is None

    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    body = assert_answer_matches(api.get(f"{CARDS}{card.pk}/"), f"{CARDS}{{id}}/")
    assert body["replaces"] is None

    pending = draft(applicant, PersonFactory(organization=organization))
    body = assert_answer_matches(api.get(f"{CARD_APPLICATIONS}{pending.pk}/"), f"{CARD_APPLICATIONS}{{id}}/")
    assert body["replaces_card"] is None and body["assigned_officer"] is None
    assert body["economies_pending"] == 0  # counted in the detail too, as in lists and actions
    assert_answer_matches(api.get(CARD_APPLICATIONS), CARD_APPLICATIONS)


# 2. Custom actions that answer a plain list are declared as one ----------------------------------------


@pytest.mark.parametrize("area", [TRAVEL, CARD_APPLICATIONS])
@pytest.mark.parametrize("name, item", [("history", "History"), ("precheck", "Finding")])
def test_history_and_precheck_are_declared_as_plain_lists(area, name, item):
    declared = operation(f"{area}{{id}}/{name}/")
    assert response_schema(f"{area}{{id}}/{name}/", "get", 200) == {
        "type": "array",
        "items": {"$ref": f"#/components/schemas/{item}"},
    }
    assert [p["name"] for p in declared.get("parameters", [])] == ["id"]  # no page, page_size or filters


def test_history_and_precheck_answer_plain_lists(api_as, officer, applicant, liaison, organization):
    application = ApplicationFactory(organization=organization, created_by=applicant)
    approvals.application_transition(application=application, actor=applicant, name="submit")
    card_application = draft(applicant, PersonFactory(organization=organization))
    for url in [f"{TRAVEL}{application.pk}/", f"{CARD_APPLICATIONS}{card_application.pk}/"]:
        for name in ("history", "precheck"):
            body = assert_answer_matches(api_as(applicant).get(f"{url}{name}/"), template(f"{url}{name}/"))
            assert isinstance(body, list)
    history = api_as(applicant).get(f"{TRAVEL}{application.pk}/history/").json()
    assert [event["to_state"] for event in history][-1] == "submitted"


def test_shared_actions_declare_their_bodies_and_answers():
    """extend_schema under @action used to be dropped: transitions showed no body and the history the
    object's detail."""
    for path, operations in schema()["paths"].items():
        if not path.startswith((TRAVEL, CARD_APPLICATIONS, CARDS)) or "post" not in operations:
            continue
        action = path.rstrip("/").rsplit("/", 1)[1]
        post = operations["post"]
        if action in ("attachments", "assign", "preclearances", "{id}") or "{" not in path:
            continue
        assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
            ("/TransitionRequest", "/ReportRequest")
        ), path
        assert resolve(response_schema(path, "post", 409)) == resolve(
            {"$ref": "#/components/schemas/Conflict"}
        ), path
    attachments = operation(f"{TRAVEL}{{id}}/attachments/", "post")
    assert (
        "201" in attachments["responses"] and "multipart/form-data" in attachments["requestBody"]["content"]
    )
    assert "AssignRequest" in str(operation(f"{TRAVEL}{{id}}/assign/", "post")["requestBody"])


# 3. Downloads declare their real content type ---------------------------------------------------------


def _download_types(path: str) -> set[str]:
    return set(operation(path)["responses"]["200"]["content"])


def _assert_download_as_declared(response, path: str):
    assert response.status_code == 200
    assert response["Content-Type"] in _download_types(path), (
        response["Content-Type"],
        _download_types(path),
    )
    assert b"".join(response.streaming_content)


def test_permit_and_letter_are_declared_and_served_as_pdf(
    api_as, applicant, liaison, officer, organization, settings, django_capture_on_commit_callbacks
):
    assert _download_types(f"{TRAVEL}{{id}}/permit/") == {"application/pdf"}
    assert _download_types(f"{CARDS}{{id}}/letter/") == {"application/pdf"}
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = ApplicationFactory(organization=organization, in_review=True, created_by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.application_transition(application=application, actor=officer, name="approve")
    url = f"{TRAVEL}{application.pk}/permit/"
    _assert_download_as_declared(api_as(applicant).get(url), template(url))
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    letter_render(card_id=card.pk)
    url = f"{CARDS}{card.pk}/letter/"
    _assert_download_as_declared(api_as(applicant).get(url), template(url))


def test_a_document_is_served_as_the_type_it_was_uploaded_as(api_as, applicant):
    assert _download_types("/api/v1/documents/{id}/download/") == {
        "application/pdf",
        "image/jpeg",
        "image/png",
    }
    picture = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(picture, format="PNG")
    api = api_as(applicant)
    created = api.post(
        "/api/v1/documents/",
        {"kind": "other", "file": SimpleUploadedFile("photo.png", picture.getvalue())},
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    response = api.get(f"/api/v1/documents/{created.json()['id']}/download/")
    _assert_download_as_declared(response, "/api/v1/documents/{id}/download/")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_report_export_is_served_as_declared(api_as, manager, format, django_capture_on_commit_callbacks):
    assert _download_types("/api/v1/reports/{id}/download/") == set(CONTENT_TYPES.values())
    api = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/v1/reports/", {"report": "travel_approvals", "format": format}, format="json")
    assert job.status_code == 202, job.json()
    response = api.get(f"/api/v1/reports/{job.json()['id']}/download/")
    _assert_download_as_declared(response, "/api/v1/reports/{id}/download/")


# 4. Error answers are documented, in the one error shape -----------------------------------------------


def test_every_operation_documents_its_error_answers():
    missing = []
    for path, operations in schema()["paths"].items():
        for method, declared in operations.items():
            codes = set(declared["responses"])
            expected = {"429"}
            if declared.get("security"):
                expected.add("401")
            if "{" in path:
                expected.add("404")
            if method in ("post", "put", "patch"):
                expected |= {"400", "403"}
            if any(p["name"] == "page" for p in declared.get("parameters", [])):
                expected |= {"400", "404"}
            missing += [f"{method.upper()} {path}: {code}" for code in sorted(expected - codes)]
            for code in codes - {"200", "201", "202", "204"}:
                content = declared["responses"][code].get("content", {})
                ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                if not ref.endswith("/Conflict" if code == "409" else "/Error"):
                    missing += [f"{method.upper()} {path}: {code} without the error shape"]
    assert not missing, "\n".join(missing)
    error = schema()["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code", "errors"}
    conflict = schema()["components"]["schemas"]["Conflict"]
    assert {"state", "available_transitions"} <= set(conflict["required"])


def test_error_answers_match_the_documented_shape(api_as, applicant, officer, organization):
    office, enterprise = api_as(officer), api_as(applicant)

    bad_filter = office.get(TRAVEL, {"state": "nonsense"})
    assert bad_filter.status_code == 400
    assert assert_answer_matches(bad_filter, TRAVEL)["errors"][0]["field"] == "state"
    bad_ordering = office.get(TRAVEL, {"ordering": "passport_number"})
    assert bad_ordering.status_code == 400
    assert assert_answer_matches(bad_ordering, TRAVEL)["errors"][0]["field"] == "ordering"

    anonymous = APIClient().get(TRAVEL)
    assert (
        anonymous.status_code == 401
        and assert_answer_matches(anonymous, TRAVEL)["code"] == "not_authenticated"
    )

    forbidden = enterprise.get("/api/v1/reports/")
    assert forbidden.status_code == 403 and assert_answer_matches(forbidden, "/api/v1/reports/")

    application = ApplicationFactory(organization=organization, created_by=applicant)
    refused = enterprise.post(f"{TRAVEL}{application.pk}/approve/", {}, format="json")
    assert refused.status_code == 403 and assert_answer_matches(refused, f"{TRAVEL}{{id}}/approve/", "post")

    incomplete = draft(applicant, PersonFactory(organization=organization), attach=False)
    rules = enterprise.post(f"{CARD_APPLICATIONS}{incomplete.pk}/submit/", {}, format="json")
    assert rules.status_code == 400
    body = assert_answer_matches(rules, f"{CARD_APPLICATIONS}{{id}}/submit/", "post")
    assert body["code"] == "rules_failed" and {error["severity"] for error in body["errors"]} == {"error"}

    missing = office.get(f"{TRAVEL}999999/")
    assert (
        missing.status_code == 404
        and assert_answer_matches(missing, f"{TRAVEL}{{id}}/")["code"] == "not_found"
    )

    conflict = office.post(f"{TRAVEL}{application.pk}/approve/", {}, format="json")
    assert conflict.status_code == 409
    body = assert_answer_matches(conflict, f"{TRAVEL}{{id}}/approve/", "post")
    assert body["state"] == "draft" and isinstance(body["available_transitions"], list)

    not_editable = office.patch(f"{TRAVEL}{application.pk}/", {"title": "x"}, format="json")
    assert not_editable.status_code in (403, 409)
    assert_answer_matches(not_editable, f"{TRAVEL}{{id}}/", "patch")


# 5. List parameters: refused when invalid, the cap documented ------------------------------------------


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"page_size": "null"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "2.5"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
    ],
)
def test_invalid_pagination_parameters_are_refused_naming_the_parameter(api_as, applicant, query, parameter):
    response = api_as(applicant).get("/api/v1/people/", query)
    assert response.status_code == 400
    body = assert_answer_matches(response, "/api/v1/people/")
    assert [error["field"] for error in body["errors"]] == [parameter]


def test_page_size_is_capped_at_100_as_documented_and_a_page_past_the_last_is_404(
    api_as, applicant, organization
):
    PersonFactory.create_batch(3, organization=organization)
    api = api_as(applicant)
    assert len(api.get("/api/v1/people/", {"page_size": 100000}).json()["results"]) == 3
    assert len(api.get("/api/v1/people/", {"page_size": 2, "page": "last"}).json()["results"]) == 1
    assert api.get("/api/v1/people/", {"page_size": "", "page": ""}).json()["count"] == 3  # empty: not given
    past = api.get("/api/v1/people/", {"page": 99})
    assert past.status_code == 404 and assert_answer_matches(past, "/api/v1/people/")["code"] == "not_found"
    parameters = {p["name"]: p for p in operation("/api/v1/people/")["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}
    assert (
        f"more than {PortalPagination.max_page_size} gives {PortalPagination.max_page_size}"
        in (parameters["page_size"]["description"])
    )
    assert "404" in parameters["page"]["description"]


def test_search_and_ordering_are_declared_only_as_the_view_accepts_them():
    memberships = {p["name"]: p for p in operation("/api/v1/memberships/")["parameters"]}
    assert "search" not in memberships  # no search_fields: DRF would ignore it
    orderable = memberships["ordering"]["schema"]["items"]["enum"]
    assert "created_at" in orderable and "-created_at" in orderable
    assert not any("get_full_name" in name for name in orderable)  # a method: the database cannot order by it
    organizations = {p["name"]: p for p in operation("/api/v1/organizations/")["parameters"]}
    assert "search" in organizations
    assert set(organizations["ordering"]["schema"]["items"]["enum"]) == {
        "name_zh",
        "created_at",
        "-name_zh",
        "-created_at",
    }


def test_every_declared_ordering_answers_and_an_unknown_one_is_as_documented(demo_officer, api_as):
    api = api_as(demo_officer)
    lists = {
        path: {p["name"]: p for p in operations["get"].get("parameters", [])}
        for path, operations in schema()["paths"].items()
        if "get" in operations and "{" not in path
    }
    ordered = {path: parameters["ordering"] for path, parameters in lists.items() if "ordering" in parameters}
    assert len(ordered) >= 10
    for path, ordering in ordered.items():
        names = ordering["schema"]["items"]["enum"]  # the names, not any string
        for name in names:
            if not name.startswith("-"):
                assert api.get(path, {"ordering": name}).status_code == 200, (path, name)
        unknown = api.get(path, {"ordering": "no_such_field"})
        if "Names not listed are ignored" in ordering.get("description", ""):  # DRF's OrderingFilter
            assert unknown.status_code == 200, path
        else:  # django-filter's: refused
            assert unknown.status_code == 400, path
            assert assert_answer_matches(unknown, path)["errors"][0]["field"] == "ordering"
