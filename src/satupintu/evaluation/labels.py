"""What the readiness checklist's items and dimensions are called on the page (translatable);
the rules themselves are in domain/evaluation/readiness.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DIMENSIONS = {
    "input": _("Input: kompetensi pelaksana dan sarana prasarana"),
    "process": _("Proses: pemenuhan standar pelayanan"),
    "output": _("Output: persepsi maladministrasi pengguna layanan"),
    "complaints": _("Pengelolaan pengaduan"),
}

ITEMS = {
    "standard_published": _("Ada standar pelayanan yang dipublikasikan"),
    "services_published": _("Bagian layanan yang standarnya dipublikasikan"),
    "components_complete": _("Standar terpublikasi yang memuat ke-14 komponen"),
    "maklumat": _("Maklumat pelayanan dipublikasikan"),
    "stipulated_reviewed": _("Standar ditetapkan dengan keputusan dan direviu dalam 12 bulan"),
    "competence": _("Kompetensi pelaksana dicantumkan"),
    "facilities": _("Sarana, prasarana, dan fasilitas dicantumkan"),
    "staff_count": _("Jumlah pelaksana dicantumkan"),
    "complaint_channel": _("Penanganan pengaduan dicantumkan dalam standar"),
    "followup_on_time": _("Laporan ditindaklanjuti dalam tenggat (5 hari kerja)"),
    "completed_in_time": _("Laporan diselesaikan dalam tenggat"),
    "officers_active": _("Petugas pengaduan aktif dalam 30 hari terakhir"),
    "rating": _("Penilaian pelapor (1–5)"),
}
