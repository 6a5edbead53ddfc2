"""Runs the Python tests of models/ and prints their outcomes as JSON.

Usage, from models/: /usr/bin/python3 run_tests_json.py

The usual unittest report goes to stderr. The last line of stdout is one
JSON object: {"discovered": N, "outcomes": {"module.Class.test": "ok" | ...}}.
A setUpClass or import that fails is listed under its own id as "error".
tests/unit/model/pythonModelTests.test.ts runs this under jest.
"""

import json
import sys
import unittest


class OutcomeResult(unittest.TextTestResult):
    """A text result that also records each test's outcome by id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes[test.id()] = "ok"

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes[test.id()] = "fail"

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes[test.id()] = "error"

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes[test.id()] = "skipped"

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.outcomes[test.id()] = "expected failure"

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.outcomes[test.id()] = "unexpected success"


def main():
    suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=OutcomeResult)
    result = runner.run(suite)
    print(json.dumps({"discovered": suite.countTestCases(), "outcomes": result.outcomes}))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
