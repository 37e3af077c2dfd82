"""The `excel-balance` command: parses options, calls one stage, turns its errors into messages."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from excel_balance import __version__
from excel_balance.names import LongPath, child, console_text, file_name
from excel_balance.plan import Plan, check_plan
from excel_balance.problems import Problem, ProblemsError
from excel_balance.resources import default_plan_path, working_plan_paths

PLAN_OPTION = click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="规划文件（YAML）；默认使用随程序提供的黔江区规划，或 templates/plans/ 中的同名文件。",
)


GENERATED_AT = click.option(
    "--generated-at", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="写入报告的生成时间（默认取 SOURCE_DATE_EPOCH，否则为当前时间），给定后重复生成得到相同文件。")


def say(text: str = "", err: bool = False) -> None:
    """Echo a line; names from data may carry ESC, CR or LF, which must not reach the terminal."""
    click.echo(console_text(text), err=err)


def echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        say(f"  {problem.severity.value}：{problem}", err=True)


class Failure(click.ClickException):
    """A command cannot go on; the message says why and what to do, in Chinese."""

    def show(self, file=None) -> None:
        click.echo(console_text(f"错误：{self.format_message()}"), err=True)  # names from data inside


def workbook_paths(paths) -> list[Path]:
    """The files as given, a folder standing for the workbooks in it, found exactly as `run`
    finds them; what a folder holds besides is said on the console."""
    from excel_balance.census.sniff import workbooks_in

    found = []
    for path in map(Path, paths):
        if not path.is_dir():
            found.append(path)
            continue
        workbooks, passed = workbooks_in(path)
        for other, reason in passed:
            say(f"{other.name}：{reason}，已忽略")
        if not workbooks:
            raise Failure(f"文件夹 {path} 中没有 Excel 工作簿")
        found += workbooks
    return found


def open_folder(folder: Path) -> None:
    """Show `folder` in the system's file manager; nothing where none can be started."""
    import os
    import shutil
    import subprocess

    try:
        if sys.platform == "win32":
            os.startfile(folder)  # type: ignore[attr-defined]  # Windows only
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(folder)])
        elif shutil.which("xdg-open"):
            subprocess.Popen(["xdg-open", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        pass  # no file manager here: the summary already names the folder


def load_plan_or_fail(plan_file: Path | None) -> Plan:
    path = plan_file or default_plan_path()
    plan, problems = check_plan(path)
    if plan is None:
        say(f"规划文件 {path} 有 {len(problems)} 处问题：", err=True)
        echo_problems(problems)
        raise SystemExit(1)
    return plan


def own_plan_or_fail(plan_file: Path | None) -> Plan:
    """For the commands without a census: --plan, else the working folder's one plan
    (templates/plans/), else the bundled default; several plans there must be chosen by name."""
    own = working_plan_paths()
    if plan_file is None and len(own) > 1:
        raise Failure("templates/plans/ 中有多个规划文件，请用 --plan 指定其中一个："
                      + "、".join(str(path.relative_to(Path.cwd())) for path in own))
    return load_plan_or_fail(plan_file or (own[0] if own else None))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="excel-balance")
def cli() -> None:
    """义务教育优质均衡发展推进情况测算工具。

    把当年的教育事业统计报表放进 inputs/，运行 excel-balance run，在 outputs/ 得到推进情况报告。
    """
    warnings.showwarning = _show_warning


_default_show_warning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Our own warnings are said to staff in Chinese, without Python's file and line."""
    if issubclass(category, LongPath):
        say(f"警告：{message}", err=True)
    else:
        _default_show_warning(message, category, filename, lineno, file, line)


@cli.command("plan")
@PLAN_OPTION
@click.option("--check", is_flag=True, help="只检查规划文件，列出全部问题。")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出的工作簿，默认 outputs/<区县>推进规划.xlsx。",
)
@click.option("--import", "source", type=click.Path(dir_okay=False, path_type=Path),
              help="从本区县规划文档（Word .docx 或 Excel .xlsx 中的规划表）生成规划文件。")
