"""The MkDocs adapter: a plugin (entry point ``weiquan``) that wires MkDocs' events to
weiquan.build. No logic lives here; weiquan never imports this package."""
