"""The emitted schema as an editor uses it: the real yaml-language-server, driven over LSP
stdio, offers every key at every level of a questionnaire and flags a misspelt one.

The server is the npm package `yaml-language-server` (node from Debian), installed by .ci/run
into a cache folder; this test installs nothing and skips, saying how, when either is absent.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

#: Where .ci/run installs the server (npm install --prefix <this> yaml-language-server@1).
SERVER_DIR = Path(
    os.environ.get(
        "ACVNUM_YAML_LS_DIR",
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "acvnum/yaml-language-server-npm",
    )
)
#: A key no schema node has: beside it, the server offers every key of the mapping (alone in
#: an empty mapping it offers none, and a real key would be left out of the offer).
PLACEHOLDER = "x_placeholder"
TIMEOUT = 60


def _server_or_skip() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node not found: install node.js (Debian: apt-get install nodejs)")
    script = SERVER_DIR / "node_modules/yaml-language-server/bin/yaml-language-server"
    if not script.is_file():
        pytest.skip(
            f"yaml-language-server is not in {SERVER_DIR} (.ci/run installs it: "
            f"npm install --prefix {SERVER_DIR} yaml-language-server@1)"
        )
    return script


class LanguageServer:
    """A minimal LSP client: JSON-RPC with Content-Length headers over the server's stdio.

    Requests from the server (workspace/configuration...) are answered as they come, with
    the settings for a configuration and null otherwise."""

    def __init__(self, script: Path, settings: dict[str, Any]):
        self.settings = settings
        self.process = subprocess.Popen(
            ["node", str(script), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.last_id += 1
        sent = self.last_id
        self.send({"id": sent, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == sent and "method" not in m)["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        end = time.monotonic() + TIMEOUT
        while True:
            message = self.messages.get(timeout=max(0.01, end - time.monotonic()))
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": self._answer(message)})
            elif wanted(message):
                return message

    def _answer(self, request: dict[str, Any]) -> Any:
        if request["method"] == "workspace/configuration":
            return [self.settings.get(i.get("section", "")) for i in request["params"]["items"]]
        return None

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory) -> Path:
    """The schema as `acvnum schema` prints it, where the editor reads it."""
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("schema") / "questionnaire.schema.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def editor(schema_file, tmp_path_factory) -> Iterator[Editor]:
    yield from _editor_of(schema_file, tmp_path_factory)


@pytest.fixture(scope="module")
def french_editor(tmp_path_factory) -> Iterator[Editor]:
    """An editor reading `acvnum schema --lang fr`."""
    result = run_cli("schema", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("schema_fr") / "questionnaire.schema.json"
    path.write_text(result.stdout, encoding="utf-8")
    yield from _editor_of(path, tmp_path_factory)


def _editor_of(schema_file: Path, tmp_path_factory: Any) -> Iterator[Editor]:
    script = _server_or_skip()
    settings = {
        "yaml": {
            "schemas": {schema_file.as_uri(): "*.yaml"},
            "validate": True,
            "completion": True,
            "hover": True,
        }
    }
    server = LanguageServer(script, settings)
    server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": {
                "textDocument": {"completion": {"completionItem": {"snippetSupport": False}}},
                "workspace": {"configuration": True},
            },
        },
    )
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": settings})
    editor = Editor(server, tmp_path_factory.mktemp("documents"))
    # The server reads the schema when the first document asks for it: the first answers
    # may come before it has (no completion). A diagnostic from the schema says it has.
    assert editor.diagnostics(f"{PLACEHOLDER}: 0\n"), "the schema was not applied"
    yield editor
    server.close()


class Editor:
    """Documents opened in the server, one new file each."""

    def __init__(self, server: LanguageServer, folder: Path):
        self.server, self.folder, self.opened = server, folder, 0

    def open(self, text: str) -> str:
        self.opened += 1
        uri = (self.folder / f"service{self.opened}.yaml").as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        self.server.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def completion(self, text: str, line: int, character: int) -> set[str]:
        uri = self.open(text)
        position = {"line": line, "character": character}
        found = self.server.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
        )
        items = found["items"] if isinstance(found, dict) else found or []
        return {item["label"] for item in items}

    def diagnostics(self, text: str) -> list[dict[str, Any]]:
        uri = self.open(text)
        published = self.server.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return published["params"]["diagnostics"]


# --- every mapping of the schema, by the path a questionnaire reaches it ----------------


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The node a $ref (alone, or beside null in anyOf) points to."""
    for branch in [node, *node.get("anyOf", [])]:
        if "$ref" in branch:
            return schema["$defs"][branch["$ref"].rsplit("/", 1)[-1]]
    return node


