"""`apigen diff`: one small spec pair per change kind, classified; the Parallel spec end to end."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from generator.cli import main
from generator.config import ProjectConfig
from generator.diff import (
    Bump,
    Report,
    Severity,
    diff_apis,
    render_json,
    render_markdown,
    render_text,
)
from generator.errors import SpecWarning
from generator.pipeline import load_api
from tests.conftest import ROOT, SPEC, SPECS

CASES = SPECS / "diff"
REPORT_SCHEMA = ROOT / "docs" / "diff-report.schema.json"
B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING

# case folder → every change expected, as (kind, severity, location), in report order
EXPECTED: dict[str, list[tuple[str, Severity, str]]] = {
    "operation-removed": [("operation-removed", B, "client.pets.retrieve")],
    "operation-added": [("operation-added", N, "client.pets.delete")],
    "operation-deprecated": [("operation-deprecated", N, "client.pets.list")],
    "required-parameter-added": [("required-parameter-added", B, "client.pets.list(owner=…)")],
    "optional-parameter-added": [("parameter-added", N, "client.pets.list(owner=…)")],
    "parameter-removed": [("parameter-removed", B, "client.pets.list(limit=…)")],
    "parameter-renamed": [("parameter-renamed", B, "client.pets.list(max_items=…)")],
    "parameter-became-required": [("parameter-became-required", B, "client.pets.list(limit=…)")],
    "parameter-type-changed": [("type-changed", B, "client.pets.list(limit=…)")],
    "request-body-removed": [("request-body-removed", B, "client.pets.create")],
    "request-required-field-added": [("required-field-added", B, "NewPet.owner")],
    # a schema on a cycle (parent, children), used by a request and responses: the comparison
    # ends, and the request usage makes the new required field breaking
    "recursive-schema-field-added": [("required-field-added", B, "Category.slug")],
    "request-optional-field-added": [("field-added", N, "NewPet.color")],
    "request-field-became-required": [("field-became-required", B, "NewPet.age")],
    "request-enum-value-removed": [("enum-value-removed", B, "NewPet.kind")],
    "request-enum-value-added": [("enum-value-added", N, "NewPet.kind")],
    "request-type-widened": [("union-member-added", N, "NewPet.age")],
    "request-extra-fields-forbidden": [("extra-fields-forbidden", P, "NewPet")],
    "enum-split-into-union": [("enum-value-added", N, "NewPet.kind")],
    "request-formats-changed": [
        ("format-changed", N, "NewPet.age"),
        ("format-changed", P, "NewPet.tag"),
    ],
    "response-field-removed": [("field-removed", B, "Pet.tag")],
    # the operations are unchanged; the component they return, as items or whole, may be null
    "response-became-nullable-through-ref": [
        ("became-nullable", B, "client.pets.list[]"),
        ("became-nullable", B, "client.pets.create"),
        ("became-nullable", B, "client.pets.retrieve"),
    ],
    "response-became-raw": [
        ("media-type-removed", B, "client.pets.retrieve"),
        ("media-type-added", P, "client.pets.retrieve"),
        ("return-kind-changed", B, "client.pets.retrieve"),
    ],
    "response-field-added": [("field-added", N, "Pet.age")],
    "response-field-renamed": [("field-renamed", B, "Pet.tag")],
    "response-field-became-optional": [("field-became-optional", B, "Pet.name")],
    "response-field-became-nullable": [("became-nullable", B, "Pet.name")],
    "response-enum-value-added": [("enum-value-added", P, "Pet.status")],
    "response-enum-value-removed": [("enum-value-removed", N, "Pet.status")],
    "response-type-widened": [("union-member-added", P, "Pet.id")],
    "response-format-date-time": [("python-type-changed", B, "Pet.born")],
    "const-replaced": [("enum-values-replaced", B, "Pet.object")],
    "type-changed": [("type-changed", B, "Pet.id")],
    "format-changed": [("format-changed", N, "Pet.id")],
    "field-deprecated": [("field-deprecated", N, "Pet.tag")],
    "union-member-added": [
        ("union-member-added", P, "Event"),
        ("discriminator-value-added", P, "Event"),
        ("type-added", N, "Updated"),
    ],
    "union-member-removed": [
        ("union-member-removed", N, "Event"),
        ("discriminator-value-removed", N, "Event"),
        ("type-removed", B, "Updated"),
    ],
    "discriminator-changed": [
        ("discriminator-changed", B, "Event"),
        ("field-renamed", B, "Created.type"),
        ("field-renamed", B, "Deleted.type"),
    ],
    "security-scheme-changed": [("security-scheme-changed", B, "security scheme apiKey")],
    "security-requirement-added": [
        ("security-scheme-added", N, "security scheme bearer"),
        ("security-requirement-added", B, "security"),
    ],
    "default-server-changed": [
        ("default-server-changed", P, "servers"),
        ("server-added", N, "servers"),
        ("server-removed", N, "servers"),
    ],
    "server-added": [("server-added", N, "servers")],
    "success-response-removed": [
        ("response-removed", B, "client.pets.retrieve"),
        ("response-added", N, "client.pets.retrieve"),
    ],
    # Refactors that keep every resolved shape: nothing breaks (issue 16, point 1).
    "refactor-inline-to-component": [
        ("type-renamed", P, "Metadata"),
        ("type-renamed", P, "Metadata"),
    ],
    "refactor-enum-behind-ref": [("type-added", N, "PetName"), ("type-added", N, "PetStatus")],
    "refactor-allof-and-reorder": [("type-added", N, "PetBase")],
    # A component renamed with the same shape: one rename, breaking only for imports of the name.
    "component-renamed-same-shape": [("type-renamed", B, "Animal")],
    "ref-retargeted": [("type-changed", B, "Pet.owner")],
    "path-parameter-renamed": [
        ("path-parameters-renamed", N, "client.pets.retrieve"),
        ("argument-renamed", B, "client.pets.retrieve(id=…)"),
    ],
    # Default names come from the HTTP shape: a new operationId renames nothing.
    "operation-id-renamed": [("operation-id-changed", N, "client.pets.list")],
    "degraded-to-any": [("type-loosened-to-any", B, "Pet.target")],
    "unused-component-field-removed": [
        ("field-removed", N, "PetWebhook.note"),
        ("required-field-added", N, "PetWebhook.kind"),
    ],
    "shared-schema-required-field": [("required-field-added", B, "NewPet.owner")],
    "no-change": [],
}


def _report(case: str, config: ProjectConfig | None = None) -> Report:
    warnings: list[SpecWarning] = []
    old = load_api(CASES / case / "old.yaml")[1]
    new = load_api(CASES / case / "new.yaml", warnings)[1]
    return diff_apis(old, new, old_config=config, new_config=config, new_warnings=warnings)


def test_every_case_folder_has_an_expectation() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_change_is_classified(case: str) -> None:
    report = _report(case)
    assert [(c.kind, c.severity, c.location) for c in report.changes] == EXPECTED[case]
    assert report.breaking == any(sev is B for _, sev, _ in EXPECTED[case])


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_exit_code_follows_fail_on(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(CASES / case / "old.yaml"), str(CASES / case / "new.yaml")
    severities = {sev for _, sev, _ in EXPECTED[case]}
    assert main(["diff", old, new]) == (1 if B in severities else 0)
    assert main(["diff", old, new, "--fail-on", "potentially-breaking"]) == (
        1 if severities & {B, P} else 0
    )
    assert main(["diff", old, new, "--fail-on", "none"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("case", "bump"),
    [
        ("operation-removed", Bump.MAJOR),
        ("operation-added", Bump.MINOR),
        ("response-enum-value-added", Bump.MINOR),
        ("operation-deprecated", Bump.PATCH),
        ("no-change", Bump.NONE),
    ],
)
def test_suggested_bump(case: str, bump: Bump) -> None:
    assert _report(case).suggested_bump is bump


def _modified_parallel(tmp_path: Path) -> Path:
    """The Parallel spec with an operation removed, a required request field added, an enum
    value removed."""
    data = json.loads(SPEC.read_text(encoding="utf-8"))
    del data["paths"]["/v1alpha/monitors/{monitor_id}"]["delete"]
    schemas = data["components"]["schemas"]
    schemas["CreateMonitorRequest"]["properties"]["timezone"] = {
        "type": "string",
        "title": "Timezone",
    }
    schemas["CreateMonitorRequest"]["required"].append("timezone")
    schemas["SearchRequest"]["properties"]["mode"]["anyOf"][0]["enum"].remove("agentic")
    data["info"]["version"] = "0.2.0"
    path = tmp_path / "parallel-0.2.0.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


PARALLEL_TEXT = """\
Parallel API 0.1.2 → 0.2.0: 3 breaking, 0 potentially-breaking, 0 non-breaking

