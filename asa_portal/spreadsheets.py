"""CSV exports that a spreadsheet opens safely."""


def safe_cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them text.

    Names, organisations and sources are typed by people (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def safe_row(values) -> list[str]:
    return [safe_cell(value) for value in values]
