"""docs/deploy.md: every configuration block parses (Python with ast, YAML with PyYAML), and every
``stemtrain class`` command in it, in a shell block or a service's command list, is accepted by the real
command-line parser, flags and all."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import yaml

from stemtrain.cli import parser

DOC = Path(__file__).resolve().parents[1] / "docs" / "deploy.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def parses_as_class_command(words: list[str]) -> None:
    start = words.index("stemtrain")
    args = parser().parse_args(words[start + 1 :])  # argparse exits (SystemExit) on an unknown flag
    assert args.command == "class"


def python_command(node: ast.AST) -> list[str]:
    return [ast.literal_eval(e) for e in node.elts]  # type: ignore[attr-defined]


def test_the_python_config_parses_and_registers_the_service_with_its_scopes():
    (tljh,) = blocks("python")
    tree = ast.parse(tljh)
    service = next(
        ast.literal_eval(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "c.JupyterHub.services.append"
    )
    assert service["name"] == "stemtrain-class" and service["url"].startswith("http://127.0.0.1:")
    assert service["user"] == "stemtrain-class"
    parses_as_class_command(service["command"])
    assert "--data-dir" in service["command"] and "/var/lib/stemtrain-class" in service["command"]
    assert "read:users" in tljh and "stemtrain-instructors" in tljh
    port = service["url"].rsplit(":", 1)[1]
    assert f"http://127.0.0.1:{port}/services/stemtrain-class/" in tljh  # the kernels' URL matches the service's


def test_the_helm_values_parse_and_mount_the_database_url_as_a_secret():
    (values,) = [yaml.safe_load(b) for b in blocks("yaml")]
    service = values["hub"]["services"]["stemtrain-class"]
    parses_as_class_command(service["command"])
    secret_file = service["command"][service["command"].index("--database-file") + 1]
    mount = values["hub"]["extraVolumeMounts"][0]
    volume = values["hub"]["extraVolumes"][0]
    assert mount["name"] == volume["name"] and mount["readOnly"] is True
    assert secret_file == f"{mount['mountPath']}/{volume['secret']['items'][0]['path']}"
    assert volume["secret"]["defaultMode"] == 0o400
    assert values["hub"]["loadRoles"]["stemtrain-class"]["scopes"] == ["read:users", "read:groups"]
    port = int(service["command"][service["command"].index("--port") + 1])
    assert values["hub"]["service"]["extraPorts"][0]["port"] == port and service["url"].endswith(f":{port}")
    assert values["singleuser"]["extraEnv"]["STEMTRAIN_CLASS_URL"].endswith("/services/stemtrain-class/")


def test_every_shell_command_uses_flags_that_exist():
    commands = [shlex.split(line) for block in blocks("bash") for line in block.splitlines() if line.strip()]
    class_commands = [words for words in commands if "stemtrain" in words and "class" in words]
    assert len(class_commands) >= 3
    for words in class_commands:
        parses_as_class_command(words)
    room = next(w for w in class_commands if "serve" in w)
    assert "--host" in room  # a LAN address only with an explicit flag
    assert parser().parse_args(["class", "serve"]).host == ""  # and the service's own default is 127.0.0.1 (see serve)
    for words in commands:
        if words[:2] == ["sudo", "chmod"]:
            assert words[2] == "0700"
