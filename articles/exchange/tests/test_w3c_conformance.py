"""The W3C export against the web-platform-tests annotation-model suite (w3c_wpt/,
see its PROVENANCE.md): every MUST assertion for an annotation, and the SHOULDs the data
allows, on each exported annotation on its own, attribution links included."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from articles.exchange.export_rows import annotations_for_export, collection_iri, export_stream
from articles.exchange.tests.test_attribution_exchange import coded  # noqa: F401  (fixture)

SUITE = Path(__file__).parent / "w3c_wpt"
MUSTS = json.loads((SUITE / "annotations" / "annotationMusts.test").read_text())["assertions"]
SHOULDS = [
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentIdImplemented.json",
    "annotations/3.3.2-annotationCreatorAgentNameImplemented.json",
    "annotations/bodiesTargets/3.2.1-bodyFormat.json",
    "annotations/bodiesTargets/3.2.1-bodyLanguage.json",
]


def _registry():
    """Every schema file of the suite by the names its $refs use (bare file names), so
    nothing is fetched from the network."""
    resources = []
    for path in SUITE.rglob("*.json"):
        schema = json.loads(path.read_text())
        resource = Resource.from_contents(schema, default_specification=DRAFT4)
        resources.append((path.name, resource))
        resources.append((f"urn:wpt:{path.relative_to(SUITE)}", resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(assertion):
    schema = json.loads((SUITE / assertion).read_text())
    return Draft4Validator(schema, registry=REGISTRY)


def exported_items():
    text = "".join(export_stream(annotations_for_export(), "w3c", collection_id=collection_iri("")))
    return json.loads(text)["first"]["items"]


def test_it_has_the_whole_must_list_and_its_schemas():
    assert len(MUSTS) == 54
    assert all((SUITE / assertion).exists() for assertion in MUSTS + SHOULDS)


@pytest.mark.django_db
def test_every_exported_annotation_meets_every_must_and_the_shoulds(coded):  # noqa: F811
    items = exported_items()
    assert {item["motivation"] for item in items} == {"tagging", "linking"}
    assert any(body.get("purpose") == "identifying" for item in items for body in item["body"])
    failures = []
    for assertion in MUSTS + SHOULDS:
        check = validator(assertion)
        for item in items:
            # Each annotation on its own: it must carry its own @context.
            errors = list(check.iter_errors(json.loads(json.dumps(item))))
            if errors:
                failures.append(f"{assertion} on {item['id']}: {errors[0].message[:200]}")
    assert failures == []


def test_the_suite_catches_a_broken_annotation():
    broken = {"id": 7, "type": "Annotation", "body": {"value": "x"}, "bodyValue": "y"}
    failed = {assertion for assertion in MUSTS if list(validator(assertion).iter_errors(broken))}
    assert {
        "annotations/3.1-annotationContextValidated.json",
        "annotations/3.1-annotationIdValidated.json",
        "annotations/3.1-targetKeyFound.json",
        "annotations/3.2.5-notBodyBodyValue.json",
    } <= failed
