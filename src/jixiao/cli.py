"""Command line: ``jixiao check``, ``jixiao rules``, ``jixiao template``.

Exit codes: 0 no errors; 1 errors found (or a file could not be read); 2 the run could not proceed.
Every failure the user can cause ends in one Chinese line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from jixiao import __version__
from jixiao.errors import JixiaoError

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments in one Chinese line with exit code 2."""

    def error(self, message: str) -> NoReturn:
        message = (message.replace("the following arguments are required", "缺少参数")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("expected one argument", "需要一个参数"))
        self.exit(EXIT_FAILED, f"jixiao: 参数错误：{message}（用 jixiao -h 查看用法）\n")


def _codes(text: str | None) -> list[str]:
    return [c.strip().upper() for c in (text or "").split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    parser = _Parser(prog="jixiao", description="检查并按财预〔2020〕10号重算项目支出绩效自评表。")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="检查工作簿（文件或文件夹）")
    check.add_argument("paths", nargs="+", metavar="PATH", help="工作簿文件或文件夹（文件夹内递归查找工作簿）")
    check.add_argument("--json", metavar="FILE", help="同时写出 JSON 报告（- 表示输出到屏幕）")
    check.add_argument("--profile", metavar="FILE", help="评分口径文件（TOML），默认全国口径")
    check.add_argument("--select", metavar="CODES", help="只运行这些规则，按代码前缀，逗号分隔，如 I,T001")
    check.add_argument("--ignore", metavar="CODES", help="不运行这些规则，按代码前缀，逗号分隔")
    check.add_argument("--summary", metavar="FILE", help="写出汇总工作簿（.xlsx），供财政局汇总、筛选")
    check.add_argument("--annotate", metavar="DIR",
                       help="在此文件夹写出带批注的副本（原名.检查结果.xlsx）：问题单元格标色加批注，首页列出全部问题")
    check.add_argument("--annotate-all", action="store_true", help="没有问题的工作簿也写出副本（注明“未发现问题”）")
    check.add_argument("-j", "--jobs", type=int, metavar="N", help="并行进程数；默认：少于 1000 个文件用 1 个，更多时每 500 个文件 1 个，不超过 CPU 核数")
    check.add_argument("--year", type=int, metavar="YYYY", help="本次收集的年度：年度不符的表报错")
    check.add_argument("--details", action="store_true", help="文件较多时也逐个打印问题明细")
    check.add_argument("-q", "--quiet", action="store_true", help="不显示进度和明细，只打印一行结论")

    rules = sub.add_parser("rules", help="列出全部检查规则")
    rules.add_argument("--markdown", action="store_true", help="输出 Markdown（即 docs/rules.md）")

    sub.add_parser("profile", help="打印内置的全国评分口径（复制后修改，用 --profile 指定）")

    template = sub.add_parser("template", help="生成空白自评表（jixiao 标准模板，或官方单表格式）")
    template.add_argument("output", nargs="?", default="项目支出绩效自评表.xlsx", help="输出文件名")
    template.add_argument("--layout", choices=("template", "official"), default="template",
                          help="template：jixiao 标准模板（四张工作表）；official：财预〔2020〕10号官方单表格式")
    return parser


DETAIL_LIMIT = 10


def _known_codes(codes: list[str]) -> None:
    """--select/--ignore name rule codes or prefixes; one that matches no rule is a mistake, not “通过”."""
    from jixiao.rules.registry import load_rules

    known = list(load_rules())
    unknown = [c for c in codes if not any(k.startswith(c) for k in known)]
    if unknown:
        prefixes = " ".join(sorted({k[0] for k in known}))
        raise JixiaoError(f"未知的规则代码或前缀：{'、'.join(unknown)}；规则代码以 {prefixes} 开头"
                          "（jixiao rules 列出全部规则）")


def _outputs(args: argparse.Namespace, files: list[Path]) -> dict[str, Path | None]:
    """The output files asked for; refuses any that would overwrite an input workbook or each other.

    A summary jixiao wrote earlier into the folder being checked is not an input (it is skipped), so
    writing the new summary over it is allowed; it is taken out of ``files``.
    """
    from jixiao.parse.template import is_jixiao_summary

    outputs: dict[str, Path | None] = {
        "json": None if args.json in (None, "-") else Path(args.json),
        "summary": None if args.summary is None else Path(args.summary),
    }
    named = {Path(p).resolve() for p in args.paths}
    chosen = [p for p in outputs.values() if p is not None]
    for path in chosen:
        target = path.resolve()
        clash = [f for f in files if f.resolve() == target]
        if clash and (target in named or not is_jixiao_summary(target)):
            raise JixiaoError(f"拒绝写入：输出文件 {path} 是被检查的输入文件之一，请换一个文件名")
        for f in clash:
            files.remove(f)
        if path.is_dir():
            raise JixiaoError(f"拒绝写入：{path} 是一个文件夹")
    if len({p.resolve() for p in chosen}) < len(chosen):
        raise JixiaoError("拒绝写入：--json 与 --summary 不能是同一个文件")
    if outputs["summary"] is not None and outputs["summary"].suffix.lower() != ".xlsx":
        raise JixiaoError(f"汇总表 {outputs['summary']} 的扩展名应为 .xlsx")
    return outputs


