"""`python -m csc COMMAND`: fetch, tidy, value, measures, build, chapter, edition, atlas, releases. Errors are one line on
stderr."""
from __future__ import annotations

import argparse
import sys

from . import paths
from .errors import CscError


def cmd_fetch(args) -> int:
    from . import fetch, manifest

    sources = manifest.load()
    mirror = paths.mirror()
    if mirror is not None and not mirror.is_dir():
        raise CscError(f"CSC_DATA_MIRROR={mirror} is not a directory")
    outcomes = fetch.fetch_all(sources, mirror)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
        if outcome.action == "failed":
            print(f"csc fetch: error: {outcome.message}", file=sys.stderr)
    skipped = [o for o in outcomes if o.action == "skipped"]
    if skipped:
        print(f"csc fetch: note: {len(skipped)} hand-collected figure files have no public copy and come only from a "
              f"mirror ({', '.join(o.source.file for o in skipped)}); the book is built without them and says so "
              f"where their figures would be used", file=sys.stderr)
    strays = fetch.remove_strays(sources, paths.RAW) if paths.RAW.is_dir() else []
    for stray in strays:
        print(f"csc fetch: note: {stray} is not in the manifest (left in place)", file=sys.stderr)
    origin = f"mirror {mirror}" if mirror else "official URLs"
    print(f"csc fetch: {len(outcomes)} files from {origin}: "
          + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    return 1 if counts.get("failed") else 0


def cmd_tidy(args) -> int:
    from . import tidy

    result = tidy.build(args.tables or None, force=args.force)
    print("csc tidy: " + ", ".join(f"{t} {r}" for t, r in result.items()))
    return 0


def cmd_value(args) -> int:
    from . import query

    result = query.value(args.measure, area=args.area, period=args.period, vintage=args.vintage,
                         breakdown=args.breakdown or "")
    print(query.format_plain(result))
    return 0


def cmd_measures(args) -> int:
    from .catalogue import catalogue

    for m in catalogue().values():
        print(f"{m.name:<34} {m.unit:<15} {m.label}")
    return 0


def cmd_build(args) -> int:
    from . import build

    return build.main(pdf=not args.no_pdf, force=args.force, workers=args.workers, scheduler=args.scheduler)


def key_values(items: list[str] | None) -> dict[str, str]:
    """-p KEY=VALUE options as a dict."""
    return {key: value for key, _, value in (item.partition("=") for item in items or [])}


def cmd_chapter(args) -> int:
    from . import build

    params = {k: v for k, v in (("area", args.area), ("vintage", args.vintage)) if v} | key_values(args.param)
    code = build.run_for_area(args.name, params, out=args.out)
    print(f"for a readable book (HTML and PDF) of every chapter run for this area: python -m csc edition "
          f"--area \"{args.area or 'E92000001'}\"" + (f" --vintage {args.vintage}" if args.vintage else ""))
    return code


def cmd_edition(args) -> int:
    from . import edition

    return edition.main(args.area, vintage=args.vintage, params=key_values(args.param), pdf=not args.no_pdf,
                        force=args.force, out=args.out, workers=args.workers, scheduler=args.scheduler)


def executor_options(parser) -> None:
    parser.add_argument("--workers", type=int, help="notebooks run side by side (default: the machine's cores)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run notebooks on a Dask cluster (tcp://host:8786)")


def cmd_atlas(args) -> int:
    from . import atlas

    codes = [c.strip() for c in (args.areas or "").split(",") if c.strip()]
    return atlas.main(codes or None, workers=args.workers, scheduler=args.scheduler, force=args.force)


def cmd_releases(args) -> int:
    from . import manifest, releases

    pubs, notes = releases.check(manifest.load())
    for note in notes:
        print(f"csc releases: note: {note}", file=sys.stderr)
    print("\n".join(releases.report(pubs, notes)))
    return 1 if any(p.new for p in pubs) else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="csc", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="materialise data/raw/ from CSC_DATA_MIRROR or official URLs").set_defaults(
        func=cmd_fetch)
    t = sub.add_parser("tidy", help="build validated tidy tables in data/tidy/")
    t.add_argument("tables", nargs="*")
    t.add_argument("--force", action="store_true")
    t.set_defaults(func=cmd_tidy)
    v = sub.add_parser("value", help="print one published figure")
    v.add_argument("measure")
    v.add_argument("--area", default="E92000001")
    v.add_argument("--period", required=True)
    v.add_argument("--vintage", default="latest")
    v.add_argument("--breakdown", default="")
    v.set_defaults(func=cmd_value)
    sub.add_parser("measures", help="list the measure catalogue").set_defaults(func=cmd_measures)
    b = sub.add_parser("build", help="tidy, execute changed chapters, build HTML and PDF")
    b.add_argument("--no-pdf", action="store_true")
    b.add_argument("--force", action="store_true", help="re-execute every chapter")
    executor_options(b)
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("chapter", help="execute one chapter for another area or vintage")
    c.add_argument("name")
    c.add_argument("--area")
    c.add_argument("--vintage")
    c.add_argument("-p", "--param", action="append", help="KEY=VALUE, any other chapter parameter")
    c.add_argument("--out", help="output folder (default _build/areas/)")
    c.set_defaults(func=cmd_chapter)
    e = sub.add_parser("edition", help="the whole book (HTML and PDF) run for one area, in _build/editions/")
    e.add_argument("--area", required=True, help="GSS code, DfE 3-digit code or exact name")
    e.add_argument("--vintage", help="latest (default) or first")
    e.add_argument("-p", "--param", action="append", help="KEY=VALUE, any other chapter parameter")
    e.add_argument("--no-pdf", action="store_true")
    e.add_argument("--force", action="store_true", help="re-execute every chapter")
    e.add_argument("--out", help="output folder (default _build/editions/<GSS code>)")
    executor_options(e)
    e.set_defaults(func=cmd_edition)
    a = sub.add_parser("atlas", help="one page per current LA and region (area profiles) in _build/atlas/")
    a.add_argument("--areas", metavar="CODES", help="comma-separated GSS codes, DfE codes or names (default: all)")
    a.add_argument("--force", action="store_true", help="re-execute every page")
    executor_options(a)
    a.set_defaults(func=cmd_atlas)
    sub.add_parser("releases", help="ask the EES API for releases newer than the manifest's (exit 1: new ones, "
                                    "0: none, 2: could not ask)").set_defaults(func=cmd_releases)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CscError as exc:
        print(f"csc {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # permission denied, disk full...: what failed and where, in one line
        where = f": {exc.filename}" if exc.filename else ""
        print(f"csc {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # every step writes beside its output, so stopping loses nothing already done
        print(f"csc {args.command}: interrupted; what was already in place is intact", file=sys.stderr)
        return 130
