"""The ``segkit`` command.

Each sub-command parses its arguments and calls one function of the package.
A :class:`~segkit.errors.SegkitError` (bad data, bad params, bad paths) prints
a readable message and exits with code 2; nothing is written in that case.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from segkit.errors import SegkitError

EXIT_USER_ERROR = 2


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from segkit.data.io import write_table
    from segkit.data.synth import generate_bank

    frame = generate_bank(n_customers=args.customers, n_branches=args.branches, seed=args.seed)
    write_table(frame, args.out)
    print(f"wrote {len(frame):,} customers in {frame['branch_id'].nunique()} branches to {args.out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from segkit.config import load_params
    from segkit.data.io import load_customers

    params = load_params(args.params)
    data = args.data or params.data.path
    if data is None:
        print(f"{args.params}: params are valid (no data given)")
        return 0
    table = load_customers(data, params.data.mapping)
    print(f"{data}: {len(table):,} customers, {table['branch_id'].nunique()} branches: valid")
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from segkit.config import load_params
    from segkit.pipeline import score

    params = load_params(args.params)
    result = score(params, data=args.data, out=args.out, engine=args.engine, scheduler=args.scheduler)
    print(result.summary())
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from segkit.report.batch import report

    outcome = report(
        scored=args.scored,
        out=args.out,
        branches=args.branches,
        workers=args.workers,
        scheduler=args.scheduler,
    )
    print(outcome.summary())
    return 0 if outcome.ok else 1


def _cmd_run(args: argparse.Namespace) -> int:
    from segkit.config import load_params
    from segkit.pipeline import run

    params = load_params(args.params)
    outcome = run(params, data=args.data, reports=args.reports, workers=args.workers, engine=args.engine)
    print(outcome.summary())
    return 0 if outcome.ok else 1


def _cmd_audit(args: argparse.Namespace) -> int:
    from segkit.report.audit import audit

    outcome = audit(args.run_dir, execute=not args.hashes_only)
    print(outcome.summary())
    return 0 if outcome.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``segkit`` command."""
    parser = argparse.ArgumentParser(prog="segkit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo-data", help="write a seeded synthetic bank")
    demo.add_argument("--out", type=Path, required=True, help="output .csv or .parquet")
    demo.add_argument("--customers", type=int, default=200_000)
    demo.add_argument("--branches", type=int, default=20)
    demo.add_argument("--seed", type=int, default=20260930)
    demo.set_defaults(handler=_cmd_demo_data)

    validate = commands.add_parser("validate", help="check params and data; exit 2 listing every problem")
    validate.add_argument("--params", type=Path, required=True)
    validate.add_argument("--data", type=Path)
    validate.set_defaults(handler=_cmd_validate)

    score = commands.add_parser("score", help="score the whole bank once")
    score.add_argument("--params", type=Path, required=True)
    score.add_argument("--data", type=Path)
    score.add_argument("--out", type=Path, required=True, help="new folder for the scored table and models")
    score.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    score.add_argument("--scheduler", help="address of a running Dask scheduler (with --engine dask)")
    score.set_defaults(handler=_cmd_score)

    report = commands.add_parser("report", help="execute one report per branch from a scored folder")
    report.add_argument("--scored", type=Path, required=True)
    report.add_argument("--out", type=Path, required=True, help="new run folder")
    report.add_argument("--branches", nargs="+", help="only these branch ids")
    report.add_argument("--workers", type=int, help="parallel notebooks (default: number of cores)")
    report.add_argument("--scheduler", help="execute notebooks on this Dask scheduler's workers")
    report.set_defaults(handler=_cmd_report)

    run = commands.add_parser("run", help="the main job: validate, score, report")
    run.add_argument("--params", type=Path, required=True)
    run.add_argument("--data", type=Path)
    run.add_argument("--reports", type=Path, default=Path("reports"), help="root of run folders")
    run.add_argument("--workers", type=int)
    run.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    run.set_defaults(handler=_cmd_run)

    audit = commands.add_parser("audit", help="check a run's hashes and re-execute its notebooks")
    audit.add_argument("run_dir", type=Path)
    audit.add_argument("--hashes-only", action="store_true", help="skip nbval re-execution")
    audit.set_defaults(handler=_cmd_audit)
    return parser


def _warnings_as_lines(command: str) -> None:
    """Print each warning once as ``segkit COMMAND: warning: message`` (no source line)."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        print(f"segkit {command}: warning: {message}", file=file or sys.stderr)

    warnings.showwarning = show
    warnings.simplefilter("default", UserWarning)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``segkit`` command and return its exit code."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        _warnings_as_lines(args.command)
        try:
            return args.handler(args)
        except SegkitError as exc:
            print(f"segkit {args.command}: error: {exc}", file=sys.stderr)
            return EXIT_USER_ERROR
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
