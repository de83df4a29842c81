"""`auditor review`: which database it opens, the bundled sample on first use, refusing bad config."""

from __future__ import annotations

import shutil

import pytest
from textual.binding import Binding

from auditor import cli
from auditor.batch import runner
from auditor.model.artefact import ModelError
from auditor.settings import CONFIG_ENV, DATA_ENV
from auditor.tui.app import BINDING_OWNERS, AuditorApp, binding_ids


@pytest.fixture
def opened(monkeypatch, tmp_path) -> list[AuditorApp]:
    """Record the apps `auditor review` would run, without a terminal."""
    apps: list[AuditorApp] = []
    monkeypatch.setattr(AuditorApp, "run", lambda self: apps.append(self))
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "config.toml"))
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    return apps


def test_review_opens_the_database_given(opened, db_path):
    assert cli.main(["review", "--db", str(db_path)]) == 0
    [app] = opened
    assert app.session.db_path == db_path
    app.session.close()


def test_a_missing_database_is_a_usage_error(opened, tmp_path, capsys):
    assert cli.main(["review", "--db", str(tmp_path / "nope.db")]) == 2
    assert "no such database; run `auditor batch" in capsys.readouterr().err
    assert opened == []


def test_without_a_database_the_sample_is_audited_once_falling_back_to_rules(
    opened, monkeypatch, tmp_path, audited_db, capsys
):
    engines = []

    def fake_run_batch(path, options):
        engines.append(options.config.engine)
        if options.config.engine == "both":
            raise ModelError("no model artefact")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(audited_db, path)

    monkeypatch.setattr(runner, "run_batch", fake_run_batch)
    assert cli.main(["review"]) == 0
    assert engines == ["both", "rules"]
    assert "auditing with the rules only" in capsys.readouterr().err
    assert cli.main(["review"]) == 0  # the second time it is simply opened
    assert engines == ["both", "rules"]
    assert [app.session.db_path for app in opened] == [tmp_path / "data" / "sample.db"] * 2
    for app in opened:
        app.session.close()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[keymap]\n"case.confrim" = "y"\n', "unknown binding id 'case.confrim'"),
        ('theme = "no-such-theme"\n', "unknown theme 'no-such-theme'"),
        ("reviewer = \n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_usage_error(opened, tmp_path, db_path, capsys, config, message):
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    assert cli.main(["review", "--db", str(db_path)]) == 2
    assert message in capsys.readouterr().err
    assert opened == []


def test_every_binding_has_an_id_so_the_keymap_can_reach_it():
    bindings = [b for owner in BINDING_OWNERS for b in Binding.make_bindings(owner.BINDINGS)]
    assert all(b.id for b in bindings), [b.key for b in bindings if not b.id]
    assert {"queue.open", "case.confirm", "case.dismiss", "case.undo", "app.quit"} <= set(binding_ids())
