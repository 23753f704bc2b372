"""What the roster import tells a facilitator: every message, for the whole file, for one
line and for applying it."""

# The whole file.
UNSUPPORTED_FILE_TYPE = "Upload a CSV (.csv) or Excel (.xlsx) file; “{filename}” is neither."
EMPTY_FILE = "The file is empty."
NOT_UTF8 = (
    "The file is not saved as UTF-8, so names with accents would come out wrong. In Excel, "
    "save it as “CSV UTF-8 (Comma delimited)” and upload it again."
)
UNREADABLE_CSV = "The file could not be read as CSV ({reason})."
UNREADABLE_XLSX = "The file could not be read as an Excel workbook (.xlsx)."
MISSING_COLUMNS = (
    "The first line must name the columns name, email, department and level; missing: {columns}."
)
DUPLICATE_COLUMN = "The column “{column}” is named more than once on the first line."
NO_PEOPLE = "The file lists nobody: put one person on each line below the column names."
# One line.
TOO_MANY_CELLS = "This line has more cells than the first line has column names."
MISSING_VALUE = "The {column} is missing."
CONTROL_CHARACTER = (
    "The {column} contains a line break, a control character or another character no "
    "spreadsheet can hold."
)
FORMULA = (
    "The {column} “{value}” starts with “{character}”, which a spreadsheet would run as a formula."
)
TOO_LONG = "The {column} is {length} characters long; at most {limit} are allowed."
INVALID_EMAIL = "“{value}” is not a valid e-mail address."
DUPLICATE_EMAIL = "The e-mail address {email} is on line {first} and on line {line}."
EMPTY_DEPARTMENT_PART = (
    "The department “{value}” has an empty part; write a path such as Operations/Logistics."
)
DEPARTMENT_PART_TOO_LONG = "The department “{value}” has a part longer than {limit} characters."
# Applying.
ROSTER_INVALID = "The file has {count} problem(s); nothing was imported."
MASS_DEACTIVATION = (
    "This import would deactivate {count} of the {active} people active now ({percent}%), "
    "more than {limit}%. Check the file; if it is right, confirm the deactivation."
)
LEVEL_KINDS_MISSING = (
    "The file names {count} level(s) the organisation has not got yet: {names}. An "
    "organisation admin creates them in the import's preview on the site (Roster → Import a "
    "roster), choosing what kind of level each is, or adds them on the organisation's page "
    "(Organisation → Levels); nothing was imported."
)
ROSTER_CHANGED = "The roster changed while the import was running; nothing was imported."
