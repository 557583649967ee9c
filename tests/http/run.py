"""run.py BOUSSOLE — runs every tests/http/test_*.py against the real binary (path as argument or
in $BOUSSOLE_BIN), prints one line per check, the failures with their details, then as its LAST
line "http: N passed, M failed". Each test and each subTest counts once. The servers started are
stopped at the end: a server that died, hung or printed a sanitizer report is a failure too.
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

    def addSkip(self, test, reason):
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
    if len(sys.argv) > 1:
        os.environ["BOUSSOLE_BIN"] = os.path.abspath(sys.argv[1])
    binary = os.environ.get("BOUSSOLE_BIN")
    if not binary or not os.access(binary, os.X_OK):
        print("http: no boussole binary (give its path as argument or in BOUSSOLE_BIN)")
        print("http: 0 passed, 1 failed")
        return 1
    sys.path.insert(0, HERE)
    import common  # after BOUSSOLE_BIN is set

    only = sys.argv[2:]  # optional: test name patterns, for working on one file
    loader = unittest.TestLoader()
    if only:
        loader.testNamePatterns = ["*%s*" % p for p in only]
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = CountingResult()
    started = time.time()
    suite.run(result)

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
