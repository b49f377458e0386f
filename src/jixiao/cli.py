"""Command line: ``jixiao check``, ``jixiao rules``, ``jixiao template``, ``jixiao profile``.

Exit codes: 0 no errors; 1 errors found (or a file could not be read; with ``--fail-on warning`` also
warnings); 2 the run could not proceed. Every failure the user can cause ends in one Chinese line, never
a traceback. The report goes to standard output; status lines (files written, folders created) go to
standard error, so ``--json -`` and ``--output-format json|csv`` give machine-readable output alone.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from jixiao import __version__
from jixiao.errors import JixiaoError
from jixiao.signals import sigterm_as_interrupt

if TYPE_CHECKING:  # the heavy modules are imported when a command needs them
    from jixiao.check.batch import Options
    from jixiao.check.discover import Inputs
    from jixiao.config import Settings
    from jixiao.findings import Report
    from jixiao.outputs import Outputs
    from jixiao.pair import TargetIndex
    from jixiao.pipeline import OutputPlan, Written
    from jixiao.profile import Profile

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
DETAIL_LIMIT = 10
_ENGLISH = (("usage: ", "用法："), ("positional arguments", "位置参数"), ("options", "选项"),
            ("show this help message and exit", "显示本帮助并退出"),
            ("show program's version number and exit", "显示版本号并退出"))


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: help texts, usage, and bad arguments in one line with exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"

    def format_usage(self) -> str:
        return _chinese(super().format_usage())

    def format_help(self) -> str:
        return _chinese(super().format_help())

    def error(self, message: str) -> NoReturn:
        message = (message.replace("the following arguments are required", "缺少参数")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("expected one argument", "需要一个参数")
                   .replace("argument ", "参数 ").replace("choose from", "可选"))
        self.exit(EXIT_FAILED, f"jixiao: 参数错误：{message}（用 jixiao -h 查看用法）\n")


def _chinese(text: str) -> str:
    for english, chinese in _ENGLISH:
        text = text.replace(english, chinese)
    return text


def _codes(text: str | None) -> list[str]:
    return [c.strip().upper() for c in (text or "").split(",") if c.strip()]


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"--year 应为四位年份（如 2025），不是“{text}”")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数，不是“{text}”")
    return int(text)


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"--seed 应为非负整数（汇总“复核抽查”表中写着的种子），不是“{text}”")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"--port 应为 1–65535 的整数，不是“{text}”")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    parser = _Parser(prog="jixiao", description="检查并按财预〔2020〕10号重算项目支出绩效自评表。")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="命令",
                                metavar="{check,serve,rules,template,profile}")

    check = sub.add_parser("check", help="检查工作簿（文件或文件夹）",
                           description="检查工作簿；文件夹内递归查找。设置可写在被检查文件夹的 jixiao.toml 或 "
                                       "pyproject.toml 的 [tool.jixiao] 中，命令行优先。")
    check.add_argument("paths", nargs="+", metavar="PATH", help="工作簿文件或文件夹（文件夹内递归查找工作簿）")
    check.add_argument("--json", metavar="FILE", help="同时写出 JSON 报告（- 表示输出到屏幕）")
    check.add_argument("--summary", metavar="FILE", help="写出汇总工作簿（.xlsx），供财政局汇总、筛选")
    check.add_argument("--annotate", metavar="DIR",
                       help="在此文件夹写出带批注的副本（原名.检查结果.xlsx）：问题单元格标色加批注，首页列出全部问题")
    check.add_argument("--annotate-all", action="store_true", help="没有问题的工作簿也写出副本（注明“未发现问题”）")
    check.add_argument("--output-format", choices=("console", "json", "csv"), default="console",
                       help="屏幕输出的格式：console 表格（默认）、json、csv（每个问题一行）")
    check.add_argument("--profile", metavar="FILE", help="评分口径文件（TOML），可只写要改的设置；默认全国口径")
    check.add_argument("--select", metavar="CODES", help="只运行这些规则，按代码前缀，逗号分隔，如 I,T001")
    check.add_argument("--ignore", metavar="CODES", help="不运行这些规则，按代码前缀，逗号分隔")
    check.add_argument("--fail-on", choices=("error", "warning"),
                       help="退出码为 1 的条件：error 有错误或无法读取（默认）；warning 另加未接受的警告")
    check.add_argument("--exit-zero", action="store_true", help="有问题也以退出码 0 结束（无法运行时仍为 2）")
    check.add_argument("-j", "--jobs", type=_positive, metavar="N",
                       help="并行进程数；默认：每 200 个文件 1 个（至少 1 个），不超过 CPU 核数")
    check.add_argument("--year", type=_year, metavar="YYYY", help="本次收集的年度（四位数字）：年度不符的表报错")
    check.add_argument("--targets", action="append", metavar="PATH",
                       help="批复的绩效目标表（文件或文件夹；.xlsx/.xls/.ods/.csv）：逐项对照自评表的指标值、指标、权重和资金，"
                            "并按批复目标重算得分；可写多次")
    check.add_argument("--sample", metavar="SHARE",
                       help="抽取复核样本，写在汇总工作簿的“复核抽查”表中：百分比（如 20%%）或张数（如 15）；"
                            "等级有变化的表全部列入，其余按复核优先分加权抽取")
    check.add_argument("--seed", type=_seed, metavar="N",
                       help="抽样的随机种子（汇总的“复核抽查”“说明”表中写着上次的种子）：同一文件夹、同一种子抽中的表相同")
    check.add_argument("--details", action="store_true", help="文件较多时也逐个打印问题明细")
    check.add_argument("-q", "--quiet", action="store_true", help="不显示进度和明细，只打印一行结论")
    check.add_argument("--log", metavar="FILE",
                       help="某个文件的某个步骤出错时，把详细的出错信息记在这个文件里（默认：输出文件旁的"
                            " jixiao-出错记录.log；没有输出文件时在系统临时文件夹）")

    serve = sub.add_parser("serve", help="启动自查网页：各单位用浏览器上传自评表检查（财政局在内网运行）",
                           description="启动自查网页（uvicorn）。单位在浏览器里上传自评表，得到与 jixiao check 相同的"
                                       "检查结果和带批注的副本；加 --inbox 后还可以提交给财政局。部署见 docs/serve.md。")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机能访问；内网部署见 docs/serve.md）")
    serve.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）")
    serve.add_argument("--profile", metavar="FILE", help="评分口径文件（TOML）；默认全国口径")
    serve.add_argument("--year", type=_year, metavar="YYYY", help="本次收集的年度：年度不符的表报错")
    serve.add_argument("--data", metavar="DIR", help="存放检查结果的文件夹（默认：临时文件夹，停止时删除）")
    serve.add_argument("--inbox", metavar="DIR", help="开通提交：单位提交的原文件存入此文件夹（另有 SQLite 索引）")
    serve.add_argument("--officer-token-file", metavar="FILE",
                       help="经办人页面的口令文件（也可用环境变量 JIXIAO_OFFICER_TOKEN；都不给时启动时生成一个并打印）")
    serve.add_argument("-j", "--jobs", type=_positive, metavar="N", help="检查进程数（默认：CPU 核数）")
    serve.add_argument("--queue", type=_positive, default=32, metavar="N",
                       help="检查进程都忙时最多排队的上传数（默认 32），再多的请求得到“服务器正忙”")
    serve.add_argument("--max-upload", type=_positive, default=20, metavar="MB", help="上传文件的上限（默认 20 MB）")
    serve.add_argument("--keep", type=_positive, default=60, metavar="MINUTES",
                       help="检查结果保留的分钟数（默认 60），到期删除")
    serve.add_argument("--targets", action="append", metavar="PATH",
                       help="批复的绩效目标表（文件或文件夹）：每份上传的自评表都与之对照，同 jixiao check --targets")
    serve.add_argument("--file-seconds", type=_positive, metavar="N",
                       help="每个文件的处理时间上限（秒，默认与批量检查相同：60）")
    serve.add_argument("--worker-memory", type=_positive, metavar="MB",
                       help="每个检查进程可增加的内存上限（MB，默认与批量检查相同：2048）")

    rules = sub.add_parser("rules", help="列出全部检查规则，或说明一条规则",
                           description="不带参数列出全部规则；给出代码（如 I005）时打印它的依据、反例、正例和读取的评分口径设置。")
    rules.add_argument("code", nargs="?", metavar="CODE", help="规则代码，如 I005")
    rules.add_argument("--markdown", action="store_true", help="输出 Markdown（即 docs/rules.md）")

    sub.add_parser("profile", help="打印内置的全国评分口径（复制后只改需要的设置，用 --profile 指定）")

    template = sub.add_parser("template", help="生成空白自评表（jixiao 标准模板，或官方单表格式）")
    template.add_argument("output", nargs="?", default="项目支出绩效自评表.xlsx", help="输出文件名")
    template.add_argument("--layout", choices=("template", "official"), default="template",
                          help="template：jixiao 标准模板（四张工作表）；official：财预〔2020〕10号官方单表格式")
    template.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    template.add_argument("--page-address", metavar="URL",
                          help="财政局自查网页的网址（jixiao serve 的地址）：写进“填表说明”，请单位填好后先上传检查")
    return parser


def status(text: str) -> None:
    """A status line (not part of the report): to standard error."""
    print(text, file=sys.stderr)


def _known_codes(codes: Sequence[str]) -> None:
    """--select/--ignore name rule codes or prefixes; one that matches no rule is a mistake, not “通过”."""
    from jixiao.rules.registry import load_rules

    known = list(load_rules())
    unknown = [c for c in codes if not any(k.startswith(c) for k in known)]
    if unknown:
        prefixes = " ".join(sorted({k[0] for k in known}))
        raise JixiaoError(f"未知的规则代码或前缀：{'、'.join(unknown)}；规则代码以 {prefixes} 开头"
                          "（jixiao rules 列出全部规则）")


def _check(args: argparse.Namespace) -> int:
    from jixiao import config
    from jixiao.check.batch import Options, discard_spares, prestart
    from jixiao.profile import load_profile

    if args.quiet and args.details:
        raise JixiaoError("-q（只打印结论）与 --details（逐个打印明细）不能同时使用")
    sample = _sample_asked(args)
    settings = config.find(args.paths)
    select = _codes(args.select) if args.select is not None else list(settings.select)
    ignore = _codes(args.ignore) if args.ignore is not None else list(settings.ignore)
    _known_codes(select + ignore)
    profile_path = args.profile if args.profile is not None else settings.profile
    profile = load_profile(profile_path)
    year = args.year if args.year is not None else settings.year
    targets = _targets(args.targets, settings, profile)
    options = Options(select=tuple(select), ignore=tuple(ignore), year=year, fixed_profile=profile_path is not None,
                      targets=targets, sample=sample, seed=args.seed)
    if len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths):  # likely a batch: a worker starts now
        prestart(profile, options)
    try:
        return _check_files(args, settings, profile, options)
    finally:
        discard_spares()


def _sample_asked(args: argparse.Namespace) -> str | None:
    """--sample as it will be written back (“20%”, “15”); --seed without --sample is a mistake."""
    from jixiao.check.stake import parse_asked

    if args.sample is None:
        if args.seed is not None:
            raise JixiaoError("--seed 只与 --sample 一起使用（重复某一次抽样）")
        return None
    return parse_asked(args.sample)


def _targets(given: list[str] | None, settings: Settings, profile: Profile) -> TargetIndex | None:
    """The approved tables of --targets (or the settings file's ``targets``), read once, here."""
    from jixiao.parse.targets import targets_for_run

    return targets_for_run([Path(p) for p in given] if given else ([settings.targets] if settings.targets else []),
                           profile)


def _check_files(args: argparse.Namespace, settings: Settings, profile: Profile, options: Options) -> int:
    from jixiao.check.batch import default_jobs, usable_cores
    from jixiao.check.discover import find_inputs
    from jixiao.outputs import check_outputs

    inputs = find_inputs(args.paths)
    if inputs.absent:
        raise JixiaoError(f"找不到文件或文件夹：{', '.join(str(a) for a in inputs.absent)}")
    files = inputs.files
    outputs = check_outputs(args.json, args.summary, args.annotate, files, args.paths, set(inputs.skipped))
    if not files:
        raise JixiaoError(f"在 {', '.join(args.paths)} 中没有找到工作簿（.xlsx/.xlsm/.xls/.xlsb/.ods）")
    for folder in outputs.created:
        status(f"已创建文件夹：{folder}")
    jobs = args.jobs or default_jobs(len(files))
    if jobs > usable_cores():
        status(f"--jobs {jobs} 超过本机可用的 CPU 核数，按 {usable_cores()} 个进程运行")
        jobs = usable_cores()
    options = replace(options, jobs=jobs)
    machine = args.output_format != "console" or args.json == "-"
    return _run(args, inputs, outputs, options, profile, settings, machine)


def _run(args: argparse.Namespace, inputs: Inputs, outputs: Outputs, options: Options, profile: Profile,
         settings: Settings, machine: bool) -> int:
    from jixiao.incidents import default_log_path
    from jixiao.pipeline import OutputPlan, log_incidents, run, write_outputs
    from jixiao.report.base import preload
    from jixiao.report.progress import progress_bar

    files = inputs.files
    # The output files' reporters (JSON, the summary's xlsxwriter) load while the first worker starts up. Not
    # the annotated copies' openpyxl: it brings numpy, which every worker forked after it would inherit.
    preload(name for name, path in outputs.files().items() if path is not None)
    checked = [0]
    plan = OutputPlan(annotate=outputs.annotate, annotate_all=args.annotate_all, summary=outputs.summary,
                      json=outputs.json, log=Path(args.log) if args.log else
                      default_log_path(outputs.summary, outputs.json, outputs.annotate))
    try:
        with progress_bar(len(files), enabled=not args.quiet and not machine) as advance:

            def count(n: int) -> None:
                checked[0] += n
                advance(n)

            report = run(files, profile, options, options.targets, settings, progress=count, skipped=inputs.skipped,
                         superseded=inputs.superseded, submissions=inputs.submissions)
        # The files first, then the screen: what the screen (and JSON or CSV on standard output) says includes
        # every step that failed while the files were written.
        written = write_outputs(report, plan)
        _print(args, report)
        logged = log_incidents(report, plan.log)
    except KeyboardInterrupt:
        progress = f"已检查 {checked[0]}/{len(files)} 个文件" if checked[0] < len(files) else "检查已完成"
        raise JixiaoError(f"已中断：{progress}，未写完的输出文件没有留下（不会留下不完整的文件）") from None
    _said(args, report, written, plan, logged)
    if written.failed and not report.failures:
        raise JixiaoError("；".join(written.failed))  # a target that cannot be written at all (a full disk)
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if report.fails(args.fail_on or settings.fail_on or "error") else EXIT_OK


def _said(args: argparse.Namespace, report: Report, written: Written, plan: OutputPlan, logged: int) -> None:
    """The status lines after the outputs (to standard error): what was written, and the steps that could
    not be done with where their details were logged."""
    if plan.annotate is not None and not args.quiet:
        copies = len(report.copies.written) if report.copies else 0
        failed = sum(1 for _, item in report.incidents if item.stage == "annotate")
        if copies or failed:
            status(f"已写出 {copies} 份带批注的副本：{plan.annotate}" + (f"（{failed} 份未能写出，见下）" if failed else ""))
        else:
            status("没有需要标注的工作簿，未写出副本（加 --annotate-all 也为没有问题的工作簿写出副本）")
    if not args.quiet:
        for path in written.files:
            status(f"已写出：{path}")
        if report.superseded:
            status(f"收件箱中较早的 {len(report.superseded)} 个版本未检查（每份提交只检查最新的版本）")
    troubles = [(table.short_name, item) for table, item in report.incidents] + [("本次运行", f) for f in report.failures]
    if troubles:
        status(f"有 {len(troubles)} 个步骤未能完成（其余结果照常给出）：")
        for name, item in troubles[:20]:
            status(f"  {name}：{item.message}")
        if len(troubles) > 20:
            status(f"  ……共 {len(troubles)} 项，见汇总工作簿“未完成的步骤”或 JSON 报告")
        if logged:
            status(f"详细的出错信息已写入：{report.log}（请将出错的文件和这份记录一并反馈给 jixiao 维护者）")


def _print(args: argparse.Namespace, report: Report) -> None:
    from jixiao.report.base import attempt_part, get_reporter

    if args.json == "-" or args.output_format == "json":
        get_reporter("json").write(report, None)
    elif args.output_format == "csv":
        get_reporter("csv").write(report, None)
    elif args.quiet:
        from jixiao.report.base import totals_text

        print(totals_text(report))
    else:
        if args.details or len(report.workbooks) <= DETAIL_LIMIT:
            get_reporter("console").write(report, None)
        if len(report.workbooks) > 1:
            failed = attempt_part(report, "console", "屏幕上的检查结果一览", lambda: get_reporter("overview").write(report, None))
            if failed is not None:
                print(f"（{failed.message}）")
        if len(report.workbooks) > DETAIL_LIMIT and not args.details:
            print("（文件较多，未逐个打印问题明细：见 --summary 汇总表，或加 --details）")


def _rules(args: argparse.Namespace) -> int:
    from jixiao.rules.docs import print_rule, print_rules, rules_markdown

    if args.code:
        print_rule(args.code.strip().upper())
    elif args.markdown:
        sys.stdout.write(rules_markdown())
    else:
        print_rules()
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.exists() and not args.force:
        raise JixiaoError(f"{out} 已存在，未覆盖（确要覆盖请加 --force）")
    if out.is_dir():
        raise JixiaoError(f"{out} 是一个文件夹，请给出文件名")
    if args.layout == "official":
        from jixiao.template.official import write_official

        print(f"已生成官方格式自评表：{write_official(out, page=args.page_address)}")
        return EXIT_OK
    from jixiao.template.build import write_workbook

    print(f"已生成模板：{write_workbook(out, page=args.page_address)}")
    return EXIT_OK


def _profile(args: argparse.Namespace) -> int:
    from importlib import resources

    sys.stdout.write(resources.files("jixiao").joinpath("profiles/national.toml").read_text("utf-8"))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from jixiao.check.batch import usable_cores
    from jixiao.serve import ServeOptions, serve

    return serve(ServeOptions(
        host=args.host, port=args.port, profile=args.profile, year=args.year,
        data=Path(args.data) if args.data else None, inbox=Path(args.inbox) if args.inbox else None,
        officer_token_file=Path(args.officer_token_file) if args.officer_token_file else None,
        jobs=args.jobs or usable_cores(), waiting=args.queue, max_mb=args.max_upload, keep_minutes=args.keep,
        file_seconds=args.file_seconds, worker_memory_mb=args.worker_memory,
        targets=tuple(Path(p) for p in args.targets or ())))


COMMANDS = {"check": _check, "serve": _serve, "rules": _rules, "template": _template, "profile": _profile}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jixiao`` console script."""
    args = build_parser().parse_args(argv)
    try:
        with sigterm_as_interrupt():  # SIGTERM (timeout, CI, service managers) ends a run like Ctrl-C
            return COMMANDS[args.command](args)
    except JixiaoError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("jixiao: 已中断，未写出任何不完整的输出文件", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        where = exc.filename or ""
        print(f"jixiao: 无法写出文件 {where}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def command() -> NoReturn:
    """The ``jixiao`` command and ``python -m jixiao``: :func:`main` in a process of its own.

    jixiao never synthesises data, but when hypothesis happens to be installed pandera loads it for its
    data-synthesis strategies on the first validation (~45 ms, a tenth of checking one workbook). In the
    command's own process it is declared absent, so pandera takes its documented no-hypothesis path.
    Code that imports :func:`main` (tests, other programs) is not affected.
    """
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    # Importing pandas and pandera allocates hundreds of thousands of objects, and none of them are garbage:
    # with the default thresholds the collector scans them again and again (~25 ms of a 0.35 s start-up).
    # A run makes few reference cycles; collecting every 100,000 allocations instead of 700 is plenty.
    gc.set_threshold(100_000, 50, 100)
    code = main()
    # Nothing is left to do: every output file is written, closed and renamed into place, the workers are
    # ended. Python's own tear-down of pandas, numpy and pandera would add ~80 ms to a single check (15 ms
    # to a batch), so the process leaves once what it printed is flushed.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (jixiao … | head): nothing to flush to
            stream.flush()
    os._exit(code)