@click.option("--baseline-year", type=click.IntRange(2000, 2100), help="现状年度（规划表中没有写明时必填）。")
@click.option("--force", is_flag=True, help="导入时覆盖已有的规划文件（--form 时覆盖已有的填写表）。")
@click.option("--form", is_flag=True, help="生成规划填写表（没有现成规划表的区县填写后用 --import 导入），"
              "需给出 --district 和 --years。")
@click.option("--district", help="规划填写表的区县名称，例如 某某县。")
@click.option("--years", help="规划填写表的规划年度，例如 2025-2027；现状年度默认为前一年（--baseline-year 可改）。")
def plan_command(plan_file: Path | None, check: bool, output: Path | None, source: Path | None,
                 baseline_year: int | None, force: bool, form: bool, district: str | None,
                 years: str | None) -> None:
    """检查规划文件，把规划表输出为可打印的工作簿，从规划文档导入规划文件，或生成规划填写表。

    \b
    示例：
      excel-balance plan --check --plan templates/plans/qianjiang.yaml
      excel-balance plan -o outputs/推进规划.xlsx
      excel-balance plan --import 推进规划.docx
      excel-balance plan --form -o 规划填写.xlsx --district 某某县 --years 2025-2027
      excel-balance plan --import 规划填写.xlsx
    """
    if form:
        plan_form_file(output, district, years, baseline_year, force)
        return
    if source is not None:
        import_plan_file(source, output, baseline_year, force)
        return
    plan = own_plan_or_fail(plan_file)
    if check:
        years = f"规划年度 {plan.plan_years[0]}—{plan.plan_years[-1]}" if plan.plan_years else "只有标准、没有年度目标"
        say(f"规划文件无问题：{plan.district}，{len(plan.indicators)} 项指标，{years}。")
        return
    from excel_balance.report.plan_workbook import write_plan_workbook

    target = output or child(Path("outputs"), file_name(plan.district, "推进规划.xlsx"))
    try:
        write_plan_workbook(plan, target)
    except OSError as exc:
        raise Failure(f"无法写入 {target}：{exc.strerror or exc}（文件是否正在 Excel 中打开？）")
    say(f"已生成规划表：{target}")


_DISTRICT_ENDINGS = ("县", "区", "市", "旗")


def _plan_years(value: str) -> list[int]:
    """--years 2025-2027 (or one year) → [2025, 2026, 2027]."""
    import re

    match = re.fullmatch(r"\s*((?:19|20)\d{2})\s*(?:[-—－–~～至到]+\s*((?:19|20)\d{2}))?\s*年?\s*", value)
    first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
    if not match or not first <= last <= first + 9:
        raise Failure(f"--years “{value}”应为起止年度，例如 2025-2027（最多10年）")
    return list(range(first, last + 1))


def plan_form_file(output: Path | None, district: str | None, span: str | None, baseline_year: int | None,
                   force: bool) -> None:
    from excel_balance.report.plan_form import write_plan_form

    district = (district or "").strip()
    if not district or span is None:
        raise Failure("生成规划填写表需要区县和规划年度，例如 --district 某某县 --years 2025-2027")
    years = _plan_years(span)
    if not district.endswith(_DISTRICT_ENDINGS):
        raise Failure(f"区县名称“{district}”应以“县”“区”“市”或“旗”结尾（导入时从标题中读出区县）")
    baseline = baseline_year or years[0] - 1
    if baseline >= years[0]:
        raise Failure(f"现状年度 {baseline} 应早于第一个规划年度 {years[0]}")
    target = output or child(Path("."), file_name(district, "规划填写.xlsx"))
    if target.suffix.lower() != ".xlsx":  # the import takes .xlsx (and .docx) by their names
        raise Failure(f"规划填写表是 Excel 工作簿，-o 应以 .xlsx 结尾（而不是“{target.name}”）")
    if target.exists() and not force:  # it may be filled in already
        raise Failure(f"{target} 已存在，未覆盖：如需重新生成请加 --force，或用 -o 指定另一个文件")
    try:
        write_plan_form(target, district, years, baseline)
    except OSError as exc:
        raise Failure(f"无法写入 {target}：{exc.strerror or exc}（文件是否正在 Excel 中打开？）")
    say(f"已生成规划填写表：{target}（{years[0]}—{years[-1]}年，现状{baseline}年；"
        f"按“填报说明”填写后运行 excel-balance plan --import {target}）")


