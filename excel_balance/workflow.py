"""inputs/ → outputs/: discover the files, read them, evaluate each district, write its report.

Inputs are only ever read. Outputs are written atomically, skipped when nothing they depend on
changed (a manifest of content hashes in outputs/), and a lock keeps two runs from writing the
same folder at once. A bad file is reported and the others are still processed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from filelock import FileLock, Timeout

from excel_balance import __version__, incident
from excel_balance.atomic import remove_stale, write_failure
from excel_balance.census.campuses import UnplacedCampus
from excel_balance.census.corrections import Correction
from excel_balance.census.folder import FileOutcome, Reading, read_inputs
from excel_balance.census.model import Census
from excel_balance.census.schema import COLUMNS_BY_KEY
from excel_balance.census.sniff import workbooks_in
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.figures import gaps_text, off_plan_text
from excel_balance.evaluate.model import Evaluation, YearResult
from excel_balance.evaluate.rules import Status
from excel_balance.evaluate.school_conditions import campus_folds
from excel_balance.evaluate.units import UNITS_FOLDER, unit_workbook_name
from excel_balance.gcpause import gc_paused
from excel_balance.names import child, district_key, safe_name
from excel_balance.plan import Plan, load_plan
from excel_balance.problems import Problem, ProblemsError
from excel_balance.report.summary_workbook import DistrictSummary, summarise_district, write_summary_workbook
from excel_balance.report.notes_sheet import CorrectionNotes
from excel_balance.report.pdf import NOT_FOUND, NoLibreOffice, pdf_path, write_pdfs
from excel_balance.report.unit_workbook import write_unit_workbooks
from excel_balance.report.workbook import report_file_name
from excel_balance.resources import default_plan_path, shipped_plan_paths, template_path, working_plan_paths
from excel_balance.xlsx.book import document_time

NATIONAL_PLAN = "national.yaml"
# The national-standard plan's one "unit": its workbook would repeat the district's report.
NATIONAL_UNITS = ("县级人民政府",)

MANIFEST = ".excel-balance-manifest.json"
UNPLACED_KEY = "unplaced_campuses"  # a key of its own in the manifest: what `template --campuses` lists
LOCK = ".excel-balance.lock"


class RunBusy(Exception):
    """Another run holds the outputs folder."""


class OutputsUnwritable(Exception):
    """The outputs folder cannot be created or locked; the message says why, in Chinese."""


@dataclass
class DistrictOutcome:
    district: str
    years: list[int]
    plan: Plan
    output: Path | None = None
    unit_folder: Path | None = None
    written: bool = False
    note: str = ""
    evaluation: Evaluation | None = None  # None when a worker process evaluated it
    problems: list[Problem] = field(default_factory=list)
    summary: DistrictSummary | None = None
    censuses: list[Census] = field(default_factory=list)
    pdf: Path | None = None  # the report printed to PDF (run --pdf)
    exclusions: list[str] = field(default_factory=list)  # exclusion_lines, worked out where it was evaluated

    def evaluated(self) -> Evaluation:
        return self.evaluation or evaluate(self.plan, self.censuses)


@dataclass
class RunReport:
    inputs: Path
    files: list[FileOutcome] = field(default_factory=list)
    districts: list[DistrictOutcome] = field(default_factory=list)
    applied: list[Correction] = field(default_factory=list)
    refused_corrections: list[Problem] = field(default_factory=list)
    reading: Reading = field(default_factory=Reading)
    summary_workbook: Path | None = None
    pdf_unavailable: bool = False  # --pdf asked, LibreOffice not found
    problems: list[Problem] = field(default_factory=list)  # of the run itself (summary, manifest)

    @property
    def failed(self) -> bool:
        """A recognised file (or a district's report) could not be used."""
        return any(f.kind == "refused" for f in self.files) or any(d.problems for d in self.districts) or bool(
            self.refused_corrections) or bool(self.problems)


def discover(inputs: Path) -> tuple[list[Path], list[FileOutcome]]:
    """Candidate workbooks and the files skipped, with why."""
    found, passed = workbooks_in(inputs)
    return found, [FileOutcome(path, "skipped", reason) for path, reason in passed]


class PlanChooser:
    """A district's plan: the --plan given for it, else a plan file of the working folder's
    templates/plans/ whose district matches (an imported plan), else the default or a bundled
    plan of that district, else the national-standard plan (under the district's name)."""

    def __init__(self, given: list[Plan], default: Plan):
        self.by_district = {district_key(p.district): p for p in given}
        self._register(working_plan_paths())
        self.by_district.setdefault(district_key(default.district), default)
        self._register(shipped_plan_paths())
        self.national = load_plan(template_path("plans", NATIONAL_PLAN))

    def _register(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                plan = load_plan(path)
            except ProblemsError:
                continue
            self.by_district.setdefault(district_key(plan.district), plan)

    def __call__(self, district: str) -> Plan:
        plan = self.by_district.get(district_key(district))
        return plan if plan is not None else dataclasses.replace(self.national, district=district)


def _fingerprint(plan: Plan, censuses: list[Census], corrections: list[Correction], refused: list[Problem]) -> dict:
    """What a report depends on: the tool, the plan's content, the inputs' content, names and
    modification times (which decide between two copies of a school, so a rename is a change),
    corrections (the refused rows too: the notes list them)."""
    return {
        "version": __version__,
        "plan": plan_digest(plan),
        "inputs": sorted(c.sha256 for c in censuses),
        "files": sorted([name, mtime] for c in censuses for name, mtime in c.stamps),
        "corrections": sorted(repr(c) for c in corrections),
        "refused": sorted(str(p) for p in refused),
    }


_DIGESTS: dict[int, tuple[Plan, str]] = {}


def plan_digest(plan: Plan) -> str:
    """The plan's content hash; the national plan, shared by many districts under their own
    names, is hashed once (its district name is part of the report's name already)."""
    base = dataclasses.replace(plan, district="")
    key = hash((base.source, base.title, len(base.indicators)))
    cached = _DIGESTS.get(key)
    if cached is None or cached[0] != base:
        cached = (base, hashlib.sha256(repr(base).encode("utf-8")).hexdigest())
        _DIGESTS[key] = cached
    return cached[1]


def _load_manifest(outputs: Path) -> dict:
    try:
        return json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_manifest(outputs: Path, manifest: dict) -> None:
    from excel_balance.atomic import atomic_path

    with atomic_path(outputs / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def run(
    inputs: Path,
    outputs: Path,
    plans: Iterable[Path] = (),
    *,
    force: bool = False,
    year: int | None = None,
    lock_wait: float = 10.0,
    progress: Callable[[list, str], Iterable] | None = None,
    district: str | None = None,
    generated_at: dt.datetime | None = None,
    pdf: bool = False,
) -> RunReport:
    """Process every file in `inputs` into `outputs`; raises RunBusy if another run holds it.
    `pdf`: each district's report also printed to PDF beside it (when LibreOffice is found)."""
    inputs, outputs = Path(inputs), Path(outputs)
    given = [load_plan(p) for p in plans]
    try:
        outputs.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(outputs / LOCK))
        lock.acquire(timeout=lock_wait)
    except Timeout:
        raise RunBusy(str(outputs)) from None
    except OSError as exc:
        raise OutputsUnwritable(f"无法写入输出文件夹 {outputs}（{exc.strerror or exc}）：请检查该文件夹的权限和磁盘空间，"
                                "或用 --outputs 指定其他文件夹") from None
    try:
        remove_stale(outputs)  # left by a run that was killed; we hold the lock, so none is in use
        report = _run_locked(inputs, outputs, given, force, year, progress, district, document_time(generated_at))
        if pdf:
            _print_pdfs(report)
        return report
    finally:
        lock.release()


def _run_locked(inputs, outputs, given: list[Plan], force, year, progress, only_district=None,
                created: dt.datetime | None = None) -> RunReport:
    report = RunReport(inputs)
    reading_plan = given[0] if given else load_plan(default_plan_path())
    candidates, skipped = discover(inputs)
    report.files += skipped
    with gc_paused(collect_after=True):
        reading = read_inputs(candidates, reading_plan, year, district=only_district, progress=progress,
                              on_bug=lambda path: incident.record(outputs, path.name))
    report.files += reading.files
    report.reading = reading
    report.applied, report.refused_corrections = reading.applied, reading.refused_corrections
    groups, corrections = reading.groups, reading.corrections
    manifest = _load_manifest(outputs)
    tasks = []
    taken: dict[Path, str] = {}
    choose_plan = PlanChooser(given, reading_plan)
    for district, by_year in sorted(groups.items()):
        plan = choose_plan(district)
        censuses = [by_year[y].census for y in sorted(by_year)]
        # Refused rows go into every district's notes: a row that cannot be read names no district.
        notes = CorrectionNotes(tuple(correction_notes(report.applied, by_year)), tuple(report.refused_corrections))
        target = child(outputs, report_file_name(district, max(by_year)))
        if target in taken:  # `甲/乙` and `甲_乙` are two districts but one safe file name
            report.districts.append(DistrictOutcome(district, sorted(by_year), plan, problems=[Problem(
                target.name, "", f"区县“{district}”与“{taken[target]}”的报告文件名相同，未生成：请在统计报表中改正区县名称")]))
            continue
        taken[target] = district
        units = unit_folder(outputs, district, len(groups))
        fingerprint = _fingerprint(plan, censuses, [c for _, c in corrections], report.refused_corrections)
        unit_files = [units / unit_workbook_name(u, max(by_year)) for u in plan.units if plan.units != NATIONAL_UNITS]
        unchanged = target.exists() and manifest.get(target.name) == fingerprint and all(p.exists() for p in unit_files)
        tasks.append(DistrictTask(district, plan, censuses, target, units, notes, force or not unchanged, fingerprint,
                                  created))
    for task, result in zip(tasks, _process(tasks, progress)):
        if result.trace:
            result.problems = [incident.record(outputs, task.target.name, result.trace)]
        outcome = DistrictOutcome(task.district, [c.year for c in task.censuses], task.plan, result.output or task.target,
                                  task.units, result.written, result.note, result.evaluation, result.problems,
                                  result.summary, task.censuses, exclusions=result.exclusions)
        report.districts.append(outcome)
        if result.written:
            manifest[task.target.name] = task.fingerprint
    try:
        unplaced = _unplaced_records(report)
        if any(d.written for d in report.districts) or manifest.get(UNPLACED_KEY, []) != unplaced:
            _save_manifest(outputs, {**manifest, UNPLACED_KEY: unplaced})
        summaries = [d for d in report.districts if d.summary is not None]
        if len(summaries) > 1:
            report.summary_workbook = write_summary_workbook(summaries, outputs, _region(report))
    except Exception as exc:
        failure = write_failure(exc)
        report.problems.append(Problem(str(outputs), "", f"写入失败（{failure.strerror or failure}）") if failure
                               else incident.record(outputs, "各区县汇总"))
    return report


def _print_pdfs(report: RunReport) -> None:
    """Each report's PDF, printed again when the report was (or the PDF is missing or older)."""
    outcomes = [d for d in report.districts if not d.problems and d.output is not None and d.output.exists()]
    stale = [d.output for d in outcomes if d.written or not pdf_path(d.output).exists() or _outdated_pdf(d.output)]
    try:
        printed = write_pdfs(stale)
    except NoLibreOffice:
        report.pdf_unavailable = True
        return
    for outcome in outcomes:
        result = printed.get(outcome.output, pdf_path(outcome.output))
        if isinstance(result, Path):
            outcome.pdf = result
        else:
            report.problems.append(Problem(pdf_path(outcome.output).name, "", str(result)))


def _outdated_pdf(report: Path | None) -> bool:
    """A PDF beside the report, printed before the report was last written."""
    if report is None or not report.exists():
        return False
    pdf = pdf_path(report)
    return pdf.exists() and pdf.stat().st_mtime < report.stat().st_mtime


@dataclass
class DistrictTask:
    """One district's work, picklable for a worker process."""

    district: str
    plan: Plan
    censuses: list[Census]
    target: Path
    units: Path
    notes: CorrectionNotes
    write: bool
    fingerprint: dict
    created: dt.datetime | None = None


@dataclass
class DistrictResult:
    summary: DistrictSummary | None = None
    output: Path | None = None
    written: bool = False
    note: str = ""
    problems: list[Problem] = field(default_factory=list)
    evaluation: Evaluation | None = None  # kept only when evaluated in this process
    trace: str = ""  # an unexpected error's traceback, logged by the parent process
    exclusions: list[str] = field(default_factory=list)


PARALLEL_FROM = 4  # districts; fewer are not worth starting processes for


def _process(tasks: list[DistrictTask], progress) -> list[DistrictResult]:
    """Evaluate and write each district: in worker processes (groups of districts) when there are
    many, so that a province-wide run uses every core and holds one district's data at a time."""
    workers = min(os.cpu_count() or 1, 8)
    if len(tasks) < PARALLEL_FROM or workers < 2:
        done = [process_district(task, keep=True) for task in (progress(tasks, "测算区县") if progress else tasks)]
        return done
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context()
    # Forked workers find the tasks in the heap they inherit: sending them would pickle every
    # school row of the province once more. Spawned ones (Windows, macOS) are sent their own.
    forked = context.get_start_method() == "fork"
    # Groups of two or three districts, spread evenly: the last ones to finish keep one core
    # busy for a few seconds at most while the other waits.
    count = min(workers * 32, len(tasks))
    chunks = [range(i, len(tasks), count) for i in range(count)]
    results: dict[int, DistrictResult] = {}
    _INHERITED[:] = tasks if forked else []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(process_districts, list(chunk) if forked else [tasks[n] for n in chunk])
                       for chunk in chunks]
            iterator = progress(futures, "测算区县") if progress else futures
            for chunk, future in zip(chunks, iterator):
                results.update(zip(chunk, future.result()))
    finally:
        _INHERITED.clear()
    return [results[n] for n in range(len(tasks))]


_INHERITED: list[DistrictTask] = []  # the tasks of the run that forked this worker


def process_districts(chunk: list[DistrictTask] | list[int]) -> list[DistrictResult]:
    """A worker's group of districts: the tasks, or their places in _INHERITED. A forked worker
    inherits the parent's whole heap (every school row of the province); frozen, the garbage
    collector stops walking it again and again while the workbooks are written."""
    gc.freeze()
    done = []
    for task in chunk:
        with gc_paused(collect_after=True):
            done.append(process_district(_INHERITED[task] if isinstance(task, int) else task))
    return done


def process_district(task: DistrictTask, keep: bool = False) -> DistrictResult:
    """Evaluate one district and, when its inputs changed, write its report and unit workbooks;
    an unexpected error is returned as its traceback (the next district still runs)."""
    try:
        return _process_district(task, keep)
    except Exception:
        return DistrictResult(trace=traceback.format_exc())


def _process_district(task: DistrictTask, keep: bool) -> DistrictResult:
    result = DistrictResult()
    try:
        evaluation = evaluate(task.plan, task.censuses)
    except ProblemsError as exc:
        result.problems = exc.problems
        return result
    result.summary = summarise_district(evaluation, task.target.name)
    result.exclusions = exclusion_lines(evaluation.latest, task.plan)  # from the sections the evaluation built
    result.evaluation = evaluation if keep else None
    if not task.write:
        result.note = "输入未变化，未重写（需要重写请加 --force）"
        return result
    try:
        result.output, result.note = _write(evaluation, task.target, task.notes, task.created)
        if task.plan.units != NATIONAL_UNITS:
            write_unit_workbooks(evaluation, task.units, task.notes, task.created)
    except Exception as exc:
        failure = write_failure(exc)
        if failure is None:
            raise
        result.problems = [Problem(task.target.name, "", f"写入报告失败（{failure.strerror or failure}），原有报告未改动")]
        return result
    result.written = True
    return result


def _unplaced_records(report: RunReport) -> list[dict]:
    """The campuses this run could not place, once each, as the manifest keeps them."""
    records = []
    for problem in (p for f in report.files for p in f.problems if isinstance(p, UnplacedCampus)):
        record = {"district": problem.district, "year": problem.year, "id": problem.campus_id,
                  "name": problem.campus_name, "file": problem.file, "where": problem.where,
                  "candidates": [list(c) for c in problem.candidates]}
        if not any((r["district"], r["year"], r["id"], r["name"]) ==
                   (problem.district, problem.year, problem.campus_id, problem.campus_name) for r in records):
            records.append(record)
    return records


def unplaced_campuses(outputs: Path) -> list[UnplacedCampus]:
    """The campuses the last run in `outputs` could not place (none when it has not run)."""
    manifest = _load_manifest(Path(outputs))
    campuses = []
    for r in manifest.get(UNPLACED_KEY, []) if isinstance(manifest, dict) else []:
        try:
            campuses.append(UnplacedCampus(str(r["file"]), str(r["where"]), "", campus_id=str(r["id"]),
                                           campus_name=str(r["name"]), district=str(r["district"]), year=int(r["year"]),
                                           candidates=tuple((str(i), str(n)) for i, n in r["candidates"])))
        except (KeyError, TypeError, ValueError):
            continue  # an edited or older manifest: that campus is simply not pre-filled
    return campuses


def _region(report: RunReport) -> str:
    regions = {f.census.region for f in report.files if f.kind == "census" and f.census.region}
    return "、".join(sorted(regions)) or "全部区县"


def unit_folder(outputs: Path, district: str, districts: int) -> Path:
    """outputs/责任单位/, with a folder per district when a run covers several."""
    return child(outputs, UNITS_FOLDER) if districts == 1 else child(outputs, UNITS_FOLDER, safe_name(district))


def correction_notes(applied: list[Correction], by_year: dict[int, FileOutcome]) -> list[tuple[str, ...]]:
    """The corrections applied to one district's censuses, as the report's 数据说明 lists them."""
    return [_correction_note(c) for c in applied if c.year in by_year and
            any(s.school_id == c.school_id for s in by_year[c.year].census.schools)]


def _correction_note(correction: Correction) -> tuple[str, ...]:
    return (f"{correction.year}年 {correction.cell}", f"{correction.school_id} {correction.label}",
            f"{correction.old:g} → {correction.new:g}", correction.reason)


def _write(evaluation: Evaluation, target: Path, corrections: CorrectionNotes, created) -> tuple[Path, str]:
    """Write the report; if the old one cannot be replaced (open in Excel on Windows), beside it."""
    from excel_balance.report.workbook import write_report

    try:
        write_report(evaluation, target, created, corrections)
        return target, "已生成"
    except PermissionError:
        fallback = target.with_name(f"{target.stem}（新）{target.suffix}")
        write_report(evaluation, fallback, created, corrections)
        return fallback, f"原报告 {target.name} 正被占用（可能在 Excel 中打开），已另存为 {fallback.name}"


def summary_lines(report: RunReport) -> list[str]:
    """The Chinese summary a run ends with."""
    kinds = Counter("census" if f.kind in ("split", "duplicate") else f.kind for f in report.files if not f.combined)
    extra = "".join(f"，{label} {kinds[kind]} 个" for kind, label in
                    (("export", "统计导出"), ("supplement", "补充表"), ("campuses", "校点归属表")) if kinds[kind])
    lines = [f"读取 {report.inputs}：统计报表 {kinds['census']} 个{extra}，修正表 {kinds['corrections']} 个，"
             f"跳过 {kinds['skipped']} 个，无法使用 {kinds['refused']} 个"]
    for outcome in report.files:
        if outcome.kind == "skipped":
            lines.append(f"  跳过：{outcome.path.name}（{outcome.reason}）")
    for outcome in report.files:
        if outcome.kind == "duplicate":
            lines.append(f"  未使用（重复）：{outcome.path.name}")
            lines += [f"    {p.severity.value}：{p}" for p in outcome.problems]
    if report.reading.mixes_sample:
        lines.append(sample_warning(report.reading))
    for outcome in report.files:
        if outcome.kind == "refused":
            lines.append(f"  无法{'合并' if outcome.combined else '使用'}：{outcome.path.name}")
            lines += [f"    {p.severity.value}：{p}" for p in outcome.problems]
    for outcome in report.files:
        if outcome.kind == "census" and outcome.combined:
            census = outcome.census
            lines.append(f"  统计导出合并为 {census.district or '—'}{census.year}年：{census.file}")
            lines += [f"    {p.severity.value}：{p}" for p in census.warnings]
            if census.missing:
                lines.append("    无数据（请用 excel-balance supplement 生成补充表填写）："
                             + "、".join(COLUMNS_BY_KEY[k].header for k in sorted(census.missing)))
    if report.applied or report.refused_corrections:
        lines.append(f"修正：已应用 {len(report.applied)} 条，拒绝 {len(report.refused_corrections)} 条")
        lines += [f"  拒绝：{p}" for p in report.refused_corrections]
    for district in report.districts:
        years = "、".join(str(y) for y in district.years)
        if district.problems:
            lines.append(f"{district.district}（{years}年）：无法测算")
            lines += [f"  错误：{p}" for p in district.problems]
            continue
        lines.append(f"{district.district}（{years}年，规划：{Path(district.plan.source).name or '内置'}）→ "
                     f"{district.output}（{district.note}）")
        lines.append(f"  各责任单位的工作簿：{district.unit_folder}/")
        if district.pdf:
            lines.append(f"  PDF：{district.pdf}")
        elif _outdated_pdf(district.output):  # staff might submit it: say so
            lines.append(f"  注意：{pdf_path(district.output)} 是旧报告打印的 PDF，已过时：运行 excel-balance run --pdf 重新生成")
        summary = district.summary
        counts = summary.counts
        lines.append(
            f"  {summary.year}年对照年度目标：{off_plan_text(summary.off_plan)}——接近目标 {counts[Status.NEAR]} 项，"
            f"未达年度目标或未达标 {counts[Status.BEHIND] + counts[Status.NOT_MET]} 项；"
            f"按规划推进 {counts[Status.MET] + counts[Status.TARGET_MET]} 项，无数据 {counts[Status.NO_DATA]} 项")
        lines.append("  总体判断（对照国家标准）：" + (
            "已达到优质均衡标准" if summary.certified else f"{gaps_text(summary.obstacles)}，详见报告“推进规划”表"))
        lines += district.exclusions
    if report.summary_workbook:
        lines.append(f"各区县汇总：{report.summary_workbook}")
    if report.pdf_unavailable:
        lines.append(NOT_FOUND)
    lines += [f"错误：{p}" for p in report.problems]
    if not report.districts and not any(f.kind == "refused" for f in report.files):
        lines.append(f"{report.inputs} 中没有统计报表：请把当年的教育事业统计报表放进该文件夹")
    return lines


def exclusion_lines(latest: YearResult, plan: Plan) -> list[str]:
    """How many schools (sections) the latest census leaves out and how many campuses it folds
    in, listed in the report's 数据说明; a fold that changes its school's G4 result named here."""
    census, excluded = latest.census, latest.excluded
    folds = campus_folds(latest.schools, census.schools, plan.settings)
    if not excluded and not folds:
        return []
    lines = [f"  {census.year}年：不参加资源配置及G3—G5测算 {len(excluded)} 项（学校或学段），"
             f"分校区并入所属学校 {sum(len(f.campuses) for f in folds)} 个（逐项见报告“数据说明”）"]
    return lines + [f"  注意：{fold.describe()}" for fold in folds if fold.breaks_size]


def sample_warning(reading: Reading) -> str:
    return (f"警告：{'、'.join(reading.samples)} 是示例数据（虚构），与真实数据一起使用了："
            "如不是有意为之，请把示例文件移出输入文件夹后再运行")


def email_evaluation(inputs: Path, outputs: Path, plan_file: Path | None, district: str | None,
                     year: int | None, lock_wait: float = 10.0) -> tuple[Evaluation, Path]:
    """The evaluation whose unit workbooks are mailed, and their folder: a run of inputs/ (which
    rewrites nothing when nothing changed), cut at `year` when an earlier year is asked for."""
    report = run(inputs, outputs, [plan_file] if plan_file else [], lock_wait=lock_wait)
    if report.failed:  # mail would go out from the other files, perhaps an older year, without a word
        refused = sorted({f.path.name for f in report.files if f.kind == "refused"})
        what = f"文件无法使用（{'、'.join(refused)}）" if refused else "修正或区县报告有问题"
        raise LookupError(f"{inputs} 中有{what}：邮件会只按其余数据发出，可能不是最新年度或缺少修正，本次未发送。"
                          "请先运行 excel-balance run 查看原因并处理后再发送")
    outcomes = [d for d in report.districts if d.summary is not None]
    if district:
        outcomes = [d for d in outcomes if d.district == district]
    if not outcomes:
        raise LookupError(f"{inputs} 中没有{district or ''}可用的统计报表：请先运行 excel-balance run 查看原因")
    if len(outcomes) > 1:
        raise LookupError(f"输入中有多个区县（{'、'.join(d.district for d in outcomes)}）：请用 --district 指定")
    outcome = outcomes[0]
    if outcome.plan.units == NATIONAL_UNITS:
        raise LookupError(f"{outcome.district}按国家标准测算，规划中没有责任单位分工，无单位可发：请把该区县的推进规划"
                          "放进 templates/plans/（或用 --plan 指定）后再运行")
    evaluation = outcome.evaluated()
    if year is not None and year != evaluation.latest.year:
        censuses = [r.census for y, r in evaluation.years.items() if y <= year]
        if year not in evaluation.years:
            raise LookupError(f"没有{outcome.district}{year}年的统计报表（现有：{'、'.join(map(str, evaluation.years))}）")
        evaluation = evaluate(outcome.plan, censuses)
        write_unit_workbooks(evaluation, outcome.unit_folder)
    return evaluation, outcome.unit_folder
