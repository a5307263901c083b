#!/usr/bin/env python3
"""Checks recorded HTTP exchanges against Signet's OpenAPI document.

    openapi-conformance.py DOC EXCHANGES.jsonl
    openapi-conformance.py DOC --examples

Each line of EXCHANGES.jsonl is one recorded exchange:

    {"method": "GET", "path": "/v1/contracts/ctr_abc", "query": "limit=2",
     "status": 200, "headers": {"X-Request-Id": "req_1", ...},
     "content_type": "application/json", "body_b64": "eyJ..."}

(`query` may be a string, an object or absent; `content_type` may be null for a response
without a body.) Every response is validated with openapi-core's response validator: the
path and method must be in the document, the status must be documented for that
operation, and the content type, the body (its schema) and the required response headers
must match. Every failure is printed with its exchange; the exit status is 1 if there was
any, 0 otherwise, 2 for a usage error or an unreadable file.

`--examples` instead checks every example in the document (request bodies, responses,
components/examples) against the schema it illustrates, so the examples that docs/api.md
and schemathesis use cannot drift from the shapes.

Tests run it through `SignetTestSupport.OpenAPIConformance`; scripts/bootstrap.sh --test
installs openapi-core into .venv.
"""
import base64
import json
import sys
from urllib.parse import parse_qs

try:
    from openapi_core import Config, OpenAPI
    from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, PathsNotFound, ServerNotFound
    from openapi_core.testing import MockRequest, MockResponse
except ImportError as missing:
    print(f"openapi-conformance: {missing}; run scripts/bootstrap.sh --test (installs openapi-core into .venv)", file=sys.stderr)
    sys.exit(2)

HOST = "http://127.0.0.1"


def usage(message):
    print(f"openapi-conformance: {message}", file=sys.stderr)
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    sys.exit(2)


