"""YAML that people write and pass around (plans, measures, export mappings, mail settings):
the safe loader, libyaml's when PyYAML has it, and no aliases. None of these files needs an
alias, and nested ones expand a file of a few lines into gigabytes ("billion laughs")."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasRefused(yaml.YAMLError):
    """The text uses an alias (*name)."""

    def __init__(self, line: int, anchor: str):
        self.line, self.anchor = line, anchor
        super().__init__(f"第{line}行使用了 YAML 别名（*{anchor}）")


def load(text: str):
    """The document in `text`; AliasRefused for an alias, yaml.YAMLError for bad YAML."""
    alias = next((e for e in yaml.parse(text, Loader=LOADER) if isinstance(e, yaml.AliasEvent)), None)
    if alias is not None:
        raise AliasRefused(alias.start_mark.line + 1, alias.anchor)
    return yaml.load(text, Loader=LOADER)


def place(exc: yaml.YAMLError) -> str:
    """Where a YAML error is, as staff count lines: 第3行第5列, or 第3行 for an alias."""
    if isinstance(exc, AliasRefused):
        return f"第{exc.line}行"
    mark = getattr(exc, "problem_mark", None)
    return f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
