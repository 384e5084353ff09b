"""The registry database: models and migrations, page loads, bulk import, export, search.

The only package that imports SQLAlchemy. Open a registry with `open_registry(url)`
(creates or migrates the schema), then pass `registry.session()` to the functions here.
"""

from registry_loader.db import Registry, RegistryError, open_registry, resolve_url
from registry_loader.export import get_act, iter_acts
from registry_loader.jsonl import ImportResult, LineError, import_acts, import_jsonl
from registry_loader.load import LoadResult, PageInfo, load_page, page_is_loaded, record_failed_page
from registry_loader.search import SearchHit, search

__all__ = [
    "ImportResult",
    "LineError",
    "LoadResult",
    "PageInfo",
    "Registry",
    "RegistryError",
    "SearchHit",
    "get_act",
    "import_acts",
    "import_jsonl",
    "iter_acts",
    "load_page",
    "open_registry",
    "page_is_loaded",
    "record_failed_page",
    "resolve_url",
    "search",
]
