"""The actions on reports, under their former address: they live in ``complaints.actions``
(one module per topic); new code imports from there."""

from satupintu.complaints.actions import *  # noqa: F403
from satupintu.complaints.actions import __all__  # noqa: F401
