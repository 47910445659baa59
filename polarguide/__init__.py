"""polarguide: find and summarise funding calls for international cooperation.

Made for the Polar Magnets guide (Koillismaan Leader) for young people and village
communities in Lapland, Kuusamo and Taivalkoski.

The public face is this package's top level (:data:`__all__`)::

    import polarguide as pg

    records = pg.load()                    # freshest EU calls + the guide's programmes
    print(pg.about(records))               # how old the data is, how to refresh it
    hits = pg.search(records, "nuorisovaihto ilmasto", profile="polar", limit=5)
    print(pg.describe(hits.iloc[0]))       # one call in plain words
    pg.to_ics(hits, "deadlines.ics")       # deadlines into your calendar

The submodules (``polarguide.search``, ``polarguide.store`` …) hold the details; their
names may change, the names below will not. Importing the package is light: pandas and
matplotlib load when a function first needs them.

>>> import polarguide as pg
>>> pg.__version__
'0.1.0'
>>> callable(pg.search), callable(pg.update), callable(pg.plan)
(True, True, True)
"""

from __future__ import annotations

__version__ = "0.1.0"

# The functions below share names with the modules that hold them (``search``, ``update``,
# ``plan``). Each module is imported here first, then its name is bound to the function, so
# ``pg.search`` is always the function; ``from polarguide.search import ...`` still reaches
# the module.
from . import plan as _plan_module  # noqa: F401  (loaded before the name is rebound)
from . import search as _search_module  # noqa: F401
from . import update as _update_module  # noqa: F401
from .api import (
    about,
    data_age,
    describe,
    event_calendar,
    fact_text,
    find,
    load,
    organisations,
    plan,
    say,
    to_ics,
    today,
    view,
)
from .budget import cash_flow, largest_gap, lump_sum_grant, real_costs_grant
from .budget import labelled as cash_flow_view
from .catalogue import catalogue_records as programmes
from .catalogue import load_catalogue
from .charts import budget_by_programme, deadlines_per_month
from .errors import DataError, InputError, NetworkError, PolarGuideError
from .export import to_csv, to_json
from .i18n import current_language, format_date, label
from .parse import parse_search_response, read_payload
from .search import search
from .summary import (
    counts_by_programme,
    format_day,
    format_eur,
    overview,
    summary_text,
    upcoming_deadlines,
)
from .update import update

__all__ = [
    "DataError",
    "InputError",
    "NetworkError",
    "PolarGuideError",
    "__version__",
    "about",
    "budget_by_programme",
    "cash_flow",
    "cash_flow_view",
    "counts_by_programme",
    "current_language",
    "data_age",
    "deadlines_per_month",
    "describe",
    "event_calendar",
    "fact_text",
    "find",
    "format_date",
    "format_day",
    "format_eur",
    "label",
    "largest_gap",
    "load",
    "load_catalogue",
    "lump_sum_grant",
    "organisations",
    "overview",
    "parse_search_response",
    "plan",
    "programmes",
    "read_payload",
    "real_costs_grant",
    "say",
    "search",
    "summary_text",
    "to_csv",
    "to_ics",
    "to_json",
    "today",
    "upcoming_deadlines",
    "update",
    "view",
]
