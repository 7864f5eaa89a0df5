"""Whether an opentok 3.15 result object carries the fields the SDK reads from the answer.

opentok's result classes (Archive, Broadcast, Stream, Render, SipCall, ...) copy each field they know out of the
response with `values.get("…")` / `kwargs.get("…")`: a field the service did not send silently becomes None. So a
field is "declared" when the class's constructor reads it, and `assert_fields` fails on every one that is None
unless the caller names it optional (a field the service sends only sometimes, e.g. an archive's download url)."""
import inspect
import re

_READ = re.compile(r"self\.(\w+)\s*=.*?(?:values|kwargs)\.get\(\s*[\"'](\w+)[\"']")


def declared(cls) -> dict:
    """attribute -> wire key, for every field the class's constructor reads from the answer."""
    source = inspect.getsource(cls.__init__)
    return {attr: key for attr, key in _READ.findall(source)}


def assert_fields(obj, optional=()):
    fields = declared(type(obj))
    assert fields, f"{type(obj).__name__} reads no fields: this check would prove nothing"
    unknown = set(optional) - set(fields)
    assert not unknown, f"optional fields {unknown} are not fields of {type(obj).__name__}"
    missing = [f"{attr} ({key})" for attr, key in fields.items() if attr not in optional and getattr(obj, attr) is None]
    assert not missing, f"{type(obj).__name__} lacks fields the SDK reads: {', '.join(missing)}"
    return obj
