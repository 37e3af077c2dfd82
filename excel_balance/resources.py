"""Where the editable templates (plans, email texts) are found.

A `templates/` folder in the working folder overrides the one shipped with the package, so
staff can edit a copy without touching the installation.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _shipped_roots() -> list[Path]:
    # Installed (wheel, sdist): setup.cfg ships the top-level templates/ as excel_balance/templates.
    installed = Path(str(resources.files("excel_balance") / "templates"))
    if installed.is_dir():
        return [installed]
    # Source tree or editable install: the checkout's templates/ beside the package (never a
    # "templates" folder that happens to sit beside an installed package in site-packages).
    return [Path(__file__).resolve().parent.parent / "templates"]


def template_path(*parts: str, cwd: Path | None = None) -> Path:
    """The first existing templates/<parts> in the working folder, then the shipped copy."""
    roots = [(cwd or Path.cwd()) / "templates", *_shipped_roots()]
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError("templates/" + "/".join(parts))


def shipped_plan_paths(cwd: Path | None = None) -> list[Path]:
    """Every plan file: the working folder's first, then the shipped ones not overridden."""
    seen: dict[str, Path] = {}
    for root in [(cwd or Path.cwd()) / "templates", *_shipped_roots()]:
        folder = root / "plans"
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                seen.setdefault(path.name, path)
    return list(seen.values())


def working_plan_paths(cwd: Path | None = None) -> list[Path]:
    """The plan files of the working folder's own templates/plans/ (an imported plan), never the
    shipped ones, even when the working folder is the source checkout."""
    folder = (cwd or Path.cwd()) / "templates" / "plans"
    if not folder.is_dir() or folder.parent.resolve() in {root.resolve() for root in _shipped_roots()}:
        return []
    return sorted(folder.glob("*.yaml"))


def default_plan_path(cwd: Path | None = None) -> Path:
    return template_path("plans", "qianjiang.yaml", cwd=cwd)