def describe(error):
    """The error and, for schema failures, each schema error with the instance path."""
    lines = [f"{type(error).__name__}: {error}"]
    seen = set()
    cause = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        for schema_error in getattr(cause, "schema_errors", None) or []:
            where = "/".join(str(p) for p in schema_error.absolute_path) or "(root)"
            lines.append(f"    at {where}: {schema_error.message}")
        # (KeyError: the header lookup's own exception under MissingRequiredHeader, noise.)
        if cause is not error and not getattr(cause, "schema_errors", None) and not isinstance(cause, KeyError):
            lines.append(f"  caused by {type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


def query_args(query):
    if query is None or query == "":
        return {}
    if isinstance(query, dict):
        return {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    return parse_qs(query.lstrip("?"), keep_blank_values=True)


def exchange_summary(exchange):
    body = base64.b64decode(exchange.get("body_b64") or "")
    shown = body[:400].decode("utf-8", "replace") if not body.startswith(b"%PDF") else f"<{len(body)} bytes of PDF>"
    return (f"{exchange.get('method')} {exchange.get('path')}"
            + (f"?{exchange['query']}" if isinstance(exchange.get("query"), str) and exchange["query"] else "")
            + f" → {exchange.get('status')} {exchange.get('content_type')}\n"
            + f"  headers: {json.dumps(exchange.get('headers') or {}, ensure_ascii=False)}\n"
            + f"  body: {shown}")


def check_exchange(openapi, exchange):
    """A list of failure descriptions (empty when the exchange conforms)."""
    try:
        method, path, status = exchange["method"], exchange["path"], int(exchange["status"])
    except (KeyError, TypeError, ValueError) as error:
        return [f"malformed exchange: {error!r}"]
    headers = exchange.get("headers") or {}
    content_type = exchange.get("content_type") or ""
    body = base64.b64decode(exchange.get("body_b64") or "")
    request = MockRequest(HOST, method, path, args=query_args(exchange.get("query")))
    response = MockResponse(body, status_code=status, headers=headers, content_type=content_type)
    result = openapi.unmarshal_response(request, response)
    failures = []
    for error in result.errors:
        if isinstance(error, (PathNotFound, PathsNotFound, OperationNotFound, ServerNotFound)):
            failures.append(f"{method} {path} is not in the document ({type(error).__name__}: {error})")
        else:
            failures.append(describe(error))
    return failures


def check_exchanges(openapi, path):
    failures = 0
    count = 0
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as error:
        usage(f"cannot read {path}: {error}")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        count += 1
        try:
            exchange = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"FAIL line {number}: not JSON: {error}")
            failures += 1
            continue
        problems = check_exchange(openapi, exchange)
        if problems:
            failures += 1
            print(f"FAIL line {number}: {exchange_summary(exchange)}")
            for problem in problems:
                print("  " + problem.replace("\n", "\n  "))
    print(f"openapi-conformance: {count} exchange(s), {failures} failing")
    return 1 if failures else 0


def check_examples(document):
    """Validates every example against its schema with the OpenAPI 3.1 dialect (JSON Schema 2020-12)."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resource("urn:signet-openapi", Resource(contents=document, specification=DRAFT202012))

    def resolve(node):
        while isinstance(node, dict) and "$ref" in node:
            target = document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def validate(where, schema, value):
        rooted = {"$id": "urn:signet-openapi-check", "$ref": "urn:signet-openapi#" + schema["$ref"][1:]} if "$ref" in schema else schema
        validator = Draft202012Validator(rooted, registry=registry, format_checker=FormatChecker())
        return [f"{where}: at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(value)]

    failures = []
    checked = 0

    def media_examples(where, media):
        nonlocal checked
        schema = media.get("schema")
        if schema is None:
            return
        if "$ref" not in schema:
            schema = {"$ref": "#" + where_pointer(where) + "/schema"}
        for name, example in (media.get("examples") or {}).items():
            checked += 1
            failures.extend(validate(f"{where} example {name}", schema, resolve(example).get("value")))
        if "example" in media:
            checked += 1
            failures.extend(validate(f"{where} example", schema, media["example"]))

    pointers = {}

    def where_pointer(where):
        return pointers[where]

    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            escaped = path.replace("~", "~0").replace("/", "~1")
            body = resolve(operation.get("requestBody") or {})
            for media_type, media in (body.get("content") or {}).items():
                where = f"{method.upper()} {path} request {media_type}"
                pointers[where] = f"/paths/{escaped}/{method}/requestBody/content/{media_type.replace('/', '~1')}"
                media_examples(where, media)
            for status, response in operation.get("responses", {}).items():
                pointer_base = f"/paths/{escaped}/{method}/responses/{status}"
                if "$ref" in response:
                    pointer_base = response["$ref"][1:]
                response = resolve(response)
                for media_type, media in (response.get("content") or {}).items():
                    where = f"{method.upper()} {path} {status} {media_type}"
                    pointers[where] = f"{pointer_base}/content/{media_type.replace('/', '~1')}"
                    media_examples(where, media)
    for name, schema in (document.get("components", {}).get("schemas") or {}).items():
        for index, example in enumerate(schema.get("examples") or []):
            checked += 1
            failures.extend(validate(f"components/schemas/{name} examples[{index}]", {"$ref": f"#/components/schemas/{name}"}, example))
    for failure in failures:
        print("FAIL " + failure)
    print(f"openapi-conformance: {checked} example(s), {len(failures)} failing")
    return 1 if failures else 0


def json_loads(value):
    return json.loads(value.decode("utf-8") if isinstance(value, bytes) else value)


def main(argv):
    if len(argv) != 3:
        usage("expected DOC and EXCHANGES.jsonl (or --examples)")
    try:
        with open(argv[1], encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        usage(f"cannot read the document {argv[1]}: {error}")
    if argv[2] == "--examples":
        return check_examples(document)
    # RFC 9457 problems are JSON; openapi-core knows only application/json and a few +json types.
    # The document's own validity is openapi-spec-validator's job (OpenAPIDocumentTests); not
    # validating it again here saves half a second of every check.
    config = Config(extra_media_type_deserializers={"application/problem+json": json_loads}, spec_validator_cls=None)
    return check_exchanges(OpenAPI.from_dict(document, config=config), argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
