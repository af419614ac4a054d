"""YAML read with libyaml's C loader when PyYAML has it: the catalogue and manifest load on every query."""
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def read(path: Path):
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=LOADER)
