"""The act record shared by every stage: extraction, validation, the registry and exports.

A leaf package (it imports nothing of ours), so that `pipeline`, `validation` and
`registry_loader` can all speak of one `Act` without importing one another.
"""

from records.act import Act, Box, FieldValue, Issue, MarginalNote, Source
from records.fields import ACT_KEYS, ACT_TYPES, ALL_KEYS, REGISTER_KEYS, STATUSES

__all__ = [
    "ACT_KEYS",
    "ACT_TYPES",
    "ALL_KEYS",
    "REGISTER_KEYS",
    "STATUSES",
    "Act",
    "Box",
    "FieldValue",
    "Issue",
    "MarginalNote",
    "Source",
]