def _check(args: argparse.Namespace) -> int:
    from jixiao.check.batch import Options, check_files, default_jobs
    from jixiao.check.discover import discover
    from jixiao.profile import load_profile
    from jixiao.report.base import get_reporter
    from jixiao.report.progress import progress_bar

    profile = load_profile(args.profile)
    _known_codes(_codes(args.select) + _codes(args.ignore))
    files, absent = discover(args.paths)
    if absent:
        raise JixiaoError(f"找不到文件或文件夹：{', '.join(str(a) for a in absent)}")
    if not files:
        raise JixiaoError(f"在 {', '.join(args.paths)} 中没有找到工作簿（.xlsx/.xlsm/.xls/.xlsb/.ods）")
    outputs = _outputs(args, files)
    if args.jobs is not None and args.jobs < 1:
        raise JixiaoError("--jobs 应为不小于 1 的整数")
    options = Options(jobs=args.jobs or default_jobs(len(files)), select=tuple(_codes(args.select)),
                      ignore=tuple(_codes(args.ignore)), year=args.year,
                      fixed_profile=args.profile is not None)
    done: list[str] = []
    checked = [0]
    try:
        with progress_bar(len(files), enabled=not args.quiet and args.json != "-") as advance:

            def count(n: int) -> None:
                checked[0] += n
                advance(n)

            report = check_files(files, profile, options, count)
        if args.json == "-":
            get_reporter("json").write(report, None)
        elif args.quiet:
            from jixiao.report.overview import totals_line

            print(totals_line(report).plain)
        else:
            if args.details or len(report.workbooks) <= DETAIL_LIMIT:
                get_reporter("console").write(report, None)
            if len(report.workbooks) > 1:
                get_reporter("overview").write(report, None)
            if len(report.workbooks) > DETAIL_LIMIT and not args.details:
                print("（文件较多，未逐个打印问题明细：见 --summary 汇总表，或加 --details）")
        if args.annotate is not None:
            report.meta["annotate_all"] = args.annotate_all
            report.meta["annotate_dir"] = args.annotate
            get_reporter("annotated").write(report, Path(args.annotate))
            if not args.quiet:
                copies = len(report.meta.get("annotated", []))
                print(f"已写出 {copies} 份带批注的副本：{args.annotate}" if copies else
                      "没有需要标注的工作簿，未写出副本（加 --annotate-all 也为没有问题的工作簿写出副本）")
        for name, path in outputs.items():
            if path is not None:
                get_reporter(name).write(report, path)
                done.append(str(path))
                if not args.quiet:
                    print(f"已写出：{path}")
    except KeyboardInterrupt:
        progress = f"已检查 {checked[0]}/{len(files)} 个文件" if checked[0] < len(files) else "检查已完成"
        written = f"已写出 {'、'.join(done)}，其余" if done else ""
        raise JixiaoError(f"已中断：{progress}，{written}未写出任何输出文件（不会留下不完整的文件）") from None
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from jixiao.rules.docs import print_rules, rules_markdown

    if args.markdown:
        sys.stdout.write(rules_markdown())
    else:
        print_rules()
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    if args.layout == "official":
        from jixiao.template.official import write_official

        out = write_official(args.output)
        print(f"已生成官方格式自评表：{out}")
        return EXIT_OK
    from jixiao.template.build import write_workbook

    out = write_workbook(args.output)
    print(f"已生成模板：{out}")
    return EXIT_OK


def _profile(args: argparse.Namespace) -> int:
    from importlib import resources

    sys.stdout.write(resources.files("jixiao").joinpath("profiles/national.toml").read_text("utf-8"))
    return EXIT_OK


COMMANDS = {"check": _check, "rules": _rules, "template": _template, "profile": _profile}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jixiao`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except JixiaoError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("jixiao: 已中断，未写出任何不完整的输出文件", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"jixiao: 无法写出文件：{exc.filename or ''} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