def import_plan_file(source: Path, output: Path | None, baseline_year: int | None, force: bool) -> None:
    from excel_balance.plan_import import DocumentError, import_plan, write_plan

    try:
        result = import_plan(source, baseline_year)
    except DocumentError as exc:
        raise Failure(str(exc))
    say(f"已读取 {source.name}：")
    for line in result.recognised:
        say(f"  {line}")
    for line in result.differences:
        say(f"  与国家标准不同：{line}")
    if result.problems:
        say(f"{source.name} 有 {len(result.problems)} 处无法识别，未生成规划文件：", err=True)
        echo_problems([Problem(source.name, where, message) for where, message in result.problems])
        raise SystemExit(1)
    # the district comes from the document: a file name made safe, inside templates/plans/
    target = output or Path("templates") / "plans" / file_name(result.doc["district"], ".yaml")
    if target.exists() and not force:
        raise Failure(f"{target} 已存在，未覆盖：如需替换请加 --force，或用 -o 指定另一个文件")
    try:
        write_plan(result, source.name, target)
    except ProblemsError as exc:
        say(f"导入的规划未通过检查，未生成 {target}：", err=True)
        echo_problems(exc.problems)
        raise SystemExit(1)
    except OSError as exc:
        raise Failure(f"无法写入 {target}：{exc.strerror or exc}")
    say(f"已生成规划文件：{target}（可用 excel-balance plan --check --plan {target} 检查）")


@cli.command("template")
@PLAN_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件，默认当前文件夹中的 <区县><年度>年统计报表（填报模板）.xlsx（填好后再放进 inputs/）。")
@click.option("--year", type=click.IntRange(2000, 2100), help="统计年度，例如 2022（2022—2023学年）。")
@click.option("--district", help="区县名称，默认取规划文件中的区县。")
@click.option("--corrections", is_flag=True, help="改为生成空白的修正表 inputs/修正.xlsx。")
@click.option("--campuses", is_flag=True, help="改为生成校点归属表 inputs/校点归属.xlsx（统计导出的校点归并用），"
              "列出上次运行无法归入学校的校点。")
@click.option("--outputs", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"), show_default=True,
              help="上次运行的输出文件夹（--campuses 从中读取无法归入的校点）。")
def template_command(plan_file: Path | None, output: Path | None, year: int | None, district: str | None,
                     corrections: bool, campuses: bool, outputs: Path) -> None:
    """生成空白的统计报表填报模板（学校、区级指标、填报说明三张表），或修正表、校点归属表。

    \b
    示例：
      excel-balance template --year 2022 -o 2022年统计报表.xlsx
      excel-balance template --corrections
      excel-balance template --campuses
    """
    from excel_balance.census.template import write_template

    if campuses:
        from excel_balance.census.campuses import write_campus_template
        from excel_balance.workflow import unplaced_campuses

        unplaced = unplaced_campuses(outputs)
        target = write_campus_template(output or Path("inputs") / "校点归属.xlsx", unplaced)
        if unplaced:
            say(f"已生成校点归属表：{target}（列出上次运行无法归入学校的 {len(unplaced)} 个校点，"
                "请在“所属学校标识码”列从下拉列表选择所属学校）")
        else:
            say(f"已生成校点归属表：{target}（{outputs} 中上次运行没有无法归入学校的校点，表中无预填）")
        return
    if corrections:
        from excel_balance.census.corrections import write_corrections_template

        target = write_corrections_template(output or Path("inputs") / "修正.xlsx")
        say(f"已生成修正表：{target}")
        return
    plan = own_plan_or_fail(plan_file)
    name = district or plan.district
    # Not into inputs/: until filled in it is a blank template there (skipped with a note).
    target = output or child(Path("."), file_name(name, f"{year or ''}{'年' if year else ''}统计报表（填报模板）.xlsx"))
    write_template(target, plan, year=year, district=name)
    say(f"已生成填报模板：{target.absolute()}（填好学校数据后放进 inputs/）")


