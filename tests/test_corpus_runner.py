"""The corpus runner (bench/corpus.py) on tiny specs, so the numbers it reports can be trusted."""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.bench import load_bench_module

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs" / "corpus_runner"


corpus = load_bench_module("corpus")


def test_spec_operations_counts_methods_and_ref_path_items() -> None:
    document = corpus.load_document(SPECS / "refitem.json")
    assert corpus.spec_operations(document) == {
        ("GET", "/a"),
        ("GET", "/b/{id}"),
        ("DELETE", "/b/{id}"),
    }


def test_generated_operations_reads_request_options(tmp_path: Path) -> None:
    (tmp_path / "res.py").write_text(
        textwrap.dedent(
            """
            def f(self):
                return self._client.request(None, RequestOptions(method="get", path="/a/{x}"))
            async def g(self):
                return RequestOptions(method="delete", path="/b")
            RequestOptions(method=m, path="/dynamic")  # not a constant: not counted
            """
        )
    )
    assert corpus.generated_operations(tmp_path) == {("GET", "/a/{x}"), ("DELETE", "/b")}


def test_routes_ignore_placeholder_names() -> None:
    spec = {("GET", "/groups/{taskgroup_id}/runs/{run_id}")}
    generated = {("GET", "/groups/{task_group_id}/runs/{run_id}"), ("GET", "/groups/{id}")}
    assert corpus.covered(spec, generated) == 1
    assert corpus.covered({("GET", "/groups/{id}/x")}, generated) == 0


def test_paths_that_differ_only_in_placeholder_names_are_two_operations() -> None:
    spec = {("GET", "/genres/{id}/mix"), ("GET", "/genres/{name}/mix")}
    assert corpus.covered(spec, {("GET", "/genres/{id}/mix"), ("GET", "/genres/{name}/mix")}) == 2
    assert corpus.covered(spec, {("GET", "/genres/{id}/mix")}) == 1


def test_size_classes_follow_the_corpus_bounds() -> None:
    assert [corpus.size_class(n) for n in (0, 19_999, 20_000, 99_999, 100_000, 1_000_000)] == [
        "S",
        "S",
        "M",
        "M",
        "L",
        "XL",
    ]


def test_good_spec_passes_every_step() -> None:
    result = corpus.check_spec(SPECS / "tiny.yaml", corpus.Options())
    assert result.generated and result.exit_code == 0
    assert result.imported and result.modules > 10, result.import_error
    assert result.compiled
    assert result.ruff_clean, result.ruff_issues
    assert result.pyright == "clean", (result.pyright_rules, result.pyright_first)
    assert (result.spec_operations, result.covered_operations) == (3, 3)
    assert result.all_covered


@pytest.mark.parametrize(
    ("spec", "message"),
    [("broken.yaml", "does not exist"), ("swagger2.json", "Swagger 2.0")],
)
def test_bad_spec_is_a_clean_failure(spec: str, message: str) -> None:
    result = corpus.check_spec(SPECS / spec, corpus.Options(pyright=False))
    assert not result.generated and result.exit_code == 2
    assert result.clean_failure
    assert result.error.startswith("apigen: error:") and message in result.error
    assert not result.imported and not result.ruff_clean and result.pyright == "skipped"


def _fake_apigen(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-apigen"
    script.write_text(
        f"#!{sys.executable}\nimport sys, pathlib\nout = pathlib.Path(sys.argv[-1])\n"
        f"{textwrap.dedent(body)}"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_traceback_is_not_a_clean_failure(tmp_path: Path) -> None:
    fake = _fake_apigen(tmp_path, "raise RuntimeError('boom')\n")
    result = corpus.check_spec(SPECS / "tiny.yaml", corpus.Options(apigen=fake, pyright=False))
    assert not result.generated and result.exit_code == 1
    assert not result.clean_failure
    assert "RuntimeError: boom" in result.error


def test_a_broken_client_fails_import_lint_types_and_coverage(tmp_path: Path) -> None:
    fake = _fake_apigen(
        tmp_path,
        """
        pkg = out / "fake_client"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "ok.py").write_text(
            "RequestOptions = dict\\nRequestOptions(method='get', path='/pets')\\n"
        )
        (pkg / "bad.py").write_text("import os\\nimport no_such_module_anywhere\\n")
        """,
    )
    result = corpus.check_spec(SPECS / "tiny.yaml", corpus.Options(apigen=fake))
    assert result.generated and result.compiled
    assert not result.imported and "fake_client.bad: ModuleNotFoundError" in result.import_error
    assert not result.ruff_clean and "F401" in result.ruff_issues
    assert result.pyright == "errors" and "reportMissingImports" in result.pyright_rules
    assert (result.spec_operations, result.covered_operations) == (3, 1)
    assert not result.all_covered


def test_summary_and_targets_count_every_spec() -> None:
    good = corpus.SpecResult(
        "good",
        generated=True,
        imported=True,
        compiled=True,
        ruff_clean=True,
        pyright="clean",
        spec_operations=4,
        covered_operations=4,
        seconds=1.0,
    )
    lint = corpus.SpecResult(
        "lint",
        generated=True,
        imported=True,
        compiled=True,
        ruff_clean=False,
        ruff_issues="F401:2",
        pyright="clean",
        spec_operations=6,
        covered_operations=5,
        seconds=3.0,
    )
    failed = corpus.SpecResult(
        "failed", exit_code=2, error="apigen: error: x.json:3 #/paths: bad", spec_operations=10
    )
    options = corpus.Options()
    text = corpus.summary([good, lint, failed], options)
    assert "| generate | 2/3 (66.7%) |" in text
    assert "| ruff clean | 1/3 (33.3%) |" in text
    assert "| operations covered (all specs) | 9/20 (45.0%) |" in text
    assert "| generate time median / p90 | 2.00 s / 3.00 s |" in text
    causes = corpus.failure_causes([good, lint, failed])
    assert causes == {"generate (clean): bad": 1, "ruff F401": 1, "operations not covered": 1}
    missed = corpus.missed_targets([good, lint, failed], options)
    assert any(line.startswith("generate: 66.7%") for line in missed)
    assert corpus.missed_targets([good], options) == []


def test_main_writes_csv_and_summary(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for name in ("tiny.yaml", "broken.yaml"):
        (specs / name).write_bytes((SPECS / name).read_bytes())
    out = tmp_path / "out"
    code = corpus.main([str(specs), "--out", str(out), "--no-pyright", "--jobs", "2", "--check"])
    assert code == 1  # one of two specs fails: 50% < the 98% generate target
    rows = (out / "results.csv").read_text().splitlines()
    assert rows[0].startswith("name,") and len(rows) == 3
    assert "| generate | 1/2 (50.0%) |" in (out / "summary.md").read_text()
