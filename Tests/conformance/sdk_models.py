"""Whether an answer deserialised into an oci SDK model carries what the SDK declares it returns.

The oci SDK's generated models mark the fields a response always has with `**[Required]**` in the
property's docstring, declare each field's type in `swagger_types`, and map any enum value they do not
know to "UNKNOWN_ENUM_VALUE" in the setter. `missing_fields(model)` walks a returned model (nested models,
lists and dicts too) and lists every required field that is None, every value of the wrong type and every
enum value the SDK did not recognise; `assert_complete` fails a test on any of them.
"""
import datetime
import inspect
import re

_ENUM_LIST = re.compile(r"Allowed values for (?:this property|items in this list) are: ([^\n]*)")


def _is_model(value) -> bool:
    return hasattr(value, "swagger_types") and hasattr(value, "attribute_map")


def _required(cls, name: str) -> bool:
    prop = inspect.getattr_static(cls, name, None)
    doc = getattr(prop, "__doc__", None) or ""
    return "**[Required]**" in doc


def _allowed_values(cls, name: str):
    """The enum values the property's docstring lists (the setter maps anything else to UNKNOWN_ENUM_VALUE)."""
    prop = inspect.getattr_static(cls, name, None)
    doc = getattr(prop, "__doc__", None) or ""
    match = _ENUM_LIST.search(doc)
    if not match:
        return None
    return re.findall(r'"([^"]+)"', match.group(1))


_SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float), "datetime": datetime.datetime,
            "date": datetime.date, "object": object}


def _check_type(value, swagger_type: str, where: str, problems: list, allowed=None):
    if value is None:
        return
    if swagger_type.startswith("list["):
        inner = swagger_type[5:-1]
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list ({swagger_type}), got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            _check_type(item, inner, f"{where}[{i}]", problems, allowed)
        return
    if swagger_type.startswith("dict("):
        inner = swagger_type[5:-1].split(",", 1)[1].strip()
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a dict ({swagger_type}), got {type(value).__name__}")
            return
        for k, item in value.items():
            _check_type(item, inner, f"{where}[{k!r}]", problems)
        return
    if swagger_type in _SCALARS:
        expected = _SCALARS[swagger_type]
        if swagger_type == "int" and isinstance(value, bool):
            problems.append(f"{where}: expected int, got bool")
        elif not isinstance(value, expected):
            problems.append(f"{where}: expected {swagger_type}, got {type(value).__name__} {value!r}")
        if value == "UNKNOWN_ENUM_VALUE":
            problems.append(f"{where}: a value the SDK does not know (mapped to UNKNOWN_ENUM_VALUE)")
        elif allowed is not None and isinstance(value, str) and value not in allowed:
            problems.append(f"{where}: {value!r} is not one of {allowed}")
        return
    # A model class name: the deserialiser picked this (or a discriminated subclass of it).
    if not _is_model(value):
        problems.append(f"{where}: expected a {swagger_type} model, got {type(value).__name__} {value!r}")
        return
    _walk(value, where, problems)


def _walk(model, where: str, problems: list):
    cls = type(model)
    for name, swagger_type in model.swagger_types.items():
        value = getattr(model, name)
        path = f"{where}.{name}"
        if value is None:
            if _required(cls, name):
                problems.append(f"{path} ({model.attribute_map[name]}): required by the SDK, missing")
            continue
        _check_type(value, swagger_type, path, problems, _allowed_values(cls, name))


def missing_fields(model, where: str = None) -> list:
    """Everything wrong with `model` as the SDK describes it (empty when complete)."""
    problems = []
    where = where or type(model).__name__
    if isinstance(model, list):
        for i, item in enumerate(model):
            problems += missing_fields(item, f"{where}[{i}]")
        return problems
    if not _is_model(model):
        return [f"{where}: not an SDK model but {type(model).__name__}"]
    _walk(model, where, problems)
    return problems


def assert_complete(model, where: str = None):
    problems = missing_fields(model, where)
    assert not problems, "the answer does not satisfy the SDK's model:\n  " + "\n  ".join(problems)
    return model