@cli.command("check")
@PLAN_OPTION
@click.option("--year", type=click.IntRange(2000, 2100), help="文件中没有写明统计年度时使用的年度。")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_command(plan_file: Path | None, year: int | None, files: tuple[Path, ...]) -> None:
    """读取并检查统计报表，逐个文件列出概况和全部问题。给出文件夹时检查其中的全部工作簿。

    全部文件可用时退出码为 0，否则为 1（空白的填报模板、不是统计报表的工作簿只提示，不算不可用）。

    \b
    示例：
      excel-balance check inputs/2022年统计报表.xlsx
      excel-balance check inputs
    """
    from excel_balance.census.check import check_files

    plan = load_plan_or_fail(plan_file)
    usable = True
    for line, ok in check_files(workbook_paths(files), plan, year):
        say(line)
        usable &= ok
    if not usable:
        raise SystemExit(1)


@cli.command("supplement")
@PLAN_OPTION
@click.option("-o", "--folder", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"),
              show_default=True, help="补充表写入的文件夹，每个区县、每个年度一个 补充数据_<区县><年度>.xlsx。")
@click.option("--district", help="只为这个区县生成补充表（导出含多个区县时）。")
@click.option("--year", type=click.IntRange(2000, 2100), help="导出中没有写明统计年度时使用的年度。")
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=Path))
def supplement_command(plan_file, folder, district, year, exports) -> None:
    """为统计系统导出的基层表生成补充表：每个区县、每个年度一个，列出该区县导出中的学校，只含导出缺少的
    数据（骨干教师、大班额、达标音乐美术教室；灰色选填列：持证、培训、就近划片、章程与信息化、培训经费等各校数据）
    和该区县的区级指标。填好后与导出一起放进 inputs/。

    \b
    示例：
      excel-balance supplement inputs/2022小学基层表.xlsx inputs/2022中学基层表.xlsx
      excel-balance supplement --district 武隆区 inputs/2022全市小学基层表.xlsx inputs/2022全市中学基层表.xlsx
    """
    from excel_balance.census.exports import NotAnExport, by_district, read_export, write_supplements
    from excel_balance.workflow import PlanChooser

    plan = load_plan_or_fail(plan_file)
    sheets = []
    for path in exports:
        try:
            sheets += read_export(path, year=year)
        except ProblemsError as exc:
            say(f"{path.name}：{'不是统计系统导出' if isinstance(exc, NotAnExport) else '无法使用'}", err=True)
            echo_problems(exc.problems)
            raise SystemExit(1)
    written = write_supplements(folder, sheets, PlanChooser([plan] if plan_file else [], plan), district)
    if not written:
        named = "、".join(sorted({d or plan.district for d, _ in by_district(sheets)}))
        raise Failure(f"导出中没有{district}（导出中的区县：{named}）")
    for target in written:
        say(f"已生成补充表：{target}（请填写后放进 inputs/）")


PDF_OPTION = click.option("--pdf", is_flag=True,
                          help="同时用 LibreOffice 把报告打印为 PDF，放在报告旁边（未安装 LibreOffice 时给出提示）。")


def print_pdf(workbook: Path) -> None:
    """The report's PDF beside it; LibreOffice missing is said, not an error (the report is there)."""
    from excel_balance.report.pdf import NOT_FOUND, NoLibreOffice, write_pdfs

    try:
        (result,) = write_pdfs([workbook]).values()
    except NoLibreOffice:
        say(NOT_FOUND, err=True)
        return
    if not isinstance(result, Path):
        raise Failure(str(result))
    say(f"已生成 PDF：{result}")


_REPORT_KINDS = {"refused": "无法使用", "duplicate": "未使用（重复）", "skipped": "跳过"}


