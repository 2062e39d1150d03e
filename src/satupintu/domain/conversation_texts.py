"""The words of the WhatsApp/SMS conversation (domain/conversation.py), in Bahasa Indonesia and
English: ``TEXTS`` for WhatsApp, and ``SMS`` with shorter variants (at most 160 characters, no
emoji) where the WhatsApp text is longer or has emoji. Each entry is (Indonesian, English),
formatted with ``str.format``.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "greeting": (
        "Halo 👋 Selamat datang di layanan pengaduan{service}.",
        "Hello 👋 Welcome to the complaints service{service}.",
    ),
    "ask_type": (
        "Apa yang ingin Anda sampaikan? Balas dengan angka:\n"
        "1. Pengaduan (keluhan layanan)\n2. Aspirasi (saran/usul)\n3. Permintaan informasi\n\n"
        "BATAL untuk membatalkan, BANTUAN untuk bantuan.",
        "What would you like to send? Reply with a number:\n"
        "1. Complaint (pengaduan)\n2. Suggestion (aspirasi)\n3. Request for information\n\n"
        "CANCEL to stop, HELP for help.",
    ),
    "bad_type": ("Balas dengan angka 1, 2 atau 3.", "Please reply with 1, 2 or 3."),
    "ask_category": (
        "Pilih kategori: balas angkanya atau tulis beberapa kata.",
        "Choose a category: reply with its number or a few words.",
    ),
    "ask_category_short": (
        "Ada beberapa yang cocok. Pilih salah satu:",
        "Several categories match. Choose one:",
    ),
    "other": ("Lainnya / tidak tahu", "Other / don't know"),
    "category_more": (
        "(Tidak ada di daftar? Tulis kata kuncinya.)",
        "(Not listed? Type a few words.)",
    ),
    "category_number_unknown": (
        "Nomor {number} tidak ada di daftar.",
        "There is no number {number} in the list.",
    ),
    "category_no_match": (
        "Kategori “{text}” tidak ditemukan.",
        "No category matches “{text}”.",
    ),
    "category_chosen": ("Kategori: {name}.", "Category: {name}."),
    "ask_description": (
        "✍️ Ceritakan laporan Anda: apa yang terjadi, kapan, dan di mana "
        "(minimal {min} karakter). Foto boleh dikirim dengan keterangannya.",
        "✍️ Describe it: what happened, when and where (at least {min} characters). "
        "You may send a photo with a caption.",
    ),
    "description_short": (
        "Isi laporan terlalu singkat ({count} karakter, minimal {min}). "
        "Mohon ceritakan lebih lengkap.",
        "The description is too short ({count} characters, at least {min}). Please tell us more.",
    ),
    "ask_location": (
        "📍 Di mana lokasinya? Bagikan lokasi (📎 › Lokasi) atau tulis alamatnya. "
        "Balas LEWATI jika tidak ada.",
        "📍 Where is it? Share a location (📎 › Location) or type the address. "
        "Reply SKIP if there is none.",
    ),
    "location_short": ("Alamat terlalu singkat.", "The address is too short."),
    "location_saved": ("Lokasi disimpan.", "Location saved."),
    "bad_location": (
        "Lokasi yang dibagikan tidak terbaca.",
        "The shared location could not be read.",
    ),
    "ask_photos": (
        "📷 Ada foto atau dokumen pendukung? Kirim sekarang (maks. {max}), lalu balas KIRIM. "
        "Balas LEWATI jika tidak ada. Balas KIRIM ANONIM agar identitas Anda tidak terlihat "
        "oleh instansi, atau KIRIM RAHASIA agar isi laporan tidak tampil untuk umum.",
        "📷 Any photos or documents? Send them now (up to {max}), then reply SEND. "
        "Reply SKIP if there are none. Reply SEND ANONYMOUS to hide your identity from the "
        "agencies, or SEND CONFIDENTIAL to keep the report's content from the public.",
    ),
    "photo_saved": (
        "Lampiran diterima ({count}/{max}). Kirim lagi, atau balas KIRIM untuk mengirim laporan.",
        "Attachment received ({count}/{max}). Send more, or reply SEND to file the report.",
    ),
    "photo_kept": (
        "Lampiran disimpan dan akan ikut dikirim bersama laporan.",
        "Attachment kept; it will be sent with the report.",
    ),
    "photo_full": (
        "Maksimal {max} lampiran; yang ini tidak kami simpan.",
        "At most {max} attachments; this one was not kept.",
    ),
    "photo_missing": ("Lampiran tidak terbaca.", "The attachment could not be read."),
    "photos_hint": (
        "Kirim foto/dokumen, atau balas KIRIM untuk mengirim laporan (LEWATI jika tidak ada).",
        "Send a photo/document, or reply SEND to file the report (SKIP if there is none).",
    ),
    "empty": ("Pesan Anda kosong.", "Your message is empty."),
    "small_talk": (
        "Terima kasih. Laporan {number} sedang kami tangani. Untuk menambah keterangan, tulis "
        "saja di sini; untuk melihat statusnya, balas STATUS.",
        "Thank you. Report {number} is being handled. To add information, just write it here; "
        "to see its status, reply STATUS.",
    ),
    "unsupported": (
        "Maaf, jenis pesan ini (stiker, pesan suara, dll.) belum bisa kami baca. "
        "Mohon kirim dalam bentuk teks.",
        "Sorry, we cannot read this kind of message (sticker, voice note, ...). Please send text.",
    ),
    "expired": (
        "Percakapan sebelumnya sudah kedaluwarsa (lebih dari {minutes} menit tanpa balasan), "
        "jadi kita mulai lagi dari awal.",
        "Your earlier conversation expired (no reply for over {minutes} minutes), "
        "so we start again.",
    ),
    "cancelled": (
        "Laporan dibatalkan. Kirim pesan kapan saja untuk membuat laporan baru.",
        "Report cancelled. Send a message any time to start a new one.",
    ),
    "nothing_to_cancel": (
        "Tidak ada laporan yang sedang dibuat.",
        "There is no report in progress.",
    ),
    "status_usage": (
        "Tulis STATUS diikuti nomor laporan, misalnya STATUS ABCDE-12345.",
        "Send STATUS followed by the report number, e.g. STATUS ABCDE-12345.",
    ),
    "lapor_short": (
        "Isi laporan terlalu singkat (minimal {min} karakter). "
        "Contoh: LAPOR Jalan di depan SDN 3 berlubang sejak Senin.",
        "The report is too short (at least {min} characters). "
        "Example: LAPOR The road in front of SDN 3 has had a big hole since Monday.",
    ),
    "language_set": ("Bahasa: Indonesia.", "Language: English."),
    "help": (
        "Yang bisa Anda lakukan:\n"
        "• Kirim pesan apa saja untuk membuat laporan langkah demi langkah\n"
        "• LAPOR <isi laporan> untuk melapor langsung\n"
        "• STATUS <nomor> untuk cek laporan\n"
        "• BARU untuk laporan baru, BATAL untuk membatalkan\n"
        "• STOP untuk berhenti menerima notifikasi, MULAI untuk mengaktifkan lagi\n"
        "• ENGLISH for English",
        "What you can do:\n"
        "• Send any message to file a report step by step\n"
        "• LAPOR <your report> to file at once\n"
        "• STATUS <number> to check a report\n"
        "• NEW for a new report, CANCEL to stop\n"
        "• STOP to receive no more notifications, START to receive them again\n"
        "• INDONESIA untuk Bahasa Indonesia",
    ),
    "location_reply": ("Lokasi: {place}", "Location: {place}"),
    # Texts the caller sends after an action.
    "filed": (
        "✅ Laporan Anda kami terima.\nNomor laporan: {number}\nKode rahasia: {secret}\n"
        "Simpan kode ini untuk memantau laporan di portal. Balas percakapan ini untuk menambah "
        "informasi, atau kirim STATUS {number} untuk cek status.",
        "✅ We have received your report.\nReport number: {number}\nSecret code: {secret}\n"
        "Keep this code to follow the report on the portal. Reply to this conversation to add "
        "information, or send STATUS {number} to check its status.",
    ),
    "status": ("Status laporan {number}: {label}.", "Status of report {number}: {label}."),
    "unknown_report": (
        "Laporan {number} tidak ditemukan. Periksa lagi nomornya (contoh: ABCDE-12345).",
        "Report {number} was not found. Please check the number (e.g. ABCDE-12345).",
    ),
    "closed_report": (
        "Laporan {number} sudah ditutup. Belum puas? Ajukan banding di portal selama masa "
        "banding. Laporan baru: kirim BARU atau LAPOR <isi>.",
        "Report {number} is closed. Not satisfied? Appeal on the portal within the appeal "
        "period. New report: send NEW or LAPOR <text>.",
    ),
    "reply_added": (
        "Terima kasih, tambahan Anda sudah masuk ke laporan {number}.",
        "Thank you, your message was added to report {number}.",
    ),
    "opted_out": (
        "Anda tidak akan menerima notifikasi lagi dari nomor ini. Kirim MULAI untuk "
        "mengaktifkan kembali.",
        "You will receive no more notifications from this number. Send START to receive them "
        "again.",
    ),
    "opted_in": (
        "Notifikasi diaktifkan kembali. Kirim STOP untuk berhenti.",
        "Notifications are on again. Send STOP to stop them.",
    ),
}

SMS: dict[str, tuple[str, str]] = {
    "greeting": (
        "Halo, ini layanan pengaduan{service}.",
        "Hello, this is the complaints service{service}.",
    ),
    "ask_type": (
        "Pilih jenis: 1 Pengaduan, 2 Aspirasi, 3 Permintaan informasi. Balas angkanya. "
        "BATAL utk batal.",
        "Choose: 1 Complaint, 2 Suggestion, 3 Request for information. Reply with the number. "
        "CANCEL to stop.",
    ),
    "ask_category": ("Kategori (balas angka/kata):", "Category (reply number/words):"),
    "ask_category_short": ("Beberapa cocok, pilih:", "Several match, choose:"),
    "category_no_match": ('Kategori "{text}" tidak ada.', 'No category matches "{text}".'),
    "other": ("Lainnya/tidak tahu", "Other/don't know"),
    "category_more": ("Tidak ada? Tulis kata kunci.", "Not listed? Type words."),
    "ask_description": (
        "Tulis isi laporan: apa, kapan, di mana (min. {min} karakter).",
        "Describe it: what, when, where (min. {min} characters).",
    ),
    "description_short": (
        "Terlalu singkat ({count} karakter, min. {min}). Mohon tulis lebih lengkap.",
        "Too short ({count} characters, min. {min}). Please tell us more.",
    ),
    "ask_location": (
        "Di mana lokasinya? Tulis alamat/nama tempat, atau balas LEWATI.",
        "Where is it? Type the address or place, or reply SKIP.",
    ),
    "unsupported": (
        "Maaf, pesan ini tidak terbaca. Mohon kirim teks.",
        "Sorry, we cannot read this message. Please send text.",
    ),
    "expired": (
        "Percakapan sebelumnya kedaluwarsa, kita mulai lagi.",
        "Your earlier conversation expired; we start again.",
    ),
    "cancelled": (
        "Laporan dibatalkan. Kirim pesan utk laporan baru.",
        "Report cancelled. Send a message to start a new one.",
    ),
    "lapor_short": (
        "Isi terlalu singkat (min. {min} karakter). Contoh: LAPOR Jalan di depan SDN 3 berlubang.",
        "Too short (min. {min} characters). Example: LAPOR Big hole in the road at SDN 3.",
    ),
    "help": (
        "Kirim pesan utk lapor. LAPOR <isi>: lapor langsung. STATUS <no>: cek. BATAL: batal. "
        "STOP/MULAI: notifikasi. EN: English",
        "Send a message to report. LAPOR <text>: file at once. STATUS <no>: check. CANCEL. "
        "STOP/START: notifications. ID: Indonesia",
    ),
    "filed": (
        "Laporan diterima. No: {number} Kode: {secret}. Balas SMS ini utk menambah info; "
        "STATUS {number} utk cek.",
        "Report received. No: {number} Code: {secret}. Reply to add info; STATUS {number} "
        "to check.",
    ),
}
