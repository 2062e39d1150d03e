"""Open311 GeoReport v2 (``/open311/v2/``) and federation between governments over Open311.

The spec is an adapter (style.md): its vocabulary (service, service request, status open or
closed, jurisdiction, token) lives in this package only. Reports are filed and changed through
``complaints.actions`` like at every other door; see docs/open311.md.
"""
