"""The settings file (marsad.toml): overrides what it names, refuses what it does not know."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad.cli.main import main
from marsad.cluster.stories import ClusterSettings
from marsad.errors import ConfigError
from marsad.settings import Settings, load_settings, settings_from

README = Path(__file__).resolve().parents[1] / "README.md"


def test_a_file_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    path = tmp_path / "marsad.toml"
    path.write_text("batch_size = 7\n[cluster]\njoin_threshold = 1\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.batch_size == 7
    assert settings.cluster.join_threshold == 1.0 and isinstance(
        settings.cluster.join_threshold, float
    )
    assert settings.cluster.window_days == ClusterSettings().window_days
    assert settings.workers == Settings().workers


def test_the_working_directory_file_is_read_when_no_path_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings()
    (tmp_path / "marsad.toml").write_text("workers = 0\n", encoding="utf-8")
    assert load_settings().workers == 0


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("batch_sise = 10\n", "'batch_sise'"),
        ("[cluster]\njoin_treshold = 0.3\n", "'cluster.join_treshold'"),
        ("workers = 1.5\n", "workers must be a whole number"),
        ("extract = 1\n", "extract must be true or false"),
        ("cluster = 3\n", "cluster must be a table"),
        ('[cluster]\njoin_model = "learned"\n', "cluster.join_model must be"),
    ],
)
def test_a_bad_key_or_value_is_an_error_naming_it(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(named)):
        load_settings(path)


def test_the_cli_reports_an_unknown_key_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "marsad.toml"
    config.write_text("[threads]\nwindow = 5\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("خبر قصير عن الطقس في الرياض اليوم.", encoding="utf-8")
    db = tmp_path / "s.db"
    code = main(["--config", str(config), "--db", str(db), "ingest", str(article)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.count("\n") == 0 and "unknown key 'threads.window'" in err
    assert str(config) in err
    assert not db.exists(), "nothing was written"


def test_the_readme_table_names_real_keys() -> None:
    rows = [
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
    ]
    keys = [key for row in rows for key in re.findall(r"`([a-z_.]+)`", row.split("|")[1])]
    assert len(keys) >= 10
    for key in keys:
        section, _, name = key.rpartition(".")
        data: dict[str, object] = {name: getattr(Settings(), name)} if not section else {}
        if section:
            data = {section: {name: getattr(getattr(Settings(), section), name)}}
        if name in ("join_model", "merge_model"):  # models are set by name
            data = {"cluster": {name: "none"}}
        assert settings_from(data) == Settings(), key  # a real key, and its default listed


def test_automatic_workers_follow_extraction_and_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.settings as settings_module

    monkeypatch.setattr(settings_module.os, "cpu_count", lambda: 8)
    assert Settings().pool_size == 2, "extraction outweighs the writer: two workers"
    assert Settings(extract=False).pool_size == 1, "the writer is the slower side"
    monkeypatch.setattr(settings_module.os, "cpu_count", lambda: 1)
    assert Settings().pool_size == 1, "one core: one worker"
    assert Settings(workers=0).pool_size == 0 and Settings(workers=3).pool_size == 3
