"""Case references: the pseudonymous identifiers of the case system (EHM, Mosaic), never a name."""

from qaf.formspec import Question

PATTERN = r"[A-Za-z0-9][A-Za-z0-9/_-]{0,39}"
PROBLEM = "Enter the case reference using letters, numbers, hyphens and slashes only"

CASE_REFERENCE_QUESTION = Question(
    id="case_reference",
    type="text",
    label="Case reference",
    hint="The pseudonymous reference from the case system (EHM, Mosaic), for example EH-104233. Never a name.",
    thing="the case reference",
    max_length=40,
    pattern=PATTERN,
    pattern_message=PROBLEM,
)
