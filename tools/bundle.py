"""`make bundle`: one zip for an office without internet.

dist/excel-balance-离线安装包-<version>.zip holds, under one folder:
  wheels/             this package and every dependency, for Windows and Linux, each supported Python
  excel-balance.bat   double-click: sets up .venv from wheels/ and processes inputs/
  安装说明.txt         which Python, the steps, how to start and how to update (Chinese)
  README.md
  inputs/             empty: staff put their census workbooks here

Before zipping, the wheels are installed with --no-index into a temporary environment and
`excel-balance run` processes the bundled sample with it; any failure stops the bundle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from excel_balance import __version__

REPO = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
# pip takes several --platform tags at once; newer manylinux wheels (numpy ≥ 2.3) carry 2_28 only.
PLATFORMS = {
    "Windows": ("win_amd64",),
    "Linux": tuple(f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)) + ("manylinux2014_x86_64",),
}
# The PEP 508 environment of each target. `pip download --platform` evaluates dependency markers
# against the machine it runs on (pip issue 4304), so Windows-only dependencies such as click's
# colorama would be missing from a bundle made on Linux: they are resolved here for each target.
MARKERS = {
    "Windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    "Linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
}
GUIDE = "安装说明.txt"
LAUNCHER = "excel-balance.bat"
# What the zip's folder holds; the test of the .bat checks every path it names against this.
LAYOUT = ("wheels/", LAUNCHER, GUIDE, "README.md", "inputs/")


class BundleFailed(Exception):
    """A step of the bundle failed; the message says which."""


def _step(title: str, command: list, **kwargs) -> subprocess.CompletedProcess:
    print(f"== {title}", flush=True)
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise BundleFailed(f"{title}：失败（退出码 {done.returncode}）\n{done.stdout[-4000:]}{done.stderr[-4000:]}")
    return done


def _target_args(system: str, python: str) -> list[str]:
    platforms = [arg for tag in PLATFORMS[system] for arg in ("--platform", tag)]
    return ["--only-binary=:all:", "--implementation", "cp", "--python-version", python, *platforms]


def unmet(wheels: Path, system: str, python: str) -> list[Requirement]:
    """What `pip install --no-index --find-links wheels excel-balance` would lack on `system` with
    `python`: the requirement closure walked with that target's markers and wheel tags."""
    version = tuple(int(part) for part in python.split("."))
    tags = set(cpython_tags(version, platforms=PLATFORMS[system]))
    tags |= set(compatible_tags(version, f"cp{version[0]}{version[1]}", platforms=PLATFORMS[system]))
    available: dict[str, list] = {}
    for path in wheels.glob("*.whl"):
        name, found, _, wheel_tags = parse_wheel_filename(path.name)
        if wheel_tags & tags:
            available.setdefault(name, []).append((found, path))
    environment = {**MARKERS[system], "python_version": python, "python_full_version": f"{python}.0",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    todo, seen, missing = [Requirement("excel-balance")], set(), []
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        candidates = [c for c in available.get(name, []) if requirement.specifier.contains(c[0], prereleases=True)]
        if not candidates:
            missing.append(requirement)
            continue
        chosen = max(candidates)
        if (name, chosen[0]) not in seen:
            seen.add((name, chosen[0]))
            todo += [Requirement(line) for line in _requires(chosen[1])]
    return missing


def _requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.split("\n\n", 1)[0].splitlines()
            if line.startswith("Requires-Dist:")]


def collect_wheels(wheels: Path) -> Path:
    _step("构建 excel-balance 安装包", [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, REPO])
    (own,) = wheels.glob("excel_balance-*.whl")
    for system in PLATFORMS:
        for python in PYTHONS:
            _step(f"下载依赖：{system}，Python {python}",
                  [sys.executable, "-m", "pip", "download", "--quiet", *_target_args(system, python), "-d", wheels, own])
            for _ in range(10):  # each round may bring wheels with requirements of their own
                missing = unmet(wheels, system, python)
                if not missing:
                    break
                for requirement in missing:
                    pinned = f"{requirement.name}{requirement.specifier}"
                    _step(f"补充下载：{pinned}（{system}，Python {python}）",
                          [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                           *_target_args(system, python), "-d", wheels, pinned])
            if missing:
                raise BundleFailed(f"{system}，Python {python} 缺少：{'、'.join(map(str, missing))}")
            print(f"   依赖齐全：{system}，Python {python}", flush=True)
    return own


def self_check(wheels: Path, scratch: Path) -> str:
    """Install from the wheels alone and process the sample, as an office PC would."""
    env = scratch / "venv"
    _step("自检：建立临时环境", [sys.executable, "-m", "venv", env])
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    _step("自检：只用离线安装包安装（--no-index）",
          [python, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", wheels, "excel-balance"])
    work = scratch / "work"
    (work / "inputs").mkdir(parents=True)
    for sample in sorted((REPO / "inputs").glob("*.xls*")):
        shutil.copy(sample, work / "inputs" / sample.name)
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = _step("自检：excel-balance run 处理示例数据", [python, "-m", "excel_balance", "run"], cwd=work,
                 env={**clean_env, "PYTHONUTF8": "1"})
    reports = sorted((work / "outputs").glob("*.xlsx"))
    if not reports or "Traceback" in done.stdout + done.stderr:
        raise BundleFailed("自检：excel-balance run 没有生成报告\n" + done.stdout + done.stderr)
    return done.stdout


def write_zip(stage: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(stage.rglob("*")):
            name = path.relative_to(stage.parent).as_posix() + ("/" if path.is_dir() else "")
            if path.is_dir():
                archive.writestr(zipfile.ZipInfo(name), "")  # keeps the empty inputs/ folder
            else:
                archive.write(path, name)
    os.replace(tmp, target)


def build(dist: Path) -> Path:
    number = __version__
    with tempfile.TemporaryDirectory(prefix="excel-balance-bundle-") as scratch:
        stage = Path(scratch) / f"excel-balance-{number}"
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        collect_wheels(wheels)
        shutil.copy(REPO / LAUNCHER, stage / LAUNCHER)
        shutil.copy(REPO / "README.md", stage / "README.md")
        guide = (REPO / "tools" / GUIDE).read_text(encoding="utf-8").format(version=number)
        # Notepad on older Windows 10 needs the BOM to see UTF-8; CRLF for the same readers.
        (stage / GUIDE).write_bytes(b"\xef\xbb\xbf" + guide.replace("\n", "\r\n").encode("utf-8"))
        (stage / "inputs").mkdir()
        missing = [p for p in LAYOUT if not (stage / p).exists()]
        if missing:
            raise BundleFailed(f"安装包缺少：{'、'.join(missing)}")
        report = self_check(wheels, Path(scratch) / "check")
        print(report, end="")
        dist.mkdir(parents=True, exist_ok=True)
        target = dist / f"excel-balance-离线安装包-{number}.zip"
        write_zip(stage, target)
    count = len(zipfile.ZipFile(target).namelist())
    print(f"== 离线安装包：{target}（{target.stat().st_size / 1e6:.1f} MB，{count} 项），自检通过")
    return target


if __name__ == "__main__":
    try:
        build(REPO / "dist")
    except BundleFailed as exc:
        print(f"离线安装包未生成：{exc}", file=sys.stderr)
        raise SystemExit(1)
