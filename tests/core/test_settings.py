"""Settings: defaults, environment overrides, strict validation; `auditor locate`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from auditor import settings as settings_module
from auditor.settings import CONFIG_ENV, DATA_ENV, SettingsError, config_file, data_folder, load_settings


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {CONFIG_ENV: str(tmp_path / "config.toml"), DATA_ENV: str(tmp_path / "data")}


def write(env: dict[str, str], text: str) -> Path:
    path = Path(env[CONFIG_ENV])
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_gives_defaults(env, monkeypatch):
    monkeypatch.setattr(settings_module.getpass, "getuser", lambda: "os-user")
    settings = load_settings(environ=env)
    assert settings.reviewer == "os-user"
    assert settings.keymap == {} and settings.database is None and settings.theme == "auditor"
    assert settings.data_dir == Path(env[DATA_ENV])
    assert settings.sample_database == Path(env[DATA_ENV]) / "sample.db"


def test_reviewer_falls_back_when_the_os_cannot_name_the_user(env, monkeypatch):
    def no_user():
        raise KeyError("uid not found")

    monkeypatch.setattr(settings_module.getpass, "getuser", no_user)
    assert load_settings(environ=env).reviewer == "reviewer"


def test_environment_overrides_the_platform_folders(env):
    assert config_file(env) == Path(env[CONFIG_ENV])
    assert data_folder(env) == Path(env[DATA_ENV])
    assert config_file({}).name == "config.toml"
    assert "auditor" in str(data_folder({}))


def test_a_full_config_is_read(env):
    path = write(
        env,
        'reviewer = "  alice  "\ndatabase = "audits/nightly.db"\ntheme = "nord"\n[keymap]\n"case.confirm" = "y"\n',
    )
    settings = load_settings(environ=env)
    assert settings.reviewer == "alice"
    assert settings.database == (path.parent / "audits" / "nightly.db").resolve()
    assert settings.theme == "nord"
    assert settings.keymap == {"case.confirm": "y"}


def test_settings_are_frozen(env):
    settings = load_settings(environ=env)
    with pytest.raises(AttributeError):
        settings.reviewer = "mallory"  # type: ignore[misc]


BAD_CONFIGS = [
    ('reviewr = "alice"\n', "unknown setting 'reviewr'"),
    ("reviewer = 3\n", "reviewer must be a non-empty string"),
    ('reviewer = ""\n', "reviewer must be a non-empty string"),
    ('reviewer = "a\\nb"\n', "one line"),
    ('keymap = "y"\n', "keymap must be a table"),
    ('[keymap]\n"case.confirm" = 1\n', "keymap.case.confirm must be a key name"),
    ('reviewer = "alice\n', "not valid TOML"),
    ("theme = []\n", "theme must be a non-empty string"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CONFIGS)
def test_bad_configs_are_refused_naming_the_file(env, text, message):
    path = write(env, text)
    with pytest.raises(SettingsError) as error:
        load_settings(environ=env)
    assert str(path) in str(error.value) and message in str(error.value)


def test_toml_errors_give_the_line(env):
    write(env, 'reviewer = "alice"\n\ntheme = \n')
    with pytest.raises(SettingsError, match="line 3"):
        load_settings(environ=env)


def test_unreadable_config_is_refused(env):
    Path(env[CONFIG_ENV]).mkdir()
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(environ=env)


@pytest.mark.parametrize(("what", "variable"), [("config", CONFIG_ENV), ("data", DATA_ENV)])
def test_locate_prints_the_paths(tmp_path, what, variable):
    env = {"PATH": "/usr/bin:/bin", variable: str(tmp_path / "here")}
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "locate", what], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == str(tmp_path / "here")
