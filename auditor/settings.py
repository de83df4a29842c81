"""User settings and paths: the reviewer's config file, data folder and the frozen `Settings` read from them.

The config file is TOML at `user_config_path("auditor")/config.toml` (or `$AUDITOR_CONFIG`)::

    reviewer = "alice"                 # name written with every decision (default: the OS user)
    database = "~/audits/nightly.db"   # what `auditor review` opens without --db
    theme = "auditor"                  # any Textual theme name

    [keymap]                           # binding id = key(s), comma-separated
    "case.confirm" = "y"

Every key is checked: an unknown key, a wrong type or a bad TOML line stops with a message that
names the file and what is wrong, rather than being silently ignored.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# platformdirs is already a Textual dependency, and gives each platform's conventional folders.
from platformdirs import user_config_path, user_data_path

APP_NAME = "auditor"
CONFIG_ENV = "AUDITOR_CONFIG"
"""Environment variable naming the config file to read instead of the platform default."""
DATA_ENV = "AUDITOR_DATA_DIR"
"""Environment variable naming the data folder to use instead of the platform default."""
SAMPLE_DATABASE = "sample.db"
"""The database `auditor review` builds from the bundled sample when no database is given."""
DEFAULT_THEME = "auditor"

_KNOWN_KEYS = ("reviewer", "database", "theme", "keymap")


class SettingsError(Exception):
    """A config file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Settings:
    """What the review app takes from the user's configuration."""

    reviewer: str
    """Name recorded with every decision and grade."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to key(s), applied with `App.set_keymap`."""
    database: Path | None = None
    """The database `auditor review` opens when no --db is given (None: the bundled sample)."""
    theme: str = DEFAULT_THEME
    """The Textual theme to start with."""
    data_dir: Path = field(default_factory=lambda: data_folder())
    """Where the app keeps its own files (the sample database)."""

    @property
    def sample_database(self) -> Path:
        """The database built from the bundled sample records."""
        return self.data_dir / SAMPLE_DATABASE


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """The config file: `$AUDITOR_CONFIG`, else the platform's user config folder."""
    environ = os.environ if environ is None else environ
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV]).expanduser()
    return user_config_path(APP_NAME) / "config.toml"


def data_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: `$AUDITOR_DATA_DIR`, else the platform's user data folder."""
    environ = os.environ if environ is None else environ
    if environ.get(DATA_ENV):
        return Path(environ[DATA_ENV]).expanduser()
    return user_data_path(APP_NAME)


def default_reviewer() -> str:
    """The OS user name, or "reviewer" where the platform cannot tell."""
    try:
        return getpass.getuser() or "reviewer"
    except (KeyError, OSError):  # no passwd entry (containers) and no USER variable
        return "reviewer"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the config file; a missing file gives the defaults.

    Args:
        path: the config file (default: `config_file()`).
        environ: the environment to read overrides from (default: `os.environ`).

    Returns:
        The validated settings.

    Raises:
        SettingsError: the file is unreadable, not valid TOML, or holds an unknown or mistyped key.
    """
    path = path or config_file(environ)
    folder = data_folder(environ)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(reviewer=default_reviewer(), data_dir=folder)
    except OSError as error:
        raise SettingsError(f"{path}: cannot read the config file: {error.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from None
    return _validate(data, path, folder)


def _validate(data: dict[str, Any], path: Path, folder: Path) -> Settings:
    unknown = sorted(set(data) - set(_KNOWN_KEYS))
    if unknown:
        raise SettingsError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(_KNOWN_KEYS)})")
    reviewer = _string(data, "reviewer", path, default_reviewer())
    theme = _string(data, "theme", path, DEFAULT_THEME)
    database = None
    if "database" in data:
        # A relative database path is relative to the config file, not to wherever the app starts.
        database = (path.parent / Path(_string(data, "database", path, "")).expanduser()).resolve()
    return Settings(
        reviewer=reviewer, keymap=_keymap(data.get("keymap", {}), path), database=database, theme=theme, data_dir=folder
    )


def _string(data: dict[str, Any], key: str, path: Path, default: str) -> str:
    if key not in data:
        return default
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{path}: {key} must be a non-empty string, not {value!r}")
    if len(value) > 200 or any(ch in value for ch in "\r\n\x00"):
        raise SettingsError(f"{path}: {key} must be one line of at most 200 characters")
    return value.strip()


def _keymap(value: Any, path: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise SettingsError(f'{path}: keymap must be a table of binding id = "key", not {value!r}')
    keymap = {}
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            raise SettingsError(f'{path}: keymap.{binding_id} must be a key name such as "y" or "ctrl+y"')
        keymap[binding_id] = keys.strip()
    return keymap
