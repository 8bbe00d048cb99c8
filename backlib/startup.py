"""Process-wide settings that must take effect before any backlib import pulls in the stack.

jsonschema (imported by nbformat, so by papermill, nbconvert and the report pipeline) imports
rfc3987_syntax when it is installed, only to check the "iri" string format; that import builds a
full Earley parser, ~3 s on these machines, which every `backlib report` and every report worker
would pay. Nothing in backlib validates iri formats, so the optional module is marked absent
(unless something imported it already) and jsonschema skips that one check.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)
