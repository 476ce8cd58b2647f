"""Text written into CSV files that clinics open in a spreadsheet."""

# A cell starting with one of these is read by spreadsheets as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """The value as a spreadsheet shows it, never run: text that would start a formula gets a
    leading apostrophe, which spreadsheets hide and read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
