"""The words of every message to people, by default: one per purpose × channel × language.

A ``MessageTemplate`` row (edited in the admin) with the same purpose, channel and language
overrides the default here. Subjects and bodies are Django template text, rendered without
HTML escaping (the messages are plain text) by :func:`render` over the context that
notifications/people.py builds. Every value in it is a string (a list for ``agencies``):

==================  ==========================================================================
key                 value
==================  ==========================================================================
site_name           the site's name (SATUPINTU_SITE_NAME)
tracking_number     the report's tracking number, formatted (``K7Q2M-4XR9P``)
status              the report's status, in the message's language
report_type         the report's type (pengaduan, aspirasi, ...), in the message's language
agency              the name of the agency holding the report ("" when none)
title               the report's title; "" for a confidential (rahasia) report
text                the public text of the step (what a hold asks for, a forward reason, the
                    first follow-up, an archive reason); "" for a confidential report
answer              the agency's answer (resolved); "" for a confidential report
verify_due, hold_due, followup_due, complete_due, autoclose_due, appeal_until, next_due
                    the deadlines (working days, domain.md §1.6), as dates in the language
deadline            which deadline runs or lapsed (officers: due tomorrow, overdue)
due                 that deadline's date; ``days_late``: working days past it (overdue)
tracking_url        the tracking page with the number filled in (SATUPINTU_SITE_URL +
                    /lacak/?nomor=<number>; the path alone when the site's address is not set)
opt_out_url         the reporter's opt-out link (/berhenti/<token>/), reporters only
report_url          the report's desk page, officers only
profile_url         the officer's notification settings page, officers only
date                today's date (digest)
open_count, due_soon_count, overdue_count
                    the digest's totals over ``agencies``: a list of {name, open, due_soon,
                    overdue, inbox_url, overdue_url}
==================  ==========================================================================

WhatsApp outside its 24-hour customer-service window accepts only a template approved by Meta:
``wa_template`` names it (``satupintu_<purpose>`` by default, to be registered with Meta under
that name in each language, or overridden in the admin) and ``wa_parameters`` lists the context
keys sent as its body parameters, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template

CHANNELS = ("whatsapp", "sms", "email")
LANGUAGES = ("id", "en")

#: What the reporter is told (domain.md §1.5): each public step of their report.
REPORTER_PURPOSES = (
    "received",
    "held",
    "dispatched",
    "forwarded",
    "followed_up",
    "resolved",
    "closing_soon",
    "closed",
    "archived",
    "reopened",
)
#: What officers are told.
OFFICER_PURPOSES = (
    "officer_dispatched",
    "officer_assigned",
    "officer_reopened",
    "officer_due_tomorrow",
    "officer_overdue",
    "officer_digest",
)
PURPOSES = REPORTER_PURPOSES + OFFICER_PURPOSES


@dataclass(frozen=True)
class Default:
    subject: str
    body: str
    wa_template: str
    wa_parameters: tuple[str, ...]


# purpose → language → (e-mail subject, the short text, what e-mail and WhatsApp add to it)
_TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "received": {
        "id": (
            "Laporan {{ tracking_number }} diterima",
            "Laporan {{ tracking_number }} sudah kami terima dan akan diverifikasi paling lambat "
            "{{ verify_due }}.",
            "{% if title %}Judul: {{ title }}{% endif %}",
        ),
        "en": (
            "Report {{ tracking_number }} received",
            "We have received report {{ tracking_number }}; it will be verified by "
            "{{ verify_due }}.",
            "{% if title %}Title: {{ title }}{% endif %}",
        ),
    },
    "held": {
        "id": (
            "Laporan {{ tracking_number }} perlu dilengkapi",
            "Laporan {{ tracking_number }} ditunda: mohon lengkapi paling lambat {{ hold_due }} "
            "lewat halaman laporan Anda, atau laporan diarsipkan.",
            "{% if text %}Yang perlu dilengkapi: {{ text }}{% else %}Baca permintaannya di "
            "halaman laporan Anda.{% endif %}",
        ),
        "en": (
            "Report {{ tracking_number }} needs more details",
            "Report {{ tracking_number }} is on hold: please complete it by {{ hold_due }} on "
            "your report's page, or it will be archived.",
            "{% if text %}What is needed: {{ text }}{% else %}Read the request on your report's "
            "page.{% endif %}",
        ),
    },
    "dispatched": {
        "id": (
            "Laporan {{ tracking_number }} diteruskan ke {{ agency }}",
            "Laporan {{ tracking_number }} diteruskan ke {{ agency }}. Tindak lanjut pertama "
            "paling lambat {{ followup_due }}.",
            "",
        ),
        "en": (
            "Report {{ tracking_number }} passed to {{ agency }}",
            "Report {{ tracking_number }} has been passed to {{ agency }}. The first follow-up "
            "is due by {{ followup_due }}.",
            "",
        ),
    },
    "forwarded": {
        "id": (
            "Laporan {{ tracking_number }} dialihkan ke {{ agency }}",
            "Laporan {{ tracking_number }} dialihkan ke {{ agency }}, instansi yang berwenang "
            "menanganinya.",
            "{% if text %}Alasan: {{ text }}{% endif %}",
        ),
        "en": (
            "Report {{ tracking_number }} moved to {{ agency }}",
            "Report {{ tracking_number }} has been moved to {{ agency }}, the agency "
            "responsible for it.",
            "{% if text %}Reason: {{ text }}{% endif %}",
        ),
    },
    "followed_up": {
        "id": (
            "Laporan {{ tracking_number }} ditindaklanjuti",
            "{{ agency }} mulai menindaklanjuti laporan {{ tracking_number }}. Target selesai "
            "{{ complete_due }}.",
            "{% if text %}Tindak lanjut: {{ text }}{% endif %}",
        ),
        "en": (
            "Report {{ tracking_number }} is being followed up",
            "{{ agency }} has started following up report {{ tracking_number }}. Target "
            "completion: {{ complete_due }}.",
            "{% if text %}Follow-up: {{ text }}{% endif %}",
        ),
    },
    "resolved": {
        "id": (
            "Jawaban atas laporan {{ tracking_number }}",
            "Laporan {{ tracking_number }} sudah dijawab {{ agency }}. Konfirmasi dan beri "
            "nilai, atau tanggapi paling lambat {{ autoclose_due }}; tanpa tanggapan laporan "
            "ditutup otomatis.",
            "{% if answer %}Jawaban:\n{{ answer }}{% else %}Baca jawabannya di halaman laporan "
            "Anda.{% endif %}\n\nBuka halaman laporan dengan nomor pelacakan dan kode rahasia "
            "Anda untuk mengonfirmasi dan memberi nilai (1-5), atau menanggapi bila masalahnya "
            "belum selesai.",
        ),
        "en": (
            "Answer to report {{ tracking_number }}",
            "{{ agency }} has answered report {{ tracking_number }}. Confirm and rate it, or "
            "reply by {{ autoclose_due }}; without a reply it closes automatically.",
            "{% if answer %}Answer:\n{{ answer }}{% else %}Read the answer on your report's "
            "page.{% endif %}\n\nOpen your report's page with its tracking number and secret "
            "code to confirm and rate it (1-5), or to reply if the problem is not solved.",
        ),
    },
    "closing_soon": {
        "id": (
            "Laporan {{ tracking_number }} segera ditutup",
            "Laporan {{ tracking_number }} ditutup otomatis bila tidak ada tanggapan sampai "
            "{{ autoclose_due }}. Belum selesai? Tanggapi paling lambat tanggal itu.",
            "",
        ),
        "en": (
            "Report {{ tracking_number }} closes soon",
            "Report {{ tracking_number }} closes automatically unless you reply by "
            "{{ autoclose_due }}. Not solved? Reply by then.",
            "",
        ),
    },
    "closed": {
        "id": (
            "Laporan {{ tracking_number }} ditutup",
            "Laporan {{ tracking_number }} ditutup.{% if appeal_until %} Tidak puas? Ajukan "
            "banding sampai {{ appeal_until }} lewat halaman laporan Anda.{% endif %}",
            "Terima kasih telah melapor.",
        ),
        "en": (
            "Report {{ tracking_number }} closed",
            "Report {{ tracking_number }} is closed.{% if appeal_until %} Not satisfied? "
            "Appeal until {{ appeal_until }} on your report's page.{% endif %}",
            "Thank you for your report.",
        ),
    },
    "archived": {
        "id": (
            "Laporan {{ tracking_number }} diarsipkan",
            "Laporan {{ tracking_number }} diarsipkan dan tidak diproses lebih lanjut."
            "{% if text %} Alasan: {{ text }}{% endif %}",
            "Anda dapat mengirim laporan baru dengan keterangan yang lebih lengkap.",
        ),
        "en": (
            "Report {{ tracking_number }} archived",
            "Report {{ tracking_number }} has been archived and will not be processed further."
            "{% if text %} Reason: {{ text }}{% endif %}",
            "You may file a new report with more complete details.",
        ),
    },
    "reopened": {
        "id": (
            "Banding laporan {{ tracking_number }} diterima",
            "Banding Anda diterima: laporan {{ tracking_number }} dibuka kembali dan ditangani "
            "lagi oleh {{ agency }}.{% if next_due %} Tenggat berikutnya {{ next_due }}."
            "{% endif %}",
            "",
        ),
        "en": (
            "Appeal on report {{ tracking_number }} accepted",
            "Your appeal was accepted: report {{ tracking_number }} is reopened and back with "
            "{{ agency }}.{% if next_due %} Next deadline: {{ next_due }}.{% endif %}",
            "",
        ),
    },
    "officer_dispatched": {
        "id": (
            "[{{ tracking_number }}] Laporan baru untuk {{ agency }}",
            "Laporan baru {{ tracking_number }} untuk {{ agency }}{% if title %}: {{ title }}"
            "{% endif %}. Tindak lanjut pertama paling lambat {{ followup_due }}.",
            "",
        ),
        "en": (
            "[{{ tracking_number }}] New report for {{ agency }}",
            "New report {{ tracking_number }} for {{ agency }}{% if title %}: {{ title }}"
            "{% endif %}. The first follow-up is due by {{ followup_due }}.",
            "",
        ),
    },
    "officer_assigned": {
        "id": (
            "[{{ tracking_number }}] Anda ditugasi laporan ini",
            "Anda ditugasi laporan {{ tracking_number }}{% if title %}: {{ title }}{% endif %}."
            "{% if next_due %} Tenggat {{ next_due }}.{% endif %}",
            "",
        ),
        "en": (
            "[{{ tracking_number }}] You were assigned this report",
            "You were assigned report {{ tracking_number }}{% if title %}: {{ title }}"
            "{% endif %}.{% if next_due %} Due {{ next_due }}.{% endif %}",
            "",
        ),
    },
    "officer_reopened": {
        "id": (
            "[{{ tracking_number }}] Laporan dibuka kembali (banding)",
            "Laporan {{ tracking_number }} dibuka kembali atas banding pelapor."
            "{% if next_due %} Tenggat {{ next_due }}.{% endif %}",
            "",
        ),
        "en": (
            "[{{ tracking_number }}] Report reopened (appeal)",
            "Report {{ tracking_number }} was reopened on the reporter's appeal."
            "{% if next_due %} Due {{ next_due }}.{% endif %}",
            "",
        ),
    },
    "officer_due_tomorrow": {
        "id": (
            "[{{ tracking_number }}] Tenggat hari kerja berikutnya",
            "Tenggat laporan {{ tracking_number }} ({{ deadline }}) jatuh pada hari kerja "
            "berikutnya, {{ due }}.",
            "{% if title %}Judul: {{ title }}{% endif %}",
        ),
        "en": (
            "[{{ tracking_number }}] Due on the next working day",
            "Report {{ tracking_number }} ({{ deadline }}) is due on the next working day, "
            "{{ due }}.",
            "{% if title %}Title: {{ title }}{% endif %}",
        ),
    },
    "officer_overdue": {
        "id": (
            "[{{ tracking_number }}] Melewati tenggat",
            "Laporan {{ tracking_number }} melewati tenggat {{ deadline }} ({{ due }})"
            "{% if days_late %}, terlambat {{ days_late }} hari kerja{% endif %}.",
            "{% if agency %}Instansi: {{ agency }}{% endif %}",
        ),
        "en": (
            "[{{ tracking_number }}] Overdue",
            "Report {{ tracking_number }} is past its deadline {{ deadline }} ({{ due }})"
            "{% if days_late %}, {{ days_late }} working days late{% endif %}.",
            "{% if agency %}Agency: {{ agency }}{% endif %}",
        ),
    },
    "officer_digest": {
        "id": (
            "Ringkasan harian {{ date }}: {{ open_count }} laporan terbuka",
            "Ringkasan {{ date }}: {{ open_count }} laporan terbuka, {{ due_soon_count }} "
            "segera jatuh tempo, {{ overdue_count }} melewati tenggat.",
            "{% for a in agencies %}{{ a.name }}: {{ a.open }} terbuka, {{ a.due_soon }} segera "
            "jatuh tempo, {{ a.overdue }} terlambat\n  Kotak masuk: {{ a.inbox_url }}\n  "
            "Terlambat: {{ a.overdue_url }}\n{% endfor %}",
        ),
        "en": (
            "Daily summary {{ date }}: {{ open_count }} open reports",
            "Summary for {{ date }}: {{ open_count }} open reports, {{ due_soon_count }} due "
            "soon, {{ overdue_count }} overdue.",
            "{% for a in agencies %}{{ a.name }}: {{ a.open }} open, {{ a.due_soon }} due soon, "
            "{{ a.overdue }} overdue\n  Inbox: {{ a.inbox_url }}\n  Overdue: {{ a.overdue_url }}"
            "\n{% endfor %}",
        ),
    },
}

#: The context keys each WhatsApp template takes as its body parameters, in order.
_WA_PARAMETERS: dict[str, tuple[str, ...]] = {
    "received": ("tracking_number", "verify_due"),
    "held": ("tracking_number", "hold_due"),
    "dispatched": ("tracking_number", "agency", "followup_due"),
    "forwarded": ("tracking_number", "agency"),
    "followed_up": ("agency", "tracking_number", "complete_due"),
    "resolved": ("tracking_number", "agency", "autoclose_due"),
    "closing_soon": ("tracking_number", "autoclose_due"),
    "closed": ("tracking_number", "appeal_until"),
    "archived": ("tracking_number",),
    "reopened": ("tracking_number", "agency"),
    "officer_dispatched": ("tracking_number", "agency", "followup_due"),
    "officer_assigned": ("tracking_number", "next_due"),
    "officer_reopened": ("tracking_number", "next_due"),
    "officer_due_tomorrow": ("tracking_number", "deadline", "due"),
    "officer_overdue": ("tracking_number", "deadline", "due"),
    "officer_digest": ("date", "open_count", "due_soon_count", "overdue_count"),
}

# How to stop (every message to a reporter) and where to look.
_LINK = {
    "id": "{% if tracking_url %}Pantau laporan: {{ tracking_url }}{% endif %}",
    "en": "{% if tracking_url %}Follow your report: {{ tracking_url }}{% endif %}",
}
_STOP = {
    "id": {
        "sms": "Balas STOP utk berhenti: {{ opt_out_url }}",
        "whatsapp": "Balas BERHENTI untuk berhenti menerima kabar, atau buka {{ opt_out_url }}",
        "email": "Tidak ingin menerima kabar lagi? Buka {{ opt_out_url }}",
    },
    "en": {
        "sms": "Reply STOP to opt out: {{ opt_out_url }}",
        "whatsapp": "Reply STOP to stop these updates, or open {{ opt_out_url }}",
        "email": "No more updates? Open {{ opt_out_url }}",
    },
}
_OFFICER_FOOT = {
    "id": "{{ report_url }}",
    "en": "{{ report_url }}",
}
_OFFICER_EMAIL_FOOT = {
    "id": "Atur pemberitahuan Anda: {{ profile_url }}",
    "en": "Your notification settings: {{ profile_url }}",
}


def _compose(purpose: str, channel: str, language: str) -> Default:
    subject, short, more = _TEXTS[purpose][language]
    officer = purpose.startswith("officer_")
    parts = [short]
    if channel != "sms" and more:
        parts.append(more)
    if officer:
        if purpose != "officer_digest":
            parts.append(_OFFICER_FOOT[language])
        if channel == "email":
            parts.append(_OFFICER_EMAIL_FOOT[language])
    else:
        if channel != "sms":
            parts.append(_LINK[language])
        parts.append(_STOP[language][channel])
    # Each part on its own paragraph; SMS on one line to stay short.
    glue = " " if channel == "sms" else "\n\n"
    return Default(
        subject=subject if channel == "email" else "",
        body=glue.join(parts),
        wa_template=f"satupintu_{purpose}" if channel == "whatsapp" else "",
        wa_parameters=_WA_PARAMETERS[purpose] if channel == "whatsapp" else (),
    )


DEFAULTS: dict[tuple[str, str, str], Default] = {
    (purpose, channel, language): _compose(purpose, channel, language)
    for purpose in PURPOSES
    for channel in CHANNELS
    for language in LANGUAGES
}


def default(purpose: str, channel: str, language: str) -> Default:
    """The default words (Indonesian when the language has none)."""
    found = DEFAULTS.get((purpose, channel, language))
    return found if found is not None else DEFAULTS[(purpose, channel, "id")]


#: Plain text: nothing is HTML-escaped; no loaders, so no template can include another.
ENGINE = Engine(autoescape=False)


def compile_text(text: str) -> Template:
    """Raises django.template.TemplateSyntaxError for text that is no valid template."""
    return Template(text, engine=ENGINE)


def render(text: str, context: dict[str, Any]) -> str:
    """``text`` rendered over ``context``; blank lines left by empty parts are squeezed."""
    rendered = compile_text(text).render(Context(context, autoescape=False))
    lines = [line.rstrip() for line in rendered.strip().splitlines()]
    squeezed: list[str] = []
    for line in lines:
        if not line and squeezed and not squeezed[-1]:
            continue
        squeezed.append(line)
    return "\n".join(squeezed).strip()


def sample_context(language: str = "id") -> dict[str, Any]:
    """A made-up report's context, for the admin's preview and check of a template."""
    dates = {
        "id": ("12 Maret 2025", "25 Maret 2025", "7 April 2025"),
        "en": ("12 March 2025", "25 March 2025", "7 April 2025"),
    }.get(language, ("12 Maret 2025", "25 Maret 2025", "7 April 2025"))
    site = "https://lapor.example.go.id"
    agencies = [
        {
            "name": "Dinas PUPR",
            "open": 12,
            "due_soon": 3,
            "overdue": 1,
            "inbox_url": f"{site}/petugas/instansi/dpupr/",
            "overdue_url": f"{site}/petugas/instansi/dpupr/terlambat/",
        }
    ]
    return {
        "site_name": "satupintu",
        "tracking_number": "K7Q2M-4XR9P",
        "status": "selesai" if language == "id" else "resolved",
        "report_type": "Pengaduan" if language == "id" else "Complaint",
        "agency": "Dinas PUPR",
        "title": "Jalan berlubang di depan sekolah",
        "text": "Tim kami meninjau lokasi besok pagi.",
        "answer": "Lubang sudah ditambal pada 10 Maret.",
        "verify_due": dates[0],
        "hold_due": dates[1],
        "followup_due": dates[0],
        "complete_due": dates[1],
        "autoclose_due": dates[1],
        "appeal_until": dates[2],
        "next_due": dates[1],
        "deadline": "tenggat tindak lanjut pertama"
        if language == "id"
        else "first follow-up deadline",
        "due": dates[0],
        "days_late": "2",
        "tracking_url": f"{site}/lacak/?nomor=K7Q2M-4XR9P",
        "opt_out_url": f"{site}/berhenti/contoh-token/",
        "report_url": f"{site}/petugas/laporan/1/",
        "profile_url": f"{site}/petugas/profil/pemberitahuan/",
        "date": dates[0],
        "open_count": "12",
        "due_soon_count": "3",
        "overdue_count": "1",
        "agencies": agencies,
    }