@cli.command("report")
@PLAN_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="输出的报告，默认当前文件夹中的 <区县>义务教育优质均衡推进情况_<最新年度>.xlsx（不改动 outputs/）。")
@click.option("--year", type=click.IntRange(2000, 2100), help="文件中没有写明统计年度时使用的年度。")
@PDF_OPTION
@GENERATED_AT
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def report_command(plan_file, output, year, pdf, generated_at, files) -> None:
    """测算一个区县各年度的统计报表，生成推进情况报告工作簿。给出文件夹时使用其中的全部工作簿。

    \b
    示例：
      excel-balance report inputs/2019年统计.xlsx inputs/2022年统计.xlsx
      excel-balance report inputs
      excel-balance report --pdf inputs
    """
    from excel_balance.census.folder import read_inputs
    from excel_balance.evaluate import evaluate
    from excel_balance.evaluate.figures import gaps_count, gaps_text, off_plan_cells, off_plan_text
    from excel_balance.report.notes_sheet import CorrectionNotes
    from excel_balance.report.workbook import report_name, write_report
    from excel_balance.workflow import correction_notes, sample_warning

    plan = load_plan_or_fail(plan_file)
    reading = read_inputs(workbook_paths(files), plan, year)
    failed = False
    for outcome in reading.files:
        if outcome.kind in _REPORT_KINDS:
            failed |= outcome.kind == "refused"
            reason = f"（{outcome.reason}）" if outcome.reason else ""
            say(f"{outcome.path.name}：{_REPORT_KINDS[outcome.kind]}{reason}", err=True)
            echo_problems([] if outcome.kind == "skipped" else outcome.problems)
    if reading.refused_corrections:
        failed = True
        say(f"修正表中有 {len(reading.refused_corrections)} 条修正无法应用：", err=True)
        echo_problems(reading.refused_corrections)
    if failed:
        raise SystemExit(1)
    if len(reading.groups) > 1:
        names = sorted({f.census.district or plan.district for g in reading.groups.values() for f in g.values()})
        raise Failure(f"这些文件属于多个区县（{'、'.join(names)}）：请用 excel-balance run 按区县分别生成报告")
    if not reading.groups:
        raise Failure("给出的文件中没有可用的统计报表")
    if reading.mixes_sample:
        say(sample_warning(reading), err=True)
    (by_year,) = reading.groups.values()
    evaluation = evaluate(plan, [by_year[y].census for y in sorted(by_year)])
    # The current folder, not outputs/: that is `run`'s, with its unit workbooks and manifest.
    target = output or Path(report_name(evaluation))
    try:
        write_report(evaluation, target, generated_at, CorrectionNotes(tuple(correction_notes(reading.applied, by_year))))
    except OSError as exc:
        raise Failure(f"无法写入 {target}：{exc.strerror or exc}（文件是否正在 Excel 中打开？）")
    verdict = evaluation.verdict
    say(f"已生成报告：{target}")
    if pdf:
        print_pdf(target)
    say(f"{verdict.year}年对照年度目标：{off_plan_text(len(off_plan_cells(evaluation)))}")
    say(f"{verdict.year}年总体判断（对照国家标准）："
        + ("已达到优质均衡标准" if verdict.certified else gaps_text(gaps_count(evaluation))))


@cli.command("run")
@click.option("--inputs", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"), show_default=True,
              help="放统计报表的文件夹。")
@click.option("--outputs", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"), show_default=True,
              help="输出报告的文件夹。")
