"""JSON Schemas for editors (yaml-language-server), generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from weiquan.content.model import SCHEMA_MODELS


def schemas() -> dict[str, dict]:
    out = {}
    for name, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{name}.schema.json"
        out[f"{name}.schema.json"] = schema
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, schema in schemas().items():
        path = out_dir / filename
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
