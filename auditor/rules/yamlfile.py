"""Read a YAML file safely into plain data, remembering the line of every key and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Only the plain YAML types: anything that could construct an object is refused.
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}

Where = tuple[str | int, ...]


class YamlProblem(ValueError):
    """A YAML file that cannot be read; `line` is 1-based."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDocument:
    """Plain data from a YAML file, with the line each key or list item starts on."""

    data: Any
    lines: dict[Where, int] = field(default_factory=dict)

    def line_of(self, where: Where) -> int | None:
        """The line of `where`, or of its nearest enclosing key when it has none."""
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), None)


def load_yaml(path: Path) -> YamlDocument:
    """Parse one YAML document with a safe loader and no object-constructing tags."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        raise YamlProblem(None, f"not valid UTF-8 ({error.reason})") from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise YamlProblem(line, f"YAML syntax: {error.problem}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(None, f"YAML: {error}") from None
    document = YamlDocument(None)
    if node is not None:
        document.lines[()] = node.start_mark.line + 1
        document.data = _plain(node, (), document.lines)
    return document


def _plain(node: yaml.Node, where: Where, lines: dict[Where, int]) -> Any:
    if node.tag not in _PLAIN_TAGS:
        raise YamlProblem(node.start_mark.line + 1, f"YAML tag {node.tag!r} is not allowed")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, where, lines)
            if not isinstance(key, str):
                raise YamlProblem(key_node.start_mark.line + 1, f"key {key!r} is not a string")
            if key in result:
                raise YamlProblem(key_node.start_mark.line + 1, f"key '{key}' appears twice")
            lines[(*where, key)] = key_node.start_mark.line + 1
            result[key] = _plain(value_node, (*where, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*where, index)] = item.start_mark.line + 1
            items.append(_plain(item, (*where, index), lines))
        return items
    return yaml.SafeLoader(" ").construct_object(node)  # a scalar: str, int, bool, ...
