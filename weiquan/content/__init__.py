"""The source of truth: model, YAML loading with lines, checks, problems, citations, divisions, phones, URLs, the loaded Content and its schemas. Imports only weiquan.zh."""
