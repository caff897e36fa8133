"""The JSON Schema of the output contract; ``python -m ficlens.schema`` prints it.

``docs/schema.json`` is generated from this and a test checks that it is current.
"""

from __future__ import annotations

import json
from typing import Any

from ficlens.model import SCHEMA_VERSION, Analysis


def json_schema() -> dict[str, Any]:
    """The schema of :class:`~ficlens.model.Analysis` as it is serialised."""
    schema = Analysis.model_json_schema(mode="serialization")
    schema["$id"] = f"https://ficlens.invalid/schema/v{SCHEMA_VERSION}.json"
    return schema


def render() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
