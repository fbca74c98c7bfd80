"""What every e-mail the platform builds shares: header values that user text cannot break.

A subject carries names and titles people typed. A line break in one ("Union\r\nBcc: ...") would
make Django refuse the whole message (BadHeaderError), and with it the batch it travels in, or,
through another library, add a header. Every header value built from such text goes through
`header_text`, where it is built.
"""

import re
import unicodedata

# The Unicode line and paragraph separators some mail software honours (control characters, the
# "Cc" category, are found by their category below).
_BREAKING = re.compile(r"[\u2028\u2029\u0085]")


def header_text(value: object, max_length: int = 300) -> str:
    """`value` on one line: every control character becomes a space, runs of spaces one."""
    text = "".join(
        " " if unicodedata.category(char) == "Cc" else char
        for char in _BREAKING.sub(" ", str(value))
    )
    return re.sub(r"\s+", " ", text).strip()[:max_length]


# Marks mail no person wrote (RFC 3834): vacation responders and ticket systems do not answer it.
AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}
