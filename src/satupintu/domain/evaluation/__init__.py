"""Service-quality evaluation rules: pure Python, no Django (domain.md §1.10, §2, §4).

* :mod:`.standard` — the 14 components of a service standard (UU 25/2009 Art. 21) and the
  default rubric that scores them;
* :mod:`.sp4n` — complaint-management indicators: shares, medians of working days;
* :mod:`.prefill` — PEKPPP indicators the system can suggest a score for;
* :mod:`.readiness` — the Ombudsman readiness checklist and its estimated zone.

Rubrics and weights not read in a regulation are defaults, documented in docs/evaluation.md.
"""
