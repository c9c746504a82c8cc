"""The `weiquan` command group: one module per command in this package, no logic here."""

from __future__ import annotations

import click

from weiquan.cli import build, check, diff, import_law, leaflets, new, offline, schema, search


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """weiquan：妇女儿童维权内容 → 网站和宣传单 (content → site + leaflets)."""


for _module, _name in [(check, "check"), (build, "build"), (leaflets, "leaflets"), (schema, "schema"),
                       (search, "search"), (offline, "offline"), (import_law, "import_law"), (new, "new"), (diff, "diff")]:
    main.add_command(getattr(_module, _name))


if __name__ == "__main__":
    main()
