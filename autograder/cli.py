"""The `course` command. Imports are lazy so that start-up stays fast (no TensorFlow here)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = """\
examples:
  course check lessons/00_tensors/00_tensors.ipynb
  course submit my_00_tensors.ipynb --student ada
  course collect canvas-bulk-download.zip
  course grade submitted/ada/00_tensors/00_tensors.ipynb --json
  course grade --all
  course report --csv grades.csv
  course demo
"""


def _course_dir(args):
    from .coursedir import CourseDir, default_root
    return CourseDir(Path(args.course_dir).resolve() if args.course_dir else default_root())


def cmd_release(args) -> int:
    from . import release
    if args.check:
        result = release.check()
        for line in result.stale + result.leaks:
            print(f"  {line}")
        print("release is in sync and leaks nothing" if result.ok else
              "release check FAILED: run `course release` and look at the lines above")
        return 0 if result.ok else 1
    release.generate(release.RELEASE, f"sqlite:///{release.REPO / 'gradebook.db'}", args.lesson or None)
    found = release.leaks()
    if found:
        print("the release would leak solution code or hidden tests:\n  " + "\n  ".join(found))
        return 1
    return 0


def cmd_check(args) -> int:
    from .notebooks import NotebookError
    from .public_checks import run_checks
    from .untrusted import terminal
    try:
        lesson, outcomes, seconds = run_checks(Path(args.notebook))
    except NotebookError as e:
        print(f"error: {terminal(e)}", file=sys.stderr)
        return 2
    marks = {"passed": "PASS", "failed": "FAIL", "not attempted": "TODO"}
    print(f"{lesson}: public checks")
    for o in outcomes:
        message = f"\n        {terminal(o.message)}" if o.message else ""
        print(f"  {marks[o.status]}  {o.exercise}{message}")
    passed = sum(o.status == "passed" for o in outcomes)
    print(f"{passed} of {len(outcomes)} exercises pass their public checks ({seconds:.2f} s). "
          "These are quick checks on fixed inputs; the autograder also tests random ones.")
    return 0 if passed == len(outcomes) else 1


def cmd_submit(args) -> int:
    from .coursedir import CourseError
    from .notebooks import NotebookError, read_cells, recognize_lesson
    from .untrusted import terminal
    course = _course_dir(args)
    try:
        lesson = recognize_lesson(read_cells(args.notebook))
        if lesson is None:
            raise NotebookError(f"{args.notebook} is not a notebook of this course")
        before = course.submitted(args.student, lesson.id).exists()
        dest = course.submit(Path(args.notebook), args.student, lesson.id)
    except (NotebookError, CourseError) as e:
        print(f"error: {terminal(e)}", file=sys.stderr)
        return 2
    print(f"submitted {lesson.id} for {args.student}: {dest}")
    if before:
        kept = course.archived(args.student, lesson.id)
        print(f"your earlier submission is kept in {kept[-1]} ({len(kept)} earlier in total); "
              "the latest one is graded")
    return 0


def cmd_collect(args) -> int:
    from .collect import PATTERNS, CollectError, collect, describe
    from .untrusted import terminal
    course = _course_dir(args)
    try:
        result = collect(course, Path(args.archive), args.pattern, args.lesson, args.timezone)
    except CollectError as e:
        print(f"error: {terminal(e)}", file=sys.stderr)
        return 2
    print(f"collected {args.archive} into {course.root / 'submitted'}:")
    for line in describe(result):
        print(line)
    new = len({(p.student, p.lesson) for p in result.placed if p.where in ("submitted", "replaced")})
    print(f"{new} new submission(s) to grade (`course grade --all`), "
          f"{sum(p.where == 'archive' for p in result.placed)} older upload(s) kept in archive/, "
          f"{sum(p.where == 'unchanged' for p in result.placed)} collected before")
    if result.problems:
        print(f"could not place {len(result.problems)} file(s):", file=sys.stderr)
        for name, why in result.problems:
            print(f"  {terminal(name)}: {terminal(why)}", file=sys.stderr)
        if any("file-name pattern" in why for _, why in result.problems):
            print(f"  (file-name patterns: {', '.join(PATTERNS)}, or --pattern REGEX with a "
                  "(?P<student_id>...) group; see README)", file=sys.stderr)
        return 1
    return 0


def cmd_grade(args) -> int:
    if args.all == bool(args.notebooks):
        print("error: give notebook paths or --all (not both)", file=sys.stderr)
        return 2
    if (args.student or args.exercise) and not args.all:
        print("error: --student and --exercise choose among the collected submissions: use them with --all",
              file=sys.stderr)
        return 2
    if args.jobs is None:
        from .batch import default_jobs
        args.jobs = default_jobs()
    if args.all:
        return _grade_all(args)
    import shutil
    import tempfile
    from .batch import GradingJob, Pool, grade_notebooks
    from .grading.engine import new_seed
    from .grading.report import Report
    seed = new_seed() if args.seed is None else args.seed
    pool = Pool(min(args.jobs, len(args.notebooks)), args.cluster)
    share = tempfile.mkdtemp(prefix="course-truth-")  # Keras values shared by the workers
    jobs = [GradingJob(p, seed, share=share) for p in args.notebooks]
    reports: dict[int, Report] = {}
    printed, unisolated = 0, 0
    try:  # reports arrive in any order; they are printed in the order given
        for i, report in grade_notebooks(jobs, pool):
            reports[i] = report
            unisolated += reports[i].sandbox == "limits only"
            while printed in reports:
                report = reports.pop(printed)
                if args.json:
                    print(report.to_json(), flush=True)
                else:
                    _print_report(report)
                printed += 1
    finally:
        pool.close()
        from .grading import ground_truth
        ground_truth.shutdown()
        shutil.rmtree(share, ignore_errors=True)
    _warn_unisolated(unisolated)
    return 0


def _warn_unisolated(count: int) -> None:
    if count:
        print(f"warning: {count} submission(s) ran without namespace isolation (the grader has neither root "
              "nor user namespaces): their code could read this user's files and use the network. "
              "Scores are still decided outside the kernel; see SECURITY.md.", file=sys.stderr)


def _print_report(report) -> None:
    from .untrusted import terminal
    print(f"{terminal(report.notebook)}: lesson {report.lesson or '?'}  "
          f"{report.score:g} / {report.max_score:g}  (seed {report.seed})")
    for err in report.errors:
        print(f"  ! {terminal(err)}")
    for name, r in report.exercises.items():
        print(f"  {'PASS' if r.passed else 'FAIL'}  {name}: {r.score:g}/{r.max_score:g}")
        if not r.passed:
            print("        " + terminal(r.feedback).replace("\n", "\n        "))


def _grade_all(args) -> int:
    from .batch import grade_all
    from .console import print_class_table
    course = _course_dir(args)
    if not (course.root / "submitted").is_dir():
        print(f"no submissions under {course.root / 'submitted'} (students use `course submit`)")
        return 0
    from .batch import outdated_points
    from .lessons import LESSONS
    exercises = set(args.exercise or [])
    unknown = exercises - {ex.name for lesson in LESSONS.values() for ex in lesson.exercises()}
    if unknown:
        print(f"error: no exercise {', '.join(sorted(unknown))} in this course", file=sys.stderr)
        return 2
    results = grade_all(course, seed=args.seed, jobs=args.jobs, cluster=args.cluster,
                        regrade=args.regrade, students=set(args.student or []) or None,
                        exercises=exercises or None)
    if not results:
        print("nothing new to grade (every submission is graded at its latest version; "
              "--regrade grades them all again)")
    else:
        what = f" (exercise {', '.join(sorted(exercises))})" if exercises and args.regrade else ""
        print(f"graded {len(results)} submissions{what}; gradebook: {course.gradebook_name}; "
              f"feedback: {course.root / 'feedback'}")
        _warn_unisolated(sum(g.report.sandbox == "limits only" for g in results))
    for (lesson_id, name), n in sorted(outdated_points(course).items()):
        print(f"warning: {n} submission(s) of {lesson_id} were graded when {name} had other points; "
              f"`course grade --all --regrade --exercise {name}` updates them", file=sys.stderr)
    print_class_table(course)
    _print_insights_link(course)
    return 0


def _print_insights_link(course) -> None:
    from .insights import PAGE
    page = course.root / "insights" / PAGE
    if page.exists():
        print(f"class insights (score distributions, frequent mistakes): {page} "
              "(`course report --html` rewrites it)")


def cmd_report(args) -> int:
    from .console import print_class_table
    from .gradebook import write_csv
    course = _course_dir(args)
    if not course.has_gradebook():
        print(f"error: no gradebook at {course.gradebook_name}; run `course grade --all` first",
              file=sys.stderr)
        return 2
    if args.csv:
        n = write_csv(course.db_url, Path(args.csv))
        print(f"wrote {n} students to {args.csv}")
    else:
        print_class_table(course)
        if args.html:
            from .insights import write_page
            page = write_page(course, Path(args.html) if args.html != "-" else course.root / "insights")
            print(f"class insights (score distributions, frequent mistakes): {page}")
        else:
            _print_insights_link(course)
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo
    from .lessons import get
    try:
        lesson_ids = [get(x).id for x in args.lesson or []]
    except KeyError as e:
        print(f"error: {e.args[0]}", file=sys.stderr)
        return 2
    return run_demo(Path(args.dir).resolve(), seed=args.seed, lesson_ids=lesson_ids or None)


def cmd_data(args) -> int:
    import course_data
    if args.action == "setup":
        problems = course_data.setup(Path(args.mirror) if args.mirror else None)
        for p in problems:
            print(f"warning: {p}", file=sys.stderr)
        if not problems:
            print(f"datasets ready in {course_data.keras_datasets_dir()}")
        return 1 if problems and args.strict else 0
    for name, entry in course_data.MANIFEST.items():
        folder = course_data.keras_datasets_dir() / entry["cache_dir"]
        ok = all((folder / f).exists() and course_data.sha256(folder / f) == h
                 for f, h in entry["files"].items())
        print(f"{name:20s} {'ok' if ok else 'MISSING'}  {folder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description="Deep-learning fundamentals course tools.",
                                epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("release", help="regenerate lessons/ from solutions/ with nbgrader")
    s.add_argument("--check", action="store_true",
                   help="fail if lessons/ is stale or would leak solution code or hidden tests")
    s.add_argument("--lesson", action="append", help="only this lesson (repeatable)")
    s.set_defaults(func=cmd_release)

    s = sub.add_parser("check", help="run a lesson's public checks on your notebook")
    s.add_argument("notebook")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("submit", help="put a copy of a notebook into the submission area")
    s.add_argument("notebook")
    s.add_argument("--student", required=True, help="your student id")
    s.add_argument("--course-dir", help="instructor's course directory (default: $COURSE_DIR or the repo)")
    s.set_defaults(func=cmd_submit)

    s = sub.add_parser("collect", help="import a learning-management system's bulk download (zip) into submitted/")
    s.add_argument("archive", metavar="ARCHIVE.zip")
    s.add_argument("--pattern", default="auto", metavar="NAME|REGEX",
                   help="how file names give the student id: canvas, moodle, blackboard, or a regular "
                        "expression with a (?P<student_id>...) group (optional (?P<timestamp>...)); "
                        "default auto: the first of the three that matches")
    s.add_argument("--lesson", metavar="NN_name",
                   help="only accept notebooks of this lesson (the lesson is recognised from each notebook)")
    s.add_argument("--timezone", default="UTC", metavar="ZONE",
                   help="time zone of the zip's file times and of timestamps in file names (default UTC; "
                        "zips with extended timestamps carry UTC times)")
    s.add_argument("--course-dir", help="instructor's course directory (default: $COURSE_DIR or the repo)")
    s.set_defaults(func=cmd_collect)

    s = sub.add_parser("grade", help="grade notebooks (one JSON report per line with --json) or --all")
    s.add_argument("notebooks", nargs="*", metavar="PATH.ipynb")
    s.add_argument("--json", action="store_true", help="one JSON object per notebook, in order")
    s.add_argument("--all", action="store_true",
                   help="grade every collected submission into the gradebook and write feedback")
    s.add_argument("--seed", type=int, help="seed of the hidden tests' random inputs (recorded)")
    s.add_argument("--jobs", type=int, help="submissions graded at once (default: the number of cores)")
    s.add_argument("--cluster", metavar="ADDRESS",
                   help="grade on a Dask cluster: a scheduler address, or 'local' for a local one")
    s.add_argument("--regrade", action="store_true",
                   help="with --all: grade every submission again (default: only new or changed ones)")
    s.add_argument("--student", action="append", metavar="ID",
                   help="with --all: only this student's submissions (repeatable)")
    s.add_argument("--exercise", action="append", metavar="NAME",
                   help="with --all: only the lesson of this exercise (repeatable); with --regrade, "
                        "graded submissions get only this exercise regraded, with their earlier seed")
    s.add_argument("--course-dir", help="course directory for --all (default: $COURSE_DIR or the repo)")
    s.set_defaults(func=cmd_grade)

    s = sub.add_parser("report", help="the gradebook as a table per student and lesson")
    s.add_argument("--csv", metavar="FILE", help="write CSV for a learning-management system")
    s.add_argument("--html", metavar="DIR", nargs="?", const="-",
                   help="also write the class insights page DIR/index.html (default DIR: insights/ "
                        "in the course directory): score distributions and the most frequent mistakes")
    s.add_argument("--course-dir")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("demo", help="grade a demo class end to end into a fresh gradebook")
    s.add_argument("--dir", default="demo-class", help="where to build the demo course (default: demo-class)")
    s.add_argument("--seed", type=int, default=2026, help="seed of the hidden tests (default: 2026)")
    s.add_argument("--lesson", action="append", metavar="NN_name",
                   help="only this lesson (repeatable; default: every lesson)")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("data", help="datasets: copy the offline mirror into the Keras cache, or show status")
    s.add_argument("action", choices=["setup", "status"])
    s.add_argument("--mirror", help="offline mirror folder (default: ../shared/data or $COURSE_DATA_MIRROR)")
    s.add_argument("--strict", action="store_true", help="exit 1 when a dataset is missing")
    s.set_defaults(func=cmd_data)
    return p


def main(argv: list[str] | None = None) -> int:
    from .coursedir import CourseError
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as e:  # a setting the instructor can fix; the message says which
        from .untrusted import terminal
        print(f"error: {terminal(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; everything graded so far is in the gradebook", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
