"""An independent judge of HTML that is shown to people: the markup is parsed as a
browser parses it (html5lib, the WHATWG algorithm) and judged by fixed rules, whatever
the sanitiser's own allow-list says, so that widening the allow-list cannot turn the
tests green with it."""

import re

import html5lib

#: Elements that run code, load or embed other documents, restyle the page or send data.
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "select", "textarea", "link", "meta", "base", "svg", "math",
    "template", "noscript", "portal",
}  # fmt: skip
#: URL schemes a browser runs or renders as a document of its own.
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript"}

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _scheme(value: str) -> str | None:
    # As the URL parser reads it: C0 controls and spaces around it dropped, tabs and
    # newlines inside removed, the scheme in any case.
    cleaned = _TAB_OR_NEWLINE.sub(
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12"
            "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
            "\x1d\x1e\x1f\x20"
        ),
    ).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def executable_markup(html: str) -> list[str]:
    """What in `html` could run script, load foreign content or restyle the page: empty
    when it is safe to show."""
    problems = []
    root = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = _local(element.tag)
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                problems.append(f"{attribute} handler on <{tag}>")
            if attribute in {"style", "srcdoc", "formaction"}:
                problems.append(f"{attribute} attribute on <{tag}>")
            if _scheme(value) in FORBIDDEN_SCHEMES:
                problems.append(f"{_scheme(value)}: URL in {attribute} of <{tag}>")
    return problems