@click.option("--plan", "plan_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="规划文件，可多次给出（按区县匹配；只给一个时用于所有区县）。")
@click.option("--force", is_flag=True, help="输入未变化也重新生成报告。")
@click.option("--year", type=click.IntRange(2000, 2100), help="文件中没有写明统计年度时使用的年度。")
@click.option("--district", help="只处理这个区县（全市、全省的报表中挑出本区县）。")
@click.option("--wait", type=click.FloatRange(0), default=10.0, show_default=True,
              help="另一次运行正在写同一输出文件夹时，最多等待的秒数。")
@click.option("--open", "open_outputs", is_flag=True, help="本次生成了报告时，完成后打开输出文件夹。")
@PDF_OPTION
@GENERATED_AT
def run_command(inputs: Path, outputs: Path, plan_files, force: bool, year, district, wait: float,
                open_outputs: bool, pdf: bool, generated_at) -> None:
    """读取 inputs/ 中的统计报表，按区县生成推进情况报告到 outputs/。

    无法使用的文件会列出原因，其余文件照常处理；有文件无法使用时退出码为 1。

    \b
    示例：
      excel-balance run
      excel-balance run --inputs D:\\优质均衡\\报表 --outputs D:\\优质均衡\\报告
      excel-balance run --open
      excel-balance run --pdf
    """
    from excel_balance.workflow import OutputsUnwritable, RunBusy, run, summary_lines

    for plan_file in plan_files:
        load_plan_or_fail(plan_file)
    if not inputs.is_dir():
        raise Failure(f"找不到输入文件夹 {inputs}：请新建该文件夹并放入统计报表，或用 --inputs 指定")
    try:
        report = run(inputs, outputs, plan_files, force=force, year=year, lock_wait=wait, progress=_progress,
                     district=district, generated_at=generated_at, pdf=pdf)
    except RunBusy:
        raise Failure(f"另一个 excel-balance 正在处理 {outputs}，请等它完成后再运行")
    except OutputsUnwritable as exc:
        raise Failure(str(exc))
    for line in summary_lines(report):
        say(line)
    if open_outputs and any(d.written for d in report.districts):
        open_folder(outputs)
    if report.failed:
        raise SystemExit(1)


@cli.command("watch")
@click.option("--inputs", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"), show_default=True,
              help="监视的文件夹。")
@click.option("--outputs", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"), show_default=True,
              help="输出报告的文件夹。")
@click.option("--plan", "plan_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path), help="规划文件，可多次给出。")
@click.option("--interval", type=click.FloatRange(0.2), default=2.0, show_default=True, help="检查间隔（秒）。")
def watch_command(inputs: Path, outputs: Path, plan_files, interval: float) -> None:
    """持续监视 inputs/，有统计报表放入或改动时自动生成报告。按 Ctrl-C 停止。

    \b
    示例：
      excel-balance watch
    """
    import time

    from excel_balance import incident
    from excel_balance.watch import Watcher
    from excel_balance.workflow import OutputsUnwritable, RunBusy, run, summary_lines

    if not inputs.is_dir():
        raise Failure(f"找不到输入文件夹 {inputs}：请新建该文件夹，或用 --inputs 指定")

    def run_once() -> list[str]:
        try:
            return summary_lines(run(inputs, outputs, plan_files))
        except RunBusy:
            return [f"另一个 excel-balance 正在处理 {outputs}，稍后再试"]
        except OutputsUnwritable as exc:
            return [str(exc)]
        except Exception:  # watching goes on: the next change gets another try
            return [f"  错误：{incident.record(outputs, str(inputs))}"]

    watcher = Watcher(inputs, run_once)
    say(f"开始监视 {inputs}（每 {interval:g} 秒检查一次，按 Ctrl-C 停止）")
    try:
        while True:
            try:
                lines = watcher.poll()
            except Exception:  # inputs/ unreadable for a moment, say: keep watching
                lines = [f"  错误：{incident.record(outputs, str(inputs))}"]
            for line in lines:
                say(line)
            time.sleep(interval)
    except KeyboardInterrupt:
        say("已停止监视")


@cli.command("email")
@click.option("--init", is_flag=True, help="生成邮件设置示例 excel-balance.yaml（列出规划中的全部责任单位）。")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("excel-balance.yaml"), show_default=True, help="邮件设置文件。")
@click.option("--year", type=click.IntRange(2000, 2100), help="发送哪一年的情况，默认最新年度。")
@click.option("--district", help="区县（输入中有多个区县时必须指定）。")
@click.option("--units", help="只发给这些单位，用逗号分隔，例如 区财政局,区教委。")
@click.option("--dry-run", "dry_run", type=click.Path(file_okay=False, path_type=Path),
              help="不发送，把每封邮件写成 .eml 文件放进该文件夹，便于预览。")
@click.option("--resend", is_flag=True, help="已发送过的也重新发送。")
@click.option("--allow-sample", is_flag=True, help="允许发送标为“示例数据（虚构）”的数据。")
@click.option("--inputs", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"), show_default=True)
@click.option("--outputs", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"), show_default=True)
@click.option("--wait", type=click.FloatRange(0), default=60.0, show_default=True,
              help="另一次运行正在处理同一输出文件夹或正在发送时，最多等待的秒数。")
@PLAN_OPTION
def email_command(init, settings_file, year, district, units, dry_run, resend, allow_sample, inputs, outputs, wait,
                  plan_file) -> None:
    """把各责任单位负责的指标推进情况和工作簿发给该单位。

    密码（授权码）只从环境变量 EXCEL_BALANCE_SMTP_PASSWORD 读取。已发送的邮件记录在 outputs/ 中，
    重复运行不会重发；发出后未收到服务器答复的，下次运行以相同的 Message-ID 重发；数据变化后
    再发的邮件标题带【更新】。

    \b
    示例：
      excel-balance email --init
      excel-balance email --dry-run 邮件预览
      excel-balance email --units 区财政局，区教委
    """
    import os

    from excel_balance.delivery.review import review
    from excel_balance.delivery.send import LEDGER, DeliveryRefused, deliver
    from excel_balance.delivery.settings import PASSWORD_ENV, example_settings, load_settings
    from excel_balance.problems import errors
    from excel_balance.workflow import RunBusy, email_evaluation

    if init:
        plan = own_plan_or_fail(plan_file)
        if settings_file.exists():
            raise Failure(f"{settings_file} 已存在，未覆盖：如需重新生成请先改名或删除")
        settings_file.write_text(example_settings(plan), encoding="utf-8")
        say(f"已生成邮件设置示例：{settings_file}（请填写服务器和各单位的收件人）")
        return
    password = os.environ.get(PASSWORD_ENV)
    try:
        settings = load_settings(settings_file)
        problems = review(settings, sending=dry_run is None, password=password)
        if errors(problems):
            raise ProblemsError(problems)
    except ProblemsError as exc:
        click.echo(f"邮件设置 {settings_file} 有问题，未发送：", err=True)
        echo_problems(exc.problems)
        raise SystemExit(1)
    chosen = [u.strip() for u in units.replace("，", ",").split(",") if u.strip()] if units else None
    try:
        evaluation, folder = email_evaluation(inputs, outputs, plan_file, district, year, lock_wait=wait)
        report = deliver(evaluation, settings, folder, outputs / LEDGER, units=chosen, dry_run=dry_run, resend=resend,
                         allow_sample=allow_sample, password=password, cafile=settings.cafile or None,
                         lock_wait=wait)
    except RunBusy:
        raise Failure(f"另一个 excel-balance 正在处理 {outputs}，请等它完成后再运行")
    except (DeliveryRefused, LookupError) as exc:
        raise Failure(str(exc))
    except OSError as exc:
        raise Failure(f"无法写入 {exc.filename or dry_run or outputs}：{exc.strerror or exc}")
    for line in report.lines():
        say(line)
    if not report.ok:
        raise SystemExit(1)


def _progress(items, label: str):
    """A progress bar on the terminal when there is a lot to do: many files, a large one, or
    many districts."""
    items = list(items)
    large = any(isinstance(i, Path) and i.stat().st_size >= 5_000_000 for i in items)
    if len(items) <= 5 and not large:
        return items
    return _bar(items, label)


def _bar(items, label: str):
    def name(item):
        return console_text(item.name if isinstance(item, Path) else getattr(item, "district", ""))

    with click.progressbar(items, label=label, file=sys.stderr, item_show_func=lambda i: name(i) if i else "") as bar:
        yield from bar


def main() -> None:
    # Windows consoles may not show every character: replace rather than crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        code = cli(prog_name="excel-balance", standalone_mode=False)  # errors handled below, not by click
    except ProblemsError as exc:
        echo_problems(exc.problems)
        raise SystemExit(1)
    except click.exceptions.Abort:
        say("已中止", err=True)
        raise SystemExit(1)
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code)
    except Exception:  # a bug: the traceback goes to the log, staff get one line
        from excel_balance import incident

        say(f"错误：{incident.record(Path('outputs'), ' '.join(sys.argv[1:]) or 'excel-balance')}", err=True)
        raise SystemExit(2)
    raise SystemExit(code if isinstance(code, int) else 0)