Breaking changes (3):
  - client.alpha.monitors.delete (DELETE /v1alpha/monitors/{monitor_id}): \
operation removed (calls to it break)
  - SearchRequest.mode: enum value 'agentic' removed
      used by: request body of POST /v1beta/search
  - CreateMonitorRequest.timezone: new required field
      used by: request body of POST /v1alpha/monitors

suggested version bump: major
"""


def test_parallel_spec_against_modified_copy_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _modified_parallel(tmp_path)
    assert main(["diff", str(SPEC), str(new)]) == 1
    assert capsys.readouterr().out == PARALLEL_TEXT


def test_parallel_spec_against_modified_copy_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _modified_parallel(tmp_path)
    assert main(["diff", str(SPEC), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["breaking"] is True
    assert data["suggested_bump"] == "major"
    assert data["summary"] == {"breaking": 3, "potentially-breaking": 0, "non-breaking": 0}
    assert [(c["kind"], c["location"], c["route"]) for c in data["changes"]] == [
        (
            "operation-removed",
            "client.alpha.monitors.delete",
            "DELETE /v1alpha/monitors/{monitor_id}",
        ),
        ("enum-value-removed", "SearchRequest.mode", None),
        ("required-field-added", "CreateMonitorRequest.timezone", None),
    ]
    assert data["changes"][2]["usages"] == [
        {
            "route": "POST /v1alpha/monitors",
            "method": "client.alpha.monitors.create",
            "role": "request body",
            "direction": "request",
            "severity": "breaking",
        }
    ]
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))


def test_parallel_spec_against_itself_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(SPEC), str(SPEC)]) == 0
    out = capsys.readouterr().out
    assert "0 breaking" in out and "no client-visible changes" in out


def test_markdown_lists_breaking_first_and_escapes_spec_text() -> None:
    report = _report("union-member-added")
    markdown = render_markdown(report, level=3, title=False)
    assert markdown.index("### Potentially breaking changes (2)") < markdown.index(
        "### Non-breaking changes (1)"
    )
    assert "- `Updated`: type Updated added" in markdown
    assert (
        "- `Event`: union member Updated added\n  <sub>used by: response 200 of GET /events</sub>"
        in markdown
    )
    assert render_markdown(report).startswith("## Pets 1.0.0 → 1.1.0\n")
    assert json.loads(render_json(report))["suggested_bump"] == "minor"
    assert render_text(report).endswith("suggested version bump: minor\n")


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(SPEC), str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error: ") and str(broken) in err


def test_a_method_whose_pinned_name_goes_away_is_reported_renamed() -> None:
    old = load_api(CASES / "no-change" / "old.yaml")[1]
    new = load_api(CASES / "no-change" / "new.yaml")[1]
    pinned = ProjectConfig(resources={"GET /pets": ("pets.find_pets",)})
    report = diff_apis(old, new, old_config=pinned, new_config=ProjectConfig())
    assert [(c.kind, c.severity, c.location) for c in report.changes] == [
        ("method-renamed", B, "client.pets.list")
    ]
    assert "client.pets.find_pets() is now client.pets.list()" in report.changes[0].message


def test_config_pinned_method_makes_an_operation_id_rename_non_breaking() -> None:
    pinned = ProjectConfig(resources={"GET /pets": ("pets.list",)})
    report = _report("operation-id-renamed", pinned)
    assert [(c.kind, c.severity, c.location) for c in report.changes] == [
        ("operation-id-changed", N, "client.pets.list")
    ]
    assert not report.breaking


def test_shared_schema_names_every_usage_and_the_worst_wins() -> None:
    (change,) = _report("shared-schema-required-field").changes
    assert change.severity is B
    assert [(u.role, u.route, u.direction, u.severity) for u in change.usages] == [
        ("response 200", "GET /pets/{pet_id}/input", "response", N),
        ("request body", "POST /pets", "request", B),
    ]
    assert change.usages[1].method == "client.pets.create"
    assert "breaking in request body of POST /pets" in change.message


def test_unused_component_changes_are_usage_none() -> None:
    report = _report("unused-component-field-removed")
    assert {u.direction for c in report.changes for u in c.usages} == {"none"}
    assert all("no operation uses this schema" in c.message for c in report.changes)


def test_texts_say_what_changed_in_client_words() -> None:
    (retarget,) = _report("ref-retargeted").changes
    assert retarget.message == "type changed from Person to Org (email: field removed)"
    (degraded,) = _report("degraded-to-any").changes
    assert "enum with non-scalar values is generated as Any" in degraded.message
    (date,) = _report("response-format-date-time").changes
    assert "now `datetime` (was `str`)" in date.message
    assert [c.message for c in _report("path-parameter-renamed").changes] == [
        "path template changed from /pets/{pet_id} to /pets/{id} (same URL shape)",
        "argument `pet_id` is now `id` (calls passing `pet_id=` break)",
    ]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_json_output_matches_the_documented_schema(case: str) -> None:
    data = json.loads(render_json(_report(case)))
    jsonschema.validate(data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert data["fails"] == data["breaking"]


def test_markdown_pull_request_comment(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = (str(CASES / "shared-schema-required-field" / f) for f in ("old.yaml", "new.yaml"))
    assert main(["diff", old, new, "--format", "markdown", "--fail-on", "none"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith(
        "## Pets 1.0.0 → 1.1.0\n\n**✅ passes** `--fail-on none`: 1 breaking, "
        "0 potentially-breaking, 0 non-breaking; suggested version bump **major**.\n\n"
        "### Breaking changes (1)\n\n- `NewPet.owner`: new required field"
    )
    assert (
        "<sub>used by: response 200 of GET /pets/{pet\\_id}/input, request body of POST /pets</sub>"
        in markdown
    )
