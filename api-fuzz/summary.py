"""Prints one line of figures from a Schemathesis JSON report; exit code 1 unless all are 0.

Only two checks run, so a failure is either a server error (`ServerError`) or the response not
matching the document (every other failure type)."""
import json
import sys

role, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as handle:
    report = json.load(handle)
groups = report.get("failures", [])
server_errors = sum(g["count"] for g in groups if g["type"] == "ServerError")
schema_violations = sum(g["count"] for g in groups if g["type"] != "ServerError")
errors = sum(e["count"] for e in report.get("errors", []))
print(
    f"Schemathesis as {role}: {report['test_cases']['generated']} test cases on "
    f"{report['operations']['tested']} operations, {server_errors} server errors, "
    f"{schema_violations} schema violations, {errors} errors"
)
for group in groups:
    print(f"  {group['type']}: {group['title']} ({group['count']}) in {', '.join(group['operations'])}")
sys.exit(1 if server_errors or schema_violations or errors or report["exit_code"] != 0 else 0)
