"""`apigen diff`: one small spec pair per change kind, classified; the Parallel spec end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.diff import Bump, Severity, diff_apis, render_json, render_markdown, render_text
from generator.pipeline import load_api
from tests.conftest import SPEC, SPECS

CASES = SPECS / "diff"
B, P, N = Severity.BREAKING, Severity.POTENTIALLY_BREAKING, Severity.NON_BREAKING

# case folder → every change expected, as (kind, severity, location), in report order
EXPECTED: dict[str, list[tuple[str, Severity, str]]] = {
    "operation-removed": [("operation-removed", B, "GET /pets/{pet_id}")],
    "operation-added": [("operation-added", N, "DELETE /pets/{pet_id}")],
    "operation-deprecated": [("operation-deprecated", N, "GET /pets")],
    "required-parameter-added": [("required-parameter-added", B, "GET /pets")],
    "optional-parameter-added": [("parameter-added", N, "GET /pets")],
    "parameter-removed": [("parameter-removed", B, "GET /pets")],
    "parameter-renamed": [("parameter-renamed", B, "GET /pets")],
    "parameter-became-required": [("parameter-became-required", B, "GET /pets")],
    "parameter-type-changed": [("type-changed", B, "GET /pets: query parameter 'limit'")],
    "request-body-removed": [("request-body-removed", B, "POST /pets")],
    "request-required-field-added": [("required-field-added", B, "NewPet.owner")],
    "request-optional-field-added": [("field-added", N, "NewPet.color")],
    "request-field-became-required": [("field-became-required", B, "NewPet.age")],
    "request-enum-value-removed": [("enum-value-removed", B, "NewPet.kind")],
    "request-enum-value-added": [("enum-value-added", N, "NewPet.kind")],
    "response-field-removed": [("field-removed", B, "Pet.tag")],
    "response-field-added": [("field-added", N, "Pet.age")],
    "response-field-renamed": [("field-renamed", B, "Pet.tag")],
    "response-field-became-optional": [("field-became-optional", B, "Pet.name")],
    "response-field-became-nullable": [("became-nullable", B, "Pet.name")],
    "response-enum-value-added": [("enum-value-added", P, "Pet.status")],
    "response-enum-value-removed": [("enum-value-removed", N, "Pet.status")],
    "type-changed": [("type-changed", B, "Pet.id")],
    "format-changed": [("format-changed", P, "Pet.id")],
    "field-deprecated": [("field-deprecated", N, "Pet.tag")],
    "union-member-added": [
        ("union-member-added", P, "Event"),
        ("discriminator-value-added", P, "Event"),
        ("schema-added", N, "schema Updated"),
    ],
    "union-member-removed": [
        ("schema-removed", P, "schema Updated"),
        ("union-member-removed", N, "Event"),
        ("discriminator-value-removed", N, "Event"),
    ],
    "discriminator-changed": [
        ("field-renamed", B, "Created.type"),
        ("field-renamed", B, "Deleted.type"),
        ("discriminator-changed", B, "Event"),
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
        ("response-removed", B, "GET /pets/{pet_id}"),
        ("response-added", N, "GET /pets/{pet_id}"),
    ],
    "no-change": [],
}


def test_every_case_folder_has_an_expectation() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_change_is_classified(case: str) -> None:
    report = diff_apis(
        load_api(CASES / case / "old.yaml")[1], load_api(CASES / case / "new.yaml")[1]
    )
    assert [(c.kind, c.severity, c.location) for c in report.changes] == EXPECTED[case]
    assert report.breaking == any(sev is B for _, sev, _ in EXPECTED[case])


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
    report = diff_apis(
        load_api(CASES / case / "old.yaml")[1], load_api(CASES / case / "new.yaml")[1]
    )
    assert report.suggested_bump is bump


def _modified_parallel(tmp_path: Path) -> Path:
    """The Parallel spec with an operation removed, a required request field added, an enum value removed."""
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
  - DELETE /v1alpha/monitors/{monitor_id}: operation removed
  - CreateMonitorRequest.timezone: new required request field
  - SearchRequest.mode: enum value 'agentic' removed

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
    assert [(c["kind"], c["location"]) for c in data["changes"]] == [
        ("operation-removed", "DELETE /v1alpha/monitors/{monitor_id}"),
        ("required-field-added", "CreateMonitorRequest.timezone"),
        ("enum-value-removed", "SearchRequest.mode"),
    ]


def test_parallel_spec_against_itself_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(SPEC), str(SPEC)]) == 0
    out = capsys.readouterr().out
    assert "0 breaking" in out and "no client-visible changes" in out


def test_markdown_lists_breaking_first_and_escapes_spec_text() -> None:
    case = CASES / "union-member-added"
    report = diff_apis(load_api(case / "old.yaml")[1], load_api(case / "new.yaml")[1])
    markdown = render_markdown(report, level=3, title=False)
    assert markdown.index("### Potentially breaking changes") < markdown.index(
        "### Non-breaking changes"
    )
    assert "- `schema Updated`: model Updated added" in markdown
    assert render_markdown(report).startswith("## Pets 1.0.0 → 1.1.0\n")
    assert json.loads(render_json(report))["suggested_bump"] == "minor"
    assert render_text(report).endswith("suggested version bump: minor\n")


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(SPEC), str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error: ") and str(broken) in err
