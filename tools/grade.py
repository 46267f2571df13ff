"""Autograde a class in parallel: ``python tools/grade.py ASSIGNMENT [--workers N]``.

nbgrader's ``autograde`` grades one student after another (its issue #174). Here the
students of ``submitted/`` are dealt out to N worker processes (default: the CPU count);
each worker gets a course directory of its own, in a temporary folder (the config, the
source and release folders, a copy of the gradebook, and its students' submissions), and
runs the real ``nbgrader autograde`` there. At the end every worker's results are merged
into the course's gradebook through nbgrader's Gradebook API (submission time, scores,
comments, late penalties, flags), and its ``autograded/<student>/`` folders are copied
back, so ``generate_feedback``, the formgrader and ``export`` work as after nbgrader's
own run. Run it in the course directory (where nbgrader_config.py is), or pass
``--course``. ``python tools/grade.py --due-dates`` enters the due dates of the config
(``c.ExerciseColumns.due_dates``) into the gradebook.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def nbgrader(course: Path, *args: str, threads: int | None = None) -> subprocess.CompletedProcess:
    """Run nbgrader in ``course``; ``threads``: the math libraries' threads in its kernels
    (one per worker: N workers on N cores, not N kernels fighting over every core)."""
    # nbgrader runs `alembic` (the gradebook's migrations) from PATH: this Python's scripts
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ.get("PATH", "")]))
    if threads is not None:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          capture_output=True, text=True, env=env)


def students_of(course: Path, assignment: str) -> list[str]:
    return sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}")
                  if p.is_dir())


def deal(students: list[str], workers: int) -> list[list[str]]:
    """Round-robin: worker i gets students i, i + N, ... (no worker left without one)."""
    shares = [students[i::workers] for i in range(min(workers, len(students)))]
    return [share for share in shares if share]


def worker_course(course: Path, assignment: str, students: list[str], root: Path) -> Path:
    """A course directory for one worker: shared parts linked, gradebook copied."""
    root.mkdir(parents=True)
    for name in ["nbgrader_config.py", "source", "release", "templates"]:
        if (course / name).exists():
            (root / name).symlink_to((course / name).resolve())
    shutil.copy2(course / "gradebook.db", root / "gradebook.db")
    for student in students:
        target = root / "submitted" / student / assignment
        target.parent.mkdir(parents=True)
        shutil.copytree(course / "submitted" / student / assignment, target)
    return root


def grade_share(course: Path, assignment: str, students: list[str], root: Path,
                extra: list[str], workers_running: int = 1) -> tuple[Path, str]:
    own = worker_course(course, assignment, students, root)
    threads = max(1, (os.cpu_count() or 1) // workers_running)
    done = nbgrader(own, "autograde", assignment, "--force", *extra, threads=threads)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader autograde failed for {students}:\n{done.stderr[-3000:]}")
    return own, done.stderr


def merge(course: Path, worker: Path, assignment: str, students: list[str]) -> None:
    """Copy the worker's results for ``students`` into the course's gradebook and folders."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{worker / 'gradebook.db'}") as source, \
            Gradebook(f"sqlite:///{course / 'gradebook.db'}") as target:
        for student in students:
            theirs = source.find_submission(assignment, student)
            person = source.find_student(student)
            target.update_or_create_student(student, first_name=person.first_name,
                                            last_name=person.last_name, email=person.email,
                                            lms_user_id=person.lms_user_id)
            ours = target.update_or_create_submission(assignment, student,
                                                      timestamp=theirs.timestamp)
            for notebook in theirs.notebooks:
                mine = target.find_submission_notebook(notebook.name, assignment, student)
                mine.flagged = notebook.flagged
                mine.late_submission_penalty = notebook.late_submission_penalty
                for grade in notebook.grades:
                    copy = target.find_grade(grade.name, notebook.name, assignment, student)
                    copy.auto_score, copy.manual_score = grade.auto_score, grade.manual_score
                    copy.extra_credit = grade.extra_credit
                    copy.needs_manual_grade = grade.needs_manual_grade
                for comment in notebook.comments:
                    copy = target.find_comment(comment.name, notebook.name, assignment, student)
                    copy.auto_comment = comment.auto_comment
                    copy.manual_comment = comment.manual_comment
            ours.timestamp = theirs.timestamp
            target.db.commit()
    for student in students:
        done = course / "autograded" / student / assignment
        if done.exists():
            shutil.rmtree(done)
        shutil.copytree(worker / "autograded" / student / assignment, done, symlinks=True)


def grade_class(course: Path, assignment: str, workers: int, extra=()) -> list[str]:
    """Autograde every submitted student of ``assignment``; return the students graded."""
    course = course.resolve()
    if not (course / "gradebook.db").exists():   # nbgrader creates it on its first command
        nbgrader(course, "db", "assignment", "list")
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:   # in this process:
        gradebook.update_or_create_assignment(assignment)   # no nbgrader start-up to wait for
    students = students_of(course, assignment)
    shares = deal(students, workers)
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(len(shares) or 1) as pool:
        futures = [pool.submit(grade_share, course, assignment, share,
                               Path(tmp) / f"worker-{i}", list(extra), len(shares))
                   for i, share in enumerate(shares)]
        for share, future in zip(shares, futures):
            worker, _ = future.result()
            merge(course, worker, assignment, share)
    return students


def enter_due_dates(course: Path) -> dict:
    """Enter the config's due dates (``c.ExerciseColumns.due_dates``) into the gradebook."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    dates = dict(config.ExerciseColumns.get("due_dates", {}))
    for assignment, date in dates.items():
        done = nbgrader(course, "db", "assignment", "add", assignment, f"--duedate={date}")
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader could not set {assignment}'s due date:\n{done.stderr}")
    return dates


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment", nargs="?", help="the assignment to autograde")
    parser.add_argument("--due-dates", action="store_true",
                        help="enter the config's due dates into the gradebook, then stop")
    parser.add_argument("--course", type=Path, default=Path.cwd(),
                        help="the course directory (default: here)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="parallel nbgrader processes (default: the CPU count)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    if not (args.course / "nbgrader_config.py").exists():
        parser.error(f"no nbgrader_config.py in {args.course}: pass the course directory")
    if args.due_dates:
        for assignment, date in enter_due_dates(args.course).items():
            print(f"{assignment}: due {date}")
        return 0
    if args.assignment is None:
        parser.error("name the assignment to autograde (or pass --due-dates)")
    graded = grade_class(args.course, args.assignment, args.workers)
    print(f"autograded {len(graded)} students of {args.assignment} with "
          f"{min(args.workers, len(graded))} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