def mappings(schema: dict[str, Any]) -> dict[tuple[str, ...], set[str]]:
    """{path: its keys} for every mapping with named keys; '-' marks a list's item."""
    found: dict[tuple[str, ...], set[str]] = {}

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        node = _resolved(schema, node)
        if "items" in node:
            walk(node["items"], (*path, "-"))
        if "properties" in node and path not in found:
            found[path] = set(node["properties"])
            for key, child in node["properties"].items():
                walk(child, (*path, key))

    walk(schema, ())
    return found


def document_at(path: tuple[str, ...]) -> tuple[str, int, int]:
    """A questionnaire reaching `path`, the placeholder in that mapping and the cursor on an
    empty line under it: (text, line, column)."""
    lines, indent = [], 0
    for i, key in enumerate(path):
        if key == "-":
            continue
        item = i + 1 < len(path) and path[i + 1] == "-"
        lines.append(" " * indent + f"{key}:")
        indent += 2
        if item:
            lines.append(" " * indent + f"- {PLACEHOLDER}: 0")
            indent += 2
    if not path or path[-1] != "-":
        lines.append(" " * indent + f"{PLACEHOLDER}: 0")
    lines.append(" " * indent)
    return "\n".join(lines) + "\n", len(lines) - 1, indent


def test_the_walk_reaches_every_section_and_list(schema_file):
    paths = mappings(json.loads(schema_file.read_text(encoding="utf-8")))
    assert {(), ("usage",), ("usage", "devices"), ("hosting",), ("hosting", "servers", "-")} <= set(
        paths
    )
    assert ("budgets", "-") in paths and ("hosting", "storage") in paths
    # every definition with keys is reached somewhere (a new section cannot be missed)
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    defined = {frozenset(d["properties"]) for d in schema["$defs"].values() if "properties" in d}
    assert defined <= {frozenset(keys) for keys in paths.values()}
    assert document_at(("hosting", "servers", "-")) == (
        f"hosting:\n  servers:\n    - {PLACEHOLDER}: 0\n      \n",
        3,
        6,
    )


def test_completion_offers_every_key_at_every_level(editor, schema_file):
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    missing = {}
    for path, keys in mappings(schema).items():
        text, line, column = document_at(path)
        offered = editor.completion(text, line, column)
        if keys - offered:
            missing[".".join(path) or "(top level)"] = sorted(keys - offered)
    assert missing == {}


def test_a_misspelt_key_is_flagged_where_it_is_with_the_keys_allowed(editor):
    text = "name: Shop\nhosting:\n  location: FRA\n  sevrers: []\n"
    (diagnostic,) = [d for d in editor.diagnostics(text) if "sevrers" in d["message"]]
    assert diagnostic["message"] == "Property sevrers is not allowed."
    assert diagnostic["range"]["start"] == {"line": 3, "character": 2}
    assert "servers" in diagnostic["data"]["properties"]


def test_a_bad_range_reads_as_words_not_a_regular_expression(editor):
    text = (
        "name: Shop\nusage:\n  users: 10\n  visits_per_user: 2\n  visit_duration: 5 min\n"
        "  data_per_visit: 2 MB\n  devices: {laptop: 100%}\n  network: {fixed: 100%}\n"
        "hosting:\n  pue: high\n"
    )
    messages = [d["message"] for d in editor.diagnostics(text)]
    pue = [m for m in messages if "range" in m or "match" in m]
    assert pue == ["a number, or a range written low..high with plain numbers, e.g. 1.2..1.6"], (
        messages
    )


def test_the_schema_an_editor_reads_has_no_null_default(schema_file):
    # yaml-language-server offers no completion for a key whose schema says "default": null
    assert '"default": null' not in schema_file.read_text(encoding="utf-8")


def test_a_french_schema_speaks_french_in_the_editor(french_editor):
    text = "name: Shop\nhosting:\n  pue: high\n"
    messages = [d["message"] for d in french_editor.diagnostics(text)]
    assert (
        "un nombre, ou une plage écrite bas..haut en nombres simples avec un point décimal, "
        "par exemple 1.2..1.6"
    ) in messages, messages
    # the keys are the file's: completion offers the same ones
    text, line, column = document_at(("hosting",))
    assert {"servers", "storage", "environments"} <= french_editor.completion(text, line, column)
