"""YAML read field by field with line numbers, so every error can name its file, line and field.

Values are read from the composed nodes rather than from `yaml.safe_load`: the nodes keep each key's
line, reveal duplicate keys (which safe_load silently drops), and give the raw text of a scalar, so
`number: 0000` stays "0000", `duration: 1:30` is not read as the sexagesimal integer 90 and
`contact_hours: 6.75` becomes an exact Decimal.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

T = TypeVar("T")
_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class ContentError:
    """One problem in the course files; str() gives `path:line: field: message`."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InvalidCourseTree(Exception):
    """The course files have errors; nothing was written. `errors` lists every one of them."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the course files")
        self.errors = errors


@dataclass
class SourceFile:
    """A file being read, the name it is reported under, and the run's shared error list."""

    path: Path
    display: str
    errors: list[ContentError] = field(default_factory=list)

    def error(self, line: int | None, field_name: str | None, message: str) -> None:
        self.errors.append(ContentError(self.display, line, field_name, message))

    def read_text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.error(1, None, "is not UTF-8 text")
        except OSError as exc:
            self.error(None, None, f"cannot be read ({exc.strerror})")
        return None


def read_front_matter(source: SourceFile) -> "tuple[Fields, str] | None":
    """The front matter between the leading `---` lines, and the markdown body after it."""
    text = source.read_text()
    if text is None:
        return None
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        source.error(1, None, "missing front matter (the file must start with a --- line)")
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        source.error(1, None, "front matter is not closed by a --- line")
        return None
    fields = _fields_from_yaml(source, "".join(lines[1:end]), offset=1, missing_line=1)
    return (fields, "".join(lines[end + 1 :])) if fields is not None else None


def read_yaml_file(source: SourceFile) -> "Fields | None":
    text = source.read_text()
    return None if text is None else _fields_from_yaml(source, text, offset=0, missing_line=1)


