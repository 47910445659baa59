"""polarguide: find and summarise funding calls for international cooperation.

Made for the Polar Magnets guide (Koillismaan Leader) for young people and village
communities in Lapland, Kuusamo and Taivalkoski.

>>> import polarguide
>>> polarguide.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"
