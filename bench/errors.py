"""The kit's one error type: every problem a user can cause ends as a :class:`KitError`.

The command line turns it into one line on standard error (``error: <file>:<line>:
<problem>`` where there is a file) and exit status 2, with nothing written. Any
other exception escaping a command is a bug in the kit; the property-based fuzz
tests (``tests/test_fuzz.py``) check that none does.
"""


class KitError(ValueError):
    """A problem with the user's input, paths, models or published outputs."""