def _fields_from_yaml(source: SourceFile, text: str, offset: int, missing_line: int) -> "Fields | None":
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else missing_line
        source.error(line, None, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        source.error(missing_line, None, f"invalid YAML: {exc}")
        return None
    if node is not None and not isinstance(node, MappingNode):
        source.error(node.start_mark.line + 1 + offset, None, "must be a mapping of `field: value` lines")
        return None
    return Fields(source, node, offset=offset, missing_line=missing_line)


class Fields:
    """A YAML mapping read key by key; each reader records its own errors and returns None on one."""

    def __init__(self, source: SourceFile, node: MappingNode | None, *, offset: int, missing_line: int,
                 prefix: str = "") -> None:
        self.source, self.offset, self.missing_line, self.prefix = source, offset, missing_line, prefix
        self._entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value if node is not None else []:
            self._add_entry(key_node, value_node)

    def _add_entry(self, key_node: Node, value_node: Node) -> None:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        line = self.node_line(key_node)
        if not isinstance(key, str):
            self.source.error(line, None, "field names must be plain words")
        elif key in self._entries:
            self.source.error(line, self.prefix + key, f"appears twice (first on line {self.line(key)})")
        else:
            self._entries[key] = (key_node, value_node)

    # Locations

    def node_line(self, node: Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def line(self, key: str) -> int:
        entry = self._entries.get(key)
        return self.node_line(entry[0]) if entry else self.missing_line

    def name(self, key: str) -> str:
        return self.prefix + key

    def error(self, key: str, message: str) -> None:
        self.source.error(self.line(key), self.name(key), message)

    def has(self, key: str) -> bool:
        """Present with a value (an empty `key:` counts as absent)."""
        entry = self._entries.get(key)
        return entry is not None and entry[1].tag != _TAG + "null"

    def check_unknown(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self._entries:
            if key not in allowed:
                close = get_close_matches(key, allowed, n=1)
                self.error(key, "unknown field" + (f' (did you mean "{close[0]}"?)' if close else ""))

    # Scalars

    def raw(self, key: str, *, required: bool = False, what: str = "text") -> str | None:
        """The scalar's text as written, unquoted; None (with an error if required) when absent."""
        if not self.has(key):
            if required:
                self.error(key, "must not be empty" if key in self._entries else "is required")
            return None
        node = self._entries[key][1]
        if not isinstance(node, ScalarNode):
            self.error(key, f"must be {what}")
            return None
        return node.value

    def text(self, key: str, *, required: bool = True, max_length: int | None = None) -> str | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        value = value.strip()
        if not value and required:
            self.error(key, "must not be empty")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(key, f"is {len(value)} characters long; at most {max_length} fit")
            return None
        return value or None

    def parse(self, key: str, parser: Callable[[str], T], *, required: bool = False) -> T | None:
        """Read the raw text through `parser`, whose ValueError message becomes the error."""
        value = self.raw(key, required=required)
        if value is None:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def flag(self, key: str, default: bool = False) -> bool:
        if not self.has(key):
            return default
        node = self._entries[key][1]
        if node.tag != _TAG + "bool":
            self.error(key, "must be true or false")
            return default
        return bool(construct(node))

    def integer(self, key: str, *, minimum: int, maximum: int | None = None,
                default: int | None = None, required: bool = False) -> int | None:
        if not self.has(key):
            if required:
                self.error(key, "is required")
            return default
        node = self._entries[key][1]
        value = scalar_int(node)
        if value is None or value < minimum or (maximum is not None and value > maximum):
            allowed = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            self.error(key, f'"{node.value}" must be a whole number, {allowed}')
            return default
        return value

    def choice(self, key: str, options: Iterable[str], default: str | None = None) -> str | None:
        options = list(options)
        value = self.raw(key, required=default is None)
        if value is None:
            return default
        if value not in options:
            self.error(key, f'"{value}" is not one of: {", ".join(options)}')
            return default
        return value

    # Collections

    def node(self, key: str) -> Node | None:
        return self._entries[key][1] if self.has(key) else None

    def mapping(self, key: str) -> "Fields | None":
        node = self.node(key)
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.error(key, "must be a mapping of `field: value` lines")
            return None
        return self.nested(node, self.name(key) + ".")

    def nested(self, node: MappingNode, prefix: str) -> "Fields":
        return Fields(self.source, node, offset=self.offset, missing_line=self.node_line(node), prefix=prefix)

    def sequence(self, key: str, *, required: bool = False) -> list[Node] | None:
        node = self.node(key)
        if node is None:
            if required:
                self.error(key, "is required")
            return None
        if not isinstance(node, SequenceNode):
            self.error(key, "must be a list")
            return None
        return node.value

    def text_list(self, key: str, *, required: bool = False, min_items: int = 0) -> list[str] | None:
        """A list of non-empty texts; the error names the offending item."""
        nodes = self.sequence(key, required=required)
        if nodes is None:
            return None
        if len(nodes) < min_items:
            self.error(key, f"needs at least {min_items} item{'s' if min_items > 1 else ''}")
            return None
        texts = [scalar_text(node) for node in nodes]
        for index, (node, text) in enumerate(zip(nodes, texts, strict=True)):
            if not text:
                item = f"{self.name(key)}[{index}]"
                self.source.error(self.node_line(node), item, "must be non-empty text")
        return None if not all(texts) else [text for text in texts if text]


def construct(node: Node) -> object:
    return SafeConstructor().construct_document(node)


def scalar_text(node: Node) -> str | None:
    """A scalar's text as written (so `Yes` stays "Yes"), or None for a null, empty or nested value."""
    if not isinstance(node, ScalarNode) or node.tag == _TAG + "null":
        return None
    return node.value.strip() or None


def scalar_int(node: Node) -> int | None:
    if not isinstance(node, ScalarNode) or node.tag != _TAG + "int":
        return None
    value = construct(node)
    return value if isinstance(value, int) else None
