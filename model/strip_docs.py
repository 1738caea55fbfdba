#!/usr/bin/env python3
"""Produce the project's Cognito model from the official Smithy JSON AST model.

Keeps every fact (shapes, members, targets, traits, constraints, enum values,
errors, endpoint rule set and endpoint tests, example input/output data) and
drops all documentation prose:

* every `smithy.api#documentation` trait, on shapes and on members;
* the `title` and `documentation` strings of `smithy.api#examples` entries
  (the title is required by Smithy, so it becomes a neutral "<Operation> example <n>");
* the `documentation` strings inside `smithy.rules#endpointRuleSet`
  and `smithy.rules#endpointTests`.

The project's own short operation docs, `model/operation-docs.json` (written for this project,
not taken from AWS), are then set as the documentation of the operations they name.

A fourth argument names a JSON file of shapes to mark `@sensitive` where the official model
does not (shape id -> why): secrets the generated Debug must redact all the same. Every shape
it names must exist and be a string; one already sensitive is refused (the list is stale).

Usage: python3 model/strip_docs.py [SOURCE] [DEST] [OWN_DOCS] [SENSITIVE]
Defaults: ../shared/models/cognito-identity-provider.json -> model/cognito-identity-provider.json
with model/operation-docs.json (relative to the repository root); OWN_DOCS `-` sets none;
no SENSITIVE file by default.
The Cognito Identity model (identity pools) is made with
  python3 model/strip_docs.py ../shared/models/aws/cognito-identity.json \
      model/cognito-identity.json model/cognito-identity-operation-docs.json \
      model/cognito-identity-sensitive.json
Standard library only.
"""
import json
import os
import sys

DOC = "smithy.api#documentation"
EXAMPLES = "smithy.api#examples"
RULES = "smithy.rules#endpointRuleSet"
TESTS = "smithy.rules#endpointTests"


def drop_key_everywhere(value, key):
    """Remove `key` from every object nested in `value`."""
    if isinstance(value, dict):
        return {k: drop_key_everywhere(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [drop_key_everywhere(v, key) for v in value]
    return value


def strip_traits(traits, shape_name):
    out = {}
    for name, value in traits.items():
        if name == DOC:
            continue
        if name == EXAMPLES:
            examples = []
            for i, ex in enumerate(value, start=1):
                ex = {k: v for k, v in ex.items() if k not in ("title", "documentation")}
                ex = {"title": f"{shape_name} example {i}", **ex}
                examples.append(ex)
            value = examples
        elif name in (RULES, TESTS):
            value = drop_key_everywhere(value, "documentation")
        out[name] = value
    return out


def strip_shape(shape_id, shape):
    name = shape_id.split("#", 1)[-1]
    shape = dict(shape)
    if "traits" in shape:
        shape["traits"] = strip_traits(shape["traits"], name)
        if not shape["traits"]:
            del shape["traits"]
    if "members" in shape:
        members = {}
        for mname, member in shape["members"].items():
            member = dict(member)
            if "traits" in member:
                member["traits"] = strip_traits(member["traits"], f"{name}.{mname}")
                if not member["traits"]:
                    del member["traits"]
            members[mname] = member
        shape["members"] = members
    return shape


SENSITIVE = "smithy.api#sensitive"


def mark_sensitive(model, path):
    """Adds `@sensitive` to the string shapes `path` names (shape id -> reason)."""
    with open(path, encoding="utf-8") as f:
        wanted = json.load(f)
    for sid, reason in wanted.items():
        shape = model["shapes"].get(sid)
        if shape is None or shape.get("type") != "string":
            sys.exit(f"{path} names `{sid}`, which is not a string shape of the model")
        if not isinstance(reason, str) or not reason.strip():
            sys.exit(f"{path}: `{sid}` needs a reason")
        traits = shape.setdefault("traits", {})
        if SENSITIVE in traits:
            sys.exit(f"{path} names `{sid}`, which the model already marks sensitive")
        traits[SENSITIVE] = {}


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = argv[1] if len(argv) > 1 else os.path.join(root, "..", "shared", "models", "cognito-identity-provider.json")
    dst = argv[2] if len(argv) > 2 else os.path.join(root, "model", "cognito-identity-provider.json")
    with open(src, encoding="utf-8") as f:
        model = json.load(f)
    model["shapes"] = {sid: strip_shape(sid, s) for sid, s in model["shapes"].items()}
    text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if DOC in text or '"documentation"' in text:
        sys.exit("documentation text left in the output")
    own_docs_path = argv[3] if len(argv) > 3 else os.path.join(root, "model", "operation-docs.json")
    own_docs = {}
    if own_docs_path != "-":
        with open(own_docs_path, encoding="utf-8") as f:
            own_docs = json.load(f)
    for op, doc in own_docs.items():
        matches = [sid for sid, s in model["shapes"].items() if s.get("type") == "operation" and sid.split("#", 1)[-1] == op]
        if len(matches) != 1:
            sys.exit(f"operation-docs.json names `{op}`, which is not an operation of the model")
        model["shapes"][matches[0]].setdefault("traits", {})[DOC] = doc
    if len(argv) > 4:
        mark_sensitive(model, argv[4])
    text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    ops = sum(1 for s in model["shapes"].values() if s.get("type") == "operation")
    print(f"wrote {dst}: {len(model['shapes'])} shapes, {ops} operations", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
