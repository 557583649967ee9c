"""run.py BOUSSOLE [--pg] [PATTERN…] — runs every tests/http/test_*.py against the real binary
(path as argument or in $BOUSSOLE_BIN), prints one line per check, the failures with their details,
then as its LAST line "http: N passed, M failed". Each test and each subTest counts once. The
servers started are stopped at the end: a server that died, hung or printed a sanitizer report is
a failure too. PATTERNs (parts of test names) run only the matching tests.

--pg (or BOUSSOLE_TEST_DB=postgresql): the tests' databases are on a PostgreSQL cluster started
for this run in a temporary folder (pg.py) and stopped at the end; the same tests run, and those
about SQLite itself are skipped there, listed but counted neither passed nor failed.
Must not hold tests itself."""

import os
import shutil
import sys
import time
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TestResult):
    """Counts tests and subtests, prints a line for each, keeps failure details for the end."""

    def __init__(self):
        super().__init__()
        self.passed = 0
        self.failed = 0
        self.details = []
        self._had_subtests = set()

    @staticmethod
    def _name(test):
        if not hasattr(test, "_testMethodName"):
            return str(test)  # an error in setUpModule / setUpClass
        return "%s.%s" % (test.__class__.__module__, test._testMethodName)

    def _fail(self, name, err):
        self.failed += 1
        print("FAIL  %s" % name, flush=True)
        self.details.append((name, "".join(traceback.format_exception(*err, limit=6))))

    def addSuccess(self, test):
        if id(test) in self._had_subtests:
            return  # the subtests were counted one by one
        self.passed += 1
        print("ok    %s" % self._name(test), flush=True)

    def addFailure(self, test, err):
        self._fail(self._name(test), err)

    def addError(self, test, err):
        self._fail(self._name(test), err)

    sqlite_only = 0

    def addSkip(self, test, reason):
        if os.environ.get("BOUSSOLE_TEST_DB") == "postgresql" and reason.startswith("SQLite only"):
            # A check of SQLite itself (its file, WAL, backup) has nothing to check on
            # PostgreSQL: listed, not counted.
            self.sqlite_only += 1
            print("SKIP  %s: %s" % (self._name(test), reason), flush=True)
            return
        # A skipped check did not run: never a silent pass.
        self.failed += 1
        print("SKIP  %s: %s (counted as failed)" % (self._name(test), reason), flush=True)
        self.details.append((self._name(test), "skipped: %s" % reason))

    def addSubTest(self, test, subtest, err):
        self._had_subtests.add(id(test))
        name = "%s %s" % (self._name(test), subtest._subDescription())
        if err is None:
            self.passed += 1
            print("ok    %s" % name, flush=True)
        else:
            self._fail(name, err)

    def addExpectedFailure(self, test, err):
        self.passed += 1

    def addUnexpectedSuccess(self, test):
        self.failed += 1


def main():
    args = sys.argv[1:]
    if "--pg" in args:
        args.remove("--pg")
        os.environ["BOUSSOLE_TEST_DB"] = "postgresql"
    postgresql = os.environ.get("BOUSSOLE_TEST_DB", "").lower() in ("postgresql", "postgres", "pg")
    if postgresql:
        os.environ["BOUSSOLE_TEST_DB"] = "postgresql"
    if args:
        os.environ["BOUSSOLE_BIN"] = os.path.abspath(args[0])
    binary = os.environ.get("BOUSSOLE_BIN")
    if not binary or not os.access(binary, os.X_OK):
        print("http: no boussole binary (give its path as argument or in BOUSSOLE_BIN)")
        print("http: 0 passed, 1 failed")
        return 1
    sys.path.insert(0, HERE)
    import common  # after BOUSSOLE_BIN and BOUSSOLE_TEST_DB are set

    started = time.time()
    if postgresql:
        try:
            cluster = common.pg.cluster()
            print("http: on PostgreSQL (%s, socket in %s)" % (cluster.bin, cluster.dir),
                  flush=True)
        except Exception as e:
            print("http: PostgreSQL could not start: %s" % e)
            print("http: 0 passed, 1 failed")
            return 1
    try:
        result = run_suite(common, args[1:], postgresql)
    finally:
        stop_servers_and_cluster(common, locals().get("result"), postgresql)
    return report(common, result, started)


def run_suite(common, only, postgresql):
    """Runs the tests: those matching the patterns in only, else all (on either engine)."""
    loader = unittest.TestLoader()
    if only:
        loader.testNamePatterns = ["*%s*" % p for p in only]
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = CountingResult()
    suite.run(result)
    return result


def stop_servers_and_cluster(common, result, postgresql):
    if result is None:
        result = CountingResult()  # interrupted: still stop everything

    # Stop every server and check it ended well (no crash, no sanitizer report, no hang).
    for server in list(common.SERVERS):
        problems = server.stop()
        if problems:
            result.failed += 1
            print("FAIL  server %s stopped cleanly" % server.name, flush=True)
            result.details.append(("server " + server.name, "\n".join(problems)))
        else:
            result.passed += 1
            print("ok    server %s stopped cleanly" % server.name, flush=True)
    if postgresql:
        cluster = common.pg._cluster
        if cluster is not None and result.failed:
            # The cluster's folder goes away: its log stays with the kept temporary files.
            try:
                shutil.copy(cluster.log_path, os.path.join(common.TMP, "postgresql.log"))
            except OSError:
                pass
        common.pg.stop_cluster()


def report(common, result, started):
    if result.sqlite_only:
        print("http: %d checks of SQLite itself skipped on PostgreSQL" % result.sqlite_only)
    for name, detail in result.details:
        print("\n==== %s\n%s" % (name, detail.rstrip()))
    if result.failed == 0:
        shutil.rmtree(common.TMP, ignore_errors=True)
    else:
        print("\nhttp: temporary files kept in %s" % common.TMP)
    print("http: finished in %.1f s" % (time.time() - started))
    print("http: %d passed, %d failed" % (result.passed, result.failed), flush=True)
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
