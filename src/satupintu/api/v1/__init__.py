"""satupintu JSON API, version 1 (``/api/v1/``; schema ``/api/v1/openapi.json``, docs
``/api/v1/docs``). Every endpoint calls the same services as the web (style.md convention 2)."""

from __future__ import annotations

from ninja import NinjaAPI

from satupintu.api import errors
from satupintu.api.v1 import officer, performance, public, reporter

DESCRIPTION = """
File and follow complaints, aspirations and requests for information (aduan, aspirasi,
permintaan informasi) of this Pemda without screen-scraping.

* **Without a key**: file a report (rate-limited per address), read public reports and the
  master data (categories with their extra questions, agencies, region codes).
* **As the reporter**: the tracking number and the secret given when the report was filed
  (header `X-Report-Secret`): read the report, reply, rate the answer, appeal, add photos.
* **With an API key** (`Authorization: Bearer sp_...` or `X-API-Key`), created by the Pemda's
  administrator with `satupintu apikey create`: file reports for a gateway (scope `submit`,
  `intake`), read the work queue (`read`), verify and dispatch (`verify`), and do the agency's
  follow-up (`handle`).

Every error has the shape `{"error": {"code": ..., "message": ..., "fields": {...}}}`; messages
follow `Accept-Language` (Indonesian by default, English). Deadlines are in Indonesian working
days. Lists are paged with an opaque `cursor`.
"""

api = NinjaAPI(
    title="satupintu API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", performance.router)
api.add_router("", reporter.router)
api.add_router("", officer.router)
