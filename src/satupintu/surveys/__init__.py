"""Survei Kepuasan Masyarakat (SKM): survey periods, anonymous responses and the IKM per unit
(PermenPANRB 14/2017, domain.md §3)."""
