"""Official law text → law YAML (import, re-import, versions). Imports weiquan.content and weiquan.zh."""
