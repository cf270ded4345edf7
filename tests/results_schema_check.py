"""Validates result files against docs/results.schema.json with a real JSON Schema validator.

Usage: results_schema_check.py SCHEMA VALID_FILE...
Every VALID_FILE must validate; then each is edited in the ways a broken file was once accepted (a median
that is a string, a removed stats block, an unknown statistic, ...) and every edited copy must
be rejected. Exit 0 when all hold, 1 otherwise, 77 (skipped) without python3-jsonschema.
"""
import copy
import json
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("skipped: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)


def first_timed(document):
    for record in document["results"]:
        if record["repetitions"]:
            return record
    raise SystemExit("a valid file with at least one timed record is needed")


def set_key(path, value):
    def edit(document):
        target = document
        for key in path[:-1]:
            target = first_timed(target) if key == "RECORD" else target[key]
        target[path[-1]] = value
    return edit


def remove_key(path):
    def edit(document):
        target = document
        for key in path[:-1]:
            target = first_timed(target) if key == "RECORD" else target[key]
        del target[path[-1]]
    return edit


MUTATIONS = {
    "median_s is a string": set_key(["RECORD", "median_s"], "hello"),
    "tflops is a string": set_key(["RECORD", "tflops"], "fast"),
    "stats removed": remove_key(["RECORD", "stats"]),
    "unknown statistic stats.p99_s": set_key(["RECORD", "stats", "p99_s"], 1e-3),
    "unknown record key": set_key(["RECORD", "extra"], 1),
    "unknown top-level key": set_key(["extra"], 1),
    "outcome not a name": set_key(["RECORD", "outcome"], "great"),
    "negative flops": set_key(["RECORD", "flops"], -5),
    "samples_s is a string": set_key(["RECORD", "repetitions", 0, "samples_s"], "fast"),
    "stop_reason not a name": set_key(["RECORD", "repetitions", 0, "stop_reason"], "bored"),
    "noisy without its fields": set_key(["RECORD", "noisy"], {"cv": 1}),
    "meta.tool": set_key(["meta", "tool"], "nvbench"),
    "schema_version of another major": set_key(["schema_version"], "2.0.0"),
}


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    failures = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            document = json.load(f)
        errors = list(validator.iter_errors(document))
        if errors:
            failures += 1
            print(f"FAIL {path}: does not validate: {errors[0].json_path}: {errors[0].message}")
            continue
        print(f"ok   {path} validates")
        for name, edit in MUTATIONS.items():
            mutated = copy.deepcopy(document)
            edit(mutated)
            if validator.is_valid(mutated):
                failures += 1
                print(f"FAIL {path} with {name}: still validates")
            else:
                print(f"ok   {path} with {name}: rejected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
