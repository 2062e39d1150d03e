"""Realistic Indonesian text for demo reports, follow-ups, answers and the people who write them.

All text is the project's own. Frames are written in a small block format (below) and compiled
once per process; generating a report then only picks from lists and fills ``{slot}`` fields with
``str.format_map`` (no regular expressions at generation time), so a million reports is cheap.

Block format: ``[section]`` starts a section; every other non-empty line holds one item (or
several, separated by `` | ``), and an indented line continues the line above. In ``pool:``
sections values are separated by ``;``. In ``cat:`` sections a ``~`` line lists one problem
phrase per core frame (used in titles), ``=`` lines are resolution sentences for the final answer,
``*name:`` lines are the category's own slot pools, and other lines are core frames.
``topic:`` sections add detail sentences to every category of that topic (see depok.py).

Deterministic: the same seed gives the same sequence of texts.
"""

from __future__ import annotations

import random
import re
import string
from bisect import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Final

from satupintu.demo import depok


@dataclass(frozen=True, slots=True)
class GeneratedReport:
    title: str
    description: str
    address: str | None
    core_index: int  # which core frame of the category was used (for tests and statistics)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    phone: str


_COMMON: Final = """
[pool:place]
depan masjid; dekat pertigaan; samping SD negeri; depan minimarket; dekat pos ronda
dekat mulut gang; seberang warung makan; dekat tikungan; depan pangkalan ojek; dekat musala
depan lapangan voli; dekat jembatan kecil; depan bengkel motor; samping kantor kelurahan
dekat halte; di ujung gang; depan apotek; dekat perempatan; depan sekolah; dekat pos RW
[pool:duration]
sudah berhari-hari; kurang lebih 5 hari; sejak musim hujan kemarin; sudah lebih dari seminggu
sejak awal bulan; hampir setengah tahun; sejak lebaran kemarin; sudah sebulan lebih
sejak tahun lalu; hampir sebulan
[pool:time]
setiap pagi; tiap sore; hampir setiap malam; pada jam berangkat kerja; saat jam pulang kantor
pada akhir pekan; setiap hujan deras; menjelang magrib; tiap malam minggu; di jam sibuk
[pool:when]
tadi pagi; semalam; kemarin sore; tadi subuh; kemarin malam; Senin lalu; akhir pekan kemarin
sekitar pukul 21.00 kemarin; tadi siang; minggu lalu
[pool:impact]
warga kesulitan melintas; sudah ada pengendara motor yang jatuh; warga jadi resah
anak-anak yang berangkat sekolah jadi terganggu; lansia di lingkungan kami sangat terdampak
aktivitas warga sehari-hari terganggu; pedagang sekitar ikut dirugikan; kami khawatir ada korban
ojek online dan angkot enggan lewat; warga harus memutar cukup jauh
[pool:cm]
10; 15; 20; 25; 30; 40; 50
[pool:m]
5; 10; 15; 20; 30; 50; 100; 200
[pool:n]
2; 3; 4; 5; 6; 7; 8
[pool:count]
puluhan; belasan; sekitar 30; lebih dari 50; sekitar 15; hampir 100
[pool:money]
Rp50.000; Rp100.000; Rp150.000; Rp200.000; Rp250.000; Rp300.000; Rp500.000; Rp750.000; Rp1.000.000
Rp1.500.000
[pool:hours]
2 jam; 3 jam; hampir 4 jam; lebih dari 5 jam; seharian
[pool:days]
3 hari; 5 hari; seminggu; 10 hari; 2 minggu; sebulan
[pool:ago]
2 minggu lalu; sebulan yang lalu; 10 hari lalu; kemarin; minggu lalu; 3 hari yang lalu
[pool:minutes]
30 menit; 45 menit; satu jam; hampir satu jam
[pool:weekday]
Senin; Selasa; Rabu; Kamis; Jumat; besok pagi; minggu depan
[pool:missing]
lokasi kejadian secara rinci (nama jalan, RT/RW dan kelurahan); foto kondisi terkini di lokasi
titik lokasi atau patokan terdekat; nama instansi atau unit layanan yang dimaksud
[pool:missing2]
waktu kejadian; kronologi singkat kejadian; nomor registrasi atau bukti pengajuan layanan
nomor telepon yang dapat dihubungi
[frames:title]
{Problem} | {Problem} di Kelurahan {kel} | Laporan {problem} di {kec} | Keluhan {problem} di {kel}
Mohon tindak lanjut: {problem} | {Problem} ({rtrw}, {kel}) | {Problem}, Kecamatan {kec}
[frames:title_place]
{Problem} di {street} | {Problem} di {street}, {kel} | Mohon tindak lanjut: {problem} di {street}
{Problem} dekat {landmark} | Tolong, {problem} di {street}
[frames:opening]
Selamat pagi. | Selamat siang, Bapak/Ibu. | Selamat sore, admin. | Assalamualaikum wr. wb.
Assalamualaikum. | Mohon izin melapor. | Yth. Bapak/Ibu petugas.
Permisi, saya ingin menyampaikan laporan.
Saya warga {rtrw} Kelurahan {kel} ingin menyampaikan keluhan.
Saya warga Kecamatan {kec}, izin menyampaikan aduan.
Kepada Yth. Wali Kota Depok dan dinas terkait.
Mohon izin, saya ingin melaporkan kondisi di lingkungan kami. | Salam sejahtera.
[frames:opening_informal]
min; pagi min; lapor min; halo admin; permisi min, mau lapor; tolong min; assalamualaikum min
ijin lapor; min mau ngadu
[frames:closing]
Mohon segera ditindaklanjuti. | Terima kasih atas perhatiannya. | Mohon bantuannya, terima kasih.
Besar harapan kami agar segera ada perbaikan. | Mohon perhatian dari dinas terkait.
Atas perhatian Bapak/Ibu, kami ucapkan terima kasih. | Mohon segera dicek ke lokasi.
Semoga segera ada solusi. | Terima kasih, wassalamualaikum wr. wb. | Kami tunggu tindak lanjutnya.
[frames:closing_informal]
tolong dong dicek; mohon dibantu ya min; makasih; tlg segera ditindak lanjuti; gercep ya min; trims
ditunggu responnya min; please diperhatikan
[frames:detail]
Kami khawatir kalau dibiarkan akan semakin parah. | Ini bukan pertama kalinya kami melapor.
Warga lain juga mengalami hal yang sama.
Saya bisa dihubungi jika petugas membutuhkan keterangan tambahan.
Mohon laporan ini ditanggapi dengan serius.
[frames:detail_place]
Foto kondisi di lokasi kami lampirkan. | Lokasinya {place}. | Patokannya dekat {landmark}.
Sudah kami sampaikan ke RT/RW, tapi belum ada tindak lanjut. | Kejadian terakhir {ago}.
Warga sekitar juga mengeluhkan hal yang sama.
[frames:address]
{street} No. {no}, {rtrw}, Kel. {kel}, Kec. {kec}
{street}, {rtrw}, Kelurahan {kel}, Kecamatan {kec}, Kota Depok | {street} {place}, Kel. {kel}
Dekat {landmark}, {street}, Kec. {kec} | {street} No. {no}, {kel}, {kec}, Depok
[frames:follow_up]
Terima kasih atas laporan Bapak/Ibu. Laporan telah kami terima dan akan kami tinjau ke lokasi
  bersama {team}.
Laporan telah kami terima dan sedang kami koordinasikan dengan {team}. Peninjauan lapangan
  dijadwalkan dalam {days} ke depan.
Selamat siang, Bapak/Ibu. Laporan Anda sudah kami teruskan kepada {team} untuk dilakukan pengecekan
  di lapangan. Perkembangannya akan kami sampaikan melalui kanal ini.
Terima kasih telah melapor. {Team} akan melakukan verifikasi lapangan terlebih dahulu, dan hasilnya
  akan segera kami informasikan.
Laporan sedang kami proses. Saat ini {team} sedang menyusun jadwal penanganan, mohon kesediaan
  Bapak/Ibu untuk menunggu.
Terima kasih atas informasinya. Kami akan berkoordinasi dengan {team} dan aparat kelurahan setempat
  untuk menindaklanjuti laporan ini.
Laporan telah kami terima. Untuk memastikan kondisinya, {team} akan meninjau lokasi pada hari
  {weekday} dan mendokumentasikan temuan di lapangan.
Mohon maaf atas ketidaknyamanannya. Laporan telah kami catat dan {team} akan menindaklanjutinya
  sesuai prosedur.
[frames:note]
Sudah dikoordinasikan dengan {team}, peninjauan lokasi dijadwalkan hari {weekday}.
Mohon {team} melaporkan hasil peninjauan paling lambat hari {weekday}.
Menunggu ketersediaan material dan anggaran; penanganan sementara sudah dilakukan.
Pelapor sudah dihubungi lewat telepon untuk konfirmasi titik lokasi.
Disposisi ke {team}, mohon segera ditindaklanjuti dan dilaporkan hasilnya.
Laporan serupa pernah masuk dari lokasi yang sama, mohon dicek riwayat penanganannya.
Dokumentasi sebelum dan sesudah penanganan mohon diunggah sebagai lampiran jawaban.
[frames:answer_open]
Terima kasih atas laporan Bapak/Ibu.
Menindaklanjuti laporan Bapak/Ibu, bersama ini kami sampaikan hasil penanganannya.
Terima kasih atas kesabaran Bapak/Ibu menunggu.
Kami informasikan perkembangan terakhir atas laporan ini.
[frames:answer_close]
Apabila masih terdapat kendala, silakan sampaikan kembali melalui kanal ini.
Terima kasih atas partisipasi Bapak/Ibu dalam membangun Kota Depok.
Dengan demikian laporan ini kami nyatakan selesai.
Mohon konfirmasi apabila kondisi di lapangan belum sesuai. | Salam, {agency}.
[frames:forward]
Setelah ditelaah, substansi laporan ini merupakan kewenangan {dst}. Laporan kami teruskan agar dapat
  ditindaklanjuti sesuai ketentuan.
{src} telah berkoordinasi dengan {dst}. Penanganan lebih lanjut berada pada {dst}, sehingga laporan
  ini kami teruskan.
Laporan ini berkaitan dengan layanan {dst} dan berada di luar kewenangan {src}. Sesuai prinsip No
  Wrong Door, laporan kami teruskan ke {dst}.
Mohon izin meneruskan laporan ini ke {dst}, karena objek yang dilaporkan menjadi tanggung jawab
  {dst}.
Berdasarkan hasil telaah {src}, permasalahan yang dilaporkan ditangani oleh {dst}. Laporan telah
  kami teruskan beserta lampirannya.
Objek yang dilaporkan bukan aset {src}. Laporan kami teruskan ke {dst} untuk ditangani.
[frames:return]
Mohon maaf, substansi laporan ini bukan merupakan kewenangan kami. Mohon admin instansi
  mendisposisikan ulang ke perangkat daerah yang berwenang.
Setelah ditelaah, objek yang dilaporkan bukan aset maupun tanggung jawab dinas kami. Laporan kami
  kembalikan untuk didisposisikan ke instansi yang tepat.
Lokasi yang dilaporkan berada di luar wilayah kerja unit kami, sehingga laporan kami kembalikan
  kepada admin instansi.
Laporan ini terkait layanan instansi vertikal atau BUMN, sehingga perlu diteruskan oleh admin
  instansi ke instansi tersebut.
Ruas jalan tersebut berstatus jalan provinsi/nasional sehingga bukan kewenangan Pemerintah Kota.
  Mohon diteruskan ke instansi terkait.
Bukan wewenang kami: permasalahan ini ditangani perangkat daerah lain sesuai Peraturan Wali Kota
  tentang tugas dan fungsi perangkat daerah.
[frames:return_suffix]
Terima kasih. | Mohon arahan lebih lanjut.
[frames:hold]
Terima kasih atas laporannya. Agar dapat kami proses, mohon Bapak/Ibu melengkapi {missing}.
Laporan belum dapat kami teruskan karena informasinya belum lengkap. Mohon ditambahkan {missing}
  serta {missing2}.
Mohon maaf, kami membutuhkan {missing} agar petugas dapat menemukan lokasi dan menindaklanjuti
  laporan.
Laporan kami tunda sementara. Silakan lengkapi {missing} melalui balasan pada laporan ini.
Mohon kesediaan Bapak/Ibu untuk melengkapi {missing2}. Laporan akan kami proses setelah data
  dilengkapi.
[frames:archive]
Laporan tidak dapat ditindaklanjuti karena isinya tidak jelas dan tidak memuat informasi yang cukup.
Pelapor tidak melengkapi data yang diminta hingga batas waktu yang ditentukan.
Laporan ini merupakan duplikat dari laporan sebelumnya yang sedang ditangani.
Substansi laporan tidak berkaitan dengan penyelenggaraan pelayanan publik.
Mohon maaf, laporan berisi ujaran yang tidak pantas dan tidak memuat permasalahan yang dapat
  ditindaklanjuti.
Laporan bersifat umum dan tidak menunjukkan permasalahan yang spesifik.
Permasalahan yang dilaporkan sedang dalam proses hukum sehingga di luar lingkup pengelolaan
  pengaduan.
[frames:reply]
Terima kasih atas tanggapannya, kami tunggu kedatangan petugas.
Sampai hari ini belum ada petugas yang datang ke lokasi. | Sudah diperbaiki, terima kasih banyak.
Perbaikannya baru sebagian, masih ada yang belum ditangani.
Lokasi tepatnya {place}, mohon dicek lagi. | Kapan jadwal pastinya, Pak/Bu? | baik min, ditunggu ya
Kondisinya malah makin parah setelah hujan kemarin. | Berikut saya lampirkan foto terbaru.
Data yang diminta sudah saya lengkapi.
Mohon maaf, jawaban ini tidak sesuai dengan yang saya laporkan.
kok laporannya ditutup padahal belum beres?
Terima kasih, tapi kami berharap penanganannya permanen, bukan sementara.
[frames:rating1]
Sangat kecewa, laporan ditutup padahal di lapangan belum ada perbaikan sama sekali.
Tidak ada tindak lanjut nyata, hanya jawaban template. | Petugas tidak pernah datang ke lokasi.
mengecewakan, masalahnya sama sekali blm selesai | Jawabannya tidak menjawab keluhan saya.
[frames:rating2]
Responsnya lambat sekali, baru ditangani setelah berminggu-minggu.
Sudah ditangani tapi hasilnya asal-asalan.
Perbaikannya cuma sementara, seminggu kemudian rusak lagi. | Kurang puas, komunikasinya tidak jelas.
[frames:rating3]
Lumayan, sudah ditindaklanjuti walaupun agak lama.
Cukup, tapi komunikasi petugas perlu diperbaiki. | Sudah ada tindakan, semoga ke depan lebih cepat.
Standar saja, yang penting sudah ditangani.
[frames:rating4]
Terima kasih, sudah diperbaiki. Semoga ke depan lebih cepat lagi.
Penanganannya baik, petugas datang sesuai janji. | Alhamdulillah sudah beres, terima kasih.
Respons cukup cepat dan jelas.
[frames:rating5]
Mantap, cepat sekali responsnya. Terima kasih Pemkot Depok!
Sangat puas, petugas ramah dan masalah langsung beres.
Luar biasa, sehari setelah lapor langsung ditangani.
Terima kasih banyak, pelayanannya sangat memuaskan. | keren min, gercep banget
"""

# Topic-level detail sentences (the topic is the category's group in depok.py).
_TOPIC_DETAILS: Final = """
[topic:Infrastruktur]
Kalau malam kondisinya tidak terlihat karena penerangan minim.
Sudah pernah ditambal seadanya oleh warga, tapi rusak lagi.
Jalan ini jalur utama warga menuju {landmark}.
[topic:Lingkungan]
Baunya tercium sampai ke dalam rumah. | Banyak lalat dan tikus, kami khawatir anak-anak sakit.
Warga sudah kerja bakti tapi masalahnya terus berulang.
[topic:Perhubungan]
Kondisinya paling parah {time}. | Sudah beberapa kali hampir terjadi kecelakaan.
Petugas jarang terlihat di lokasi.
[topic:Ketertiban]
Warga sudah menegur tapi tidak dihiraukan.
Ketua RT sudah menyampaikan ke kelurahan tapi belum ada tindakan. | Kejadiannya berulang {time}.
[topic:Kebencanaan]
Mohon penanganan cepat karena cuaca masih sering hujan.
Ada lansia dan balita di rumah yang terdampak. | Lokasinya tidak jauh dari {landmark}.
[topic:Kesehatan]
Saya datang bersama orang tua yang sudah lansia.
Informasi di papan pengumuman dan dari petugas berbeda.
Kami hanya ingin pelayanan yang lebih manusiawi.
[topic:Pendidikan]
Banyak orang tua lain yang mengalami hal serupa.
Kami khawatir anak-anak tidak bisa belajar dengan tenang.
Sudah kami tanyakan ke sekolah tapi jawabannya tidak jelas.
[topic:Kependudukan]
Dokumen ini sangat kami perlukan untuk urusan sekolah dan BPJS.
Sudah bolak-balik ke kantor kecamatan tapi jawabannya selalu sama.
Nomor WhatsApp layanan tidak pernah membalas.
[topic:Sosial]
Kondisi keluarga tersebut sangat memprihatinkan. | Ketua RT setempat bisa dimintai keterangan.
Mohon ditangani dengan baik dan identitas pelapor dirahasiakan.
[topic:Ekonomi]
Kami sudah mencoba menghubungi kantor terkait tapi belum ada jawaban.
Kondisi ini sangat merugikan kami sebagai warga kecil.
Banyak warga lain yang mengalami hal yang sama.
[topic:Tata Kelola]
Saya siap memberikan keterangan tambahan jika diperlukan. | Mohon identitas saya dirahasiakan.
Kejadian serupa pernah dialami warga lain.
[topic:Layanan Vertikal]
Kami sudah datang langsung ke kantor layanannya tapi belum ada kejelasan.
Bukti pengajuan dan nomor antrean masih saya simpan. | Mohon dibantu koordinasinya.
[topic:Utilitas]
Kami sudah menghubungi call center tapi belum ada petugas yang datang.
Nomor laporan dari call center sudah ada, tapi belum ada tindak lanjut.
Aktivitas rumah tangga dan usaha warga sangat terganggu.
"""

# Per category: ~ problem phrases; core frames; = resolution sentences; *slot: own pools.
_CATEGORY_TEXT: Final = """
[cat:jalan_rusak]
~ jalan berlubang dalam; jalan rusak parah; lubang besar menganga; aspal mengelupas dan bergelombang
Jalan di {street} {place} berlubang cukup dalam, kira-kira {cm} cm, dan {duration} belum juga
  diperbaiki.
Kondisi {street} di Kelurahan {kel} rusak parah sepanjang kurang lebih {m} meter, sehingga {impact}.
Ada lubang besar di {street} {place}. Kalau hujan lubangnya tertutup genangan dan tidak kelihatan,
  sering ada motor yang terperosok {time}.
Aspal di {street} mengelupas dan bergelombang, {duration} dibiarkan begitu saja.
= Tim UPTD Pemeliharaan Jalan dan Jembatan telah menambal lubang pada ruas yang dilaporkan.
= Perbaikan ruas jalan telah dilaksanakan dengan pengaspalan ulang sepanjang lokasi kerusakan.
= Ruas jalan tersebut masuk program pemeliharaan berkala dan penambalan sementara sudah dilakukan.
[cat:banjir_drainase]
~ genangan air setiap hujan; drainase meluap ke rumah warga; banjir melanda permukiman;
  gorong-gorong ambrol
Setiap hujan deras, air menggenang di {street} {place} setinggi kurang lebih {cm} cm karena
  saluran airnya tersumbat sampah dan lumpur.
Saluran drainase di {rtrw} Kelurahan {kel} sudah dangkal dan tidak pernah dikeruk, {duration} air
  meluap ke rumah warga setiap hujan.
Banjir kembali terjadi di lingkungan kami di {kel}, {kec}. Air masuk ke {count} rumah dan baru
  surut setelah {hours}.
Gorong-gorong di {street} ambrol dan menyempit sehingga air dari perumahan tidak bisa mengalir,
  akibatnya {impact}.
= Petugas telah melakukan normalisasi dan pengerukan saluran drainase pada lokasi yang dilaporkan.
= Gorong-gorong yang rusak telah diperbaiki dan diperlebar sehingga aliran air kembali lancar.
= Pembersihan saluran dari sampah dan sedimen telah dilakukan bersama warga dan aparat kelurahan.
[cat:trotoar]
~ trotoar rusak; trotoar dipakai parkir dan berjualan; penutup saluran trotoar hilang
Trotoar di {street} {place} rusak, banyak ubin yang lepas dan ada lubang saluran tanpa penutup.
Pejalan kaki di {street} terpaksa turun ke badan jalan karena trotoarnya dipakai parkir motor dan
  lapak, sehingga {impact}.
Penutup saluran di trotoar dekat {landmark} hilang {duration}. Lubangnya cukup dalam dan
  berbahaya untuk anak-anak dan lansia.
= Ubin dan penutup saluran pada trotoar yang rusak telah diganti.
= Trotoar telah diperbaiki dan kami berkoordinasi dengan Satpol PP agar tidak dipakai untuk parkir.
[cat:jembatan]
~ jembatan penghubung retak; pagar jembatan patah; fondasi jembatan tergerus
Jembatan kecil penghubung antar-RW di {kel} lantainya sudah retak dan bergoyang kalau dilewati
  motor.
Pagar pengaman jembatan di {street} patah {duration} dan belum diganti, padahal di bawahnya kali
  yang cukup dalam.
Fondasi jembatan {place} di {kel} tergerus arus kali, sehingga {impact}.
= Pagar pengaman dan lantai jembatan telah diperbaiki oleh tim DPUPR.
= Jembatan telah diperiksa tim teknis; perbaikan fondasi dijadwalkan dan sementara kendaraan roda
  empat dilarang melintas.
[cat:tata_ruang]
~ pembangunan menutup saluran air; bangunan melanggar batas; pembangunan gudang tanpa izin
Ada pembangunan ruko di {street} {place} yang menutup saluran air dan memakan bahu jalan. Apakah
  bangunan ini sudah memiliki PBG?
Tetangga di {rtrw} Kelurahan {kel} membangun rumah sampai melewati batas dan menutup akses jalan
  warga.
Di {kel} sedang dibangun gudang di tengah permukiman, {duration} truk besar keluar masuk dan
  {impact}.
= Tim pengawasan tata ruang telah meninjau lokasi dan pemilik bangunan telah diberi surat teguran.
= Bangunan terbukti melanggar garis sempadan; penertiban dilakukan bersama Satpol PP sesuai Perda.
[cat:psu_perumahan]
~ PSU perumahan belum diserahkan; lahan fasos-fasum dikuasai pengembang;
  fasilitas umum perumahan terbengkalai
Jalan dan saluran di perumahan kami di {kel} rusak, tapi pengembangnya sudah tidak ada dan katanya
  PSU belum diserahkan ke Pemkot.
Lahan fasos-fasum di perumahan kami di {kec} malah dipagari dan mau dibangun rumah oleh
  pengembang.
Taman dan jalan lingkungan di perumahan dekat {landmark} tidak terurus {duration}, kami bingung
  harus mengadu ke mana.
= Kami telah berkoordinasi dengan pengembang terkait penyerahan PSU dan perbaikan jalan lingkungan.
= Lahan fasos-fasum tersebut wajib diserahkan kepada Pemkot; pengembang telah dipanggil untuk
  klarifikasi.
[cat:rutilahu]
~ rumah warga hampir roboh; usulan bedah rumah; rumah tidak layak huni
Ada warga lansia di {rtrw} Kelurahan {kel} yang rumahnya hampir roboh, atapnya bocor dan
  dindingnya retak. Mohon bisa dimasukkan program bedah rumah.
Kami mengusulkan rumah salah satu warga kami di {kel} untuk program Rutilahu, kondisinya sudah
  tidak layak ditempati.
Rumah semi permanen di {street} {place} dihuni {n} orang dan lantainya masih tanah. Bagaimana cara
  mendaftarkannya ke program rumah tidak layak huni?
= Rumah yang diusulkan telah diverifikasi dan masuk daftar calon penerima bantuan Rutilahu.
= Usulan telah kami catat; pengajuan dilakukan melalui kelurahan dengan melampirkan KTP, KK dan
  bukti kepemilikan lahan.
[cat:pemakaman]
~ TPU penuh; jalan menuju TPU rusak; pungutan tidak resmi saat pemakaman
TPU di {kel} sudah penuh dan warga kesulitan mencari lahan makam. Mohon informasi TPU yang masih
  tersedia.
Akses jalan ke TPU {place} di {kec} becek dan rusak, sehingga {impact}.
Saat pemakaman keluarga kami di TPU {kec}, kami dimintai biaya {money} oleh oknum tanpa kuitansi
  resmi.
= Jalan akses TPU telah diperbaiki dan petugas kebersihan makam telah ditambah.
= Retribusi pemakaman hanya dibayar sesuai Perda melalui UPTD Pemakaman; oknum yang memungut biaya
  tambahan telah diberi sanksi.
[cat:taman_rth]
~ taman kota tidak terawat; usulan ruang terbuka hijau; fasilitas taman rusak
Taman di dekat {landmark} kurang terawat, rumput tinggi, lampu mati dan beberapa permainan anak
  rusak.
Kami mengusulkan agar lahan kosong di {rtrw} Kelurahan {kel} dijadikan taman atau RTH untuk warga.
Bangku dan ayunan di taman {kel} patah {duration}, berbahaya kalau dipakai anak-anak.
= Petugas pertamanan telah memangkas rumput dan mengganti fasilitas permainan yang rusak.
= Usulan pembangunan taman telah kami catat sebagai bahan perencanaan tahun anggaran mendatang.
[cat:situ_kali]
~ kali meluap; tanggul kali jebol; situ penuh sampah dan eceng gondok
Kali di belakang {rtrw} Kelurahan {kel} meluap setiap hujan deras karena sudah dangkal dan
  menyempit.
Tanggul kali {place} di {kec} jebol sepanjang {m} meter, akibatnya {impact}.
Situ dekat {landmark} dipenuhi eceng gondok dan sampah {duration}, airnya juga berbau.
= BBWS Ciliwung Cisadane telah mengeruk sedimen dan membersihkan eceng gondok di lokasi tersebut.
= Perbaikan tanggul telah diprogramkan; penanganan darurat dengan karung pasir sudah dilakukan
  bersama BPBD dan warga.
[cat:sampah]
~ sampah tidak diangkut; truk sampah tidak datang; TPS penuh sampah;
  jadwal angkut sampah tidak jelas
Sampah di {rtrw} Kelurahan {kel} {duration} tidak diangkut petugas, sekarang sudah menumpuk dan
  bau.
Truk sampah yang biasanya lewat {street} tidak datang lagi {duration}, akibatnya {impact}.
TPS {place} di {kec} sudah penuh sampai ke badan jalan. Baunya menyengat dan banyak lalat.
Jadwal pengangkutan sampah di perumahan kami di {kel} tidak jelas, kadang seminggu sekali, kadang
  dua minggu baru diangkut.
= Sampah di lokasi yang dilaporkan telah diangkut seluruhnya dan ritase di wilayah itu ditambah.
= Armada angkutan sampah telah dijadwalkan ulang agar pengangkutan kembali rutin.
[cat:tps_liar]
~ pembuangan sampah liar; pembakaran sampah; tumpukan sampah liar
Lahan kosong di {street} {place} dijadikan tempat buang sampah liar oleh pengendara yang lewat,
  terutama {time}.
Ada warga yang membakar sampah setiap hari di {rtrw} Kelurahan {kel}, asapnya masuk ke rumah dan
  {impact}.
Di pinggir {street} dekat {landmark} sampah sudah menggunung, padahal sudah ada spanduk larangan
  buang sampah.
= Tumpukan sampah liar telah dibersihkan dan dipasang papan larangan; pengawasan dilakukan bersama
  kelurahan.
= Pelaku pembakaran sampah telah ditegur dan diberi sosialisasi pengelolaan sampah rumah tangga.
[cat:pencemaran]
~ pencemaran limbah pabrik; bau peternakan menyengat; asap pabrik mengganggu
Ada pabrik di {street} yang membuang limbah ke kali, airnya jadi hitam dan berbau, terutama {time}.
Warga {rtrw} Kelurahan {kel} terganggu bau menyengat dari usaha peternakan di dekat permukiman,
  sehingga {impact}.
Asap hitam dari cerobong {place} di {kec} keluar {time} dan membuat sesak napas.
= Petugas pengawas lingkungan telah mengambil sampel untuk diuji di laboratorium dan pelaku usaha
  telah diberi sanksi administratif.
= Pelaku usaha telah diwajibkan memperbaiki instalasi pengolahan limbahnya dan dipantau berkala.
[cat:pohon]
~ pohon besar miring; dahan pohon menyentuh kabel listrik; pohon tumbang menghalangi jalan
Pohon besar di {street} {place} sudah miring dan akarnya terangkat. Kalau hujan dan angin kencang
  kami takut tumbang.
Dahan pohon di pinggir {street} sudah menyentuh kabel listrik, {time} sering terlihat percikan
  api.
Ada pohon tumbang di {kel} {when} dan sampai sekarang batangnya masih menghalangi jalan.
= Pemangkasan dahan dan penebangan pohon yang rawan tumbang telah dilaksanakan oleh petugas.
= Batang pohon tumbang telah dievakuasi dan jalan kembali dapat dilalui.
[cat:pju]
~ lampu jalan mati; PJU padam; lampu jalan nyala-mati
Lampu penerangan jalan di {street} {place} mati {duration}, jalanan jadi gelap gulita dan rawan
  begal.
Ada {n} tiang PJU di sepanjang {street} yang lampunya tidak menyala, sehingga {impact}.
Lampu jalan dekat {landmark} nyala-mati sendiri {time}. Mohon dicek karena di situ ramai orang
  lewat.
= Lampu PJU yang padam telah diganti dan kembali menyala.
= Petugas telah memperbaiki instalasi kabel PJU yang terputus pada ruas jalan tersebut.
[cat:parkir_liar]
~ kendaraan parkir sembarangan; juru parkir liar; parkir liar memakan jalan
*money: Rp5.000; Rp10.000; Rp15.000; Rp20.000
Banyak mobil parkir di bahu {street} {place} sehingga jalan menyempit dan macet, terutama {time}.
Di depan minimarket dekat {landmark} ada juru parkir tanpa rompi resmi yang meminta {money}.
Parkir liar di {street} sudah memakan separuh jalan {duration}, akibatnya {impact}.
= Petugas Dishub telah menertibkan parkir liar dan memasang rambu larangan parkir.
= Juru parkir tidak resmi telah ditertibkan; parkir di lokasi tersebut hanya melalui juru parkir
  resmi yang berompi dan memberikan karcis.
[cat:lalu_lintas]
~ lampu lalu lintas mati; kemacetan parah; rambu lalu lintas hilang
Lampu lalu lintas di persimpangan {street} mati {duration}, kendaraan saling serobot dan rawan
  kecelakaan.
Kemacetan panjang terjadi {time} di {street} dekat {landmark} karena kendaraan putar balik
  sembarangan.
Rambu dilarang masuk di {street} {place} roboh dan hilang, banyak kendaraan besar lewat jalan
  permukiman.
= Lampu APILL telah diperbaiki dan berfungsi normal kembali.
= Petugas Dishub telah ditempatkan pada jam sibuk dan rambu yang hilang telah diganti.
[cat:angkot]
~ angkot ngetem sembarangan; sopir angkot ugal-ugalan; tarif angkot tidak sesuai
*money: Rp5.000; Rp7.000; Rp8.000; Rp10.000
Angkot sering ngetem lama di {street} dekat {landmark} sehingga lalu lintas macet, terutama
  {time}.
Sopir angkot yang lewat {street} ugal-ugalan dan menurunkan penumpang di tengah jalan.
Tarif angkot dari {kel} ke {landmark} dinaikkan sepihak menjadi {money}, padahal tidak ada
  pengumuman resmi.
= Kami telah melakukan pembinaan kepada pengemudi dan operator angkutan umum pada trayek tersebut.
= Penertiban angkutan yang ngetem telah dilakukan dan pengawasan rutin dijadwalkan pada jam sibuk.
[cat:krl]
~ KRL sering terlambat; eskalator stasiun mati; antrean penumpang KRL mengular
*station: Stasiun Depok; Stasiun Depok Baru; Stasiun Pondok Cina; Stasiun Universitas Indonesia
KRL arah Jakarta yang berhenti di {station} sering terlambat {time}, penumpang menumpuk di peron.
Eskalator di {station} mati {duration}, lansia dan penyandang disabilitas kesulitan naik ke peron.
Pintu masuk {station} sangat padat {time}, antrean tap kartu mengular sampai ke jalan.
= KAI Commuter telah memperbaiki eskalator dan menambah petugas pada jam sibuk.
= Pengaturan antrean dan penambahan gerbang tap telah dilakukan KAI Commuter di stasiun tersebut.
[cat:pkl]
~ lapak PKL memakan badan jalan; PKL memenuhi trotoar; PKL kembali berjualan
Pedagang kaki lima di {street} dekat {landmark} berjualan sampai ke badan jalan, sehingga
  {impact}.
Trotoar di {street} {place} penuh lapak PKL {time}, pejalan kaki terpaksa lewat jalan raya.
Sudah pernah ditertibkan, tapi {duration} PKL kembali berjualan di depan {landmark} dan sampahnya
  ditinggal begitu saja.
= Satpol PP telah menertibkan dan mendata PKL di lokasi tersebut; pedagang diarahkan ke lokasi
  relokasi.
= Penertiban PKL telah dilaksanakan dan pengawasan rutin dijadwalkan agar pedagang tidak kembali.
[cat:ketertiban]
~ tempat hiburan mengganggu warga; remaja mabuk-mabukan; bangunan kosong meresahkan warga
Ada tempat karaoke di {street} yang buka sampai dini hari, suaranya sangat bising dan {impact}.
Sekelompok remaja sering nongkrong dan mabuk-mabukan {place} di {kel} {time}.
Bangunan kosong di {rtrw} Kelurahan {kel} dipakai untuk kegiatan yang meresahkan warga
  {duration}.
= Satpol PP bersama aparat kewilayahan telah berpatroli dan melakukan pembinaan di lokasi.
= Pengelola tempat usaha telah diberi teguran tertulis untuk mematuhi jam operasional.
[cat:reklame]
~ spanduk dan baliho liar; papan reklame miring; tempelan iklan liar
Banyak spanduk dan baliho liar dipaku di pohon sepanjang {street}, kelihatan kumuh.
Papan reklame besar di {street} {place} sudah miring dan berkarat, kami khawatir roboh menimpa
  pengendara.
Tiang listrik dan tembok di {kel} penuh tempelan iklan sedot WC dan pinjaman online.
= Spanduk dan reklame tanpa izin telah dibongkar oleh Satpol PP.
= Konstruksi reklame yang membahayakan telah diturunkan dan pemiliknya dipanggil untuk
  klarifikasi perizinan.
[cat:kamtibmas]
~ aksi balap liar; jalan rawan begal; tawuran pelajar
Setiap malam minggu ada balap liar di {street} dekat {landmark}, suaranya bising dan membahayakan
  pengguna jalan.
{Street} di sekitar {kel} rawan begal {time}, sudah ada {n} warga yang jadi korban.
Tawuran pelajar terjadi lagi {place} {when}, warga takut keluar rumah.
= Polres Metro Depok telah meningkatkan patroli pada jam rawan di lokasi yang dilaporkan.
= Personel Polsek setempat telah membubarkan balap liar dan membina para remaja bersama orang tua.
[cat:evakuasi_hewan]
~ ular masuk rumah; sarang tawon berbahaya; biawak berkeliaran
Ada ular cukup besar masuk ke rumah warga di {rtrw} Kelurahan {kel}, sekarang bersembunyi di
  bawah lemari. Mohon bantuan Damkar.
Di pohon depan rumah saya di {street} ada sarang tawon sebesar bola, sudah ada {n} anak yang
  tersengat.
Warga {kel} melihat biawak dan ular di saluran air {place} {when}, kami takut anak-anak digigit.
= Tim penyelamatan Damkar telah mengevakuasi hewan tersebut dan melepasnya ke habitat yang aman.
= Sarang tawon telah dimusnahkan oleh petugas Damkar dengan alat pelindung lengkap.
[cat:proteksi_kebakaran]
~ hidran tidak berfungsi; usulan pos pemadam kebakaran; permohonan sosialisasi APAR
Hidran di dekat {landmark} sudah lama tidak berfungsi, padahal kawasan ini padat penduduk.
Kami mengusulkan pos pemadam kebakaran di {kec} karena waktu kebakaran kemarin mobil damkar baru
  datang setelah {minutes}.
Mohon sosialisasi penggunaan APAR untuk warga {rtrw} Kelurahan {kel}, banyak rumah kontrakan
  yang rawan korsleting.
= Usulan telah kami catat dan sosialisasi pencegahan kebakaran akan dijadwalkan di wilayah tersebut.
= Petugas telah memeriksa hidran dan berkoordinasi dengan PDAM untuk perbaikan pasokan air.
[cat:bencana]
~ tanah longsor; turap ambrol; atap rumah rusak diterjang angin
Tebing di belakang rumah warga {rtrw} Kelurahan {kel} longsor setelah hujan deras {when}, {n}
  rumah terancam.
Turap di pinggir kali {place} ambrol sepanjang {m} meter dan terus tergerus.
Angin kencang {when} merusak atap beberapa rumah di {kel}, {kec}. Mohon bantuan dan pendataan.
= Tim BPBD telah melakukan kaji cepat, memasang terpal dan menyalurkan logistik kepada warga.
= Penanganan darurat telah dilakukan dan perbaikan turap diusulkan ke DPUPR sebagai penanganan
  permanen.
[cat:puskesmas]
~ antrean puskesmas sangat lama; pelayanan puskesmas kurang ramah; stok obat puskesmas kosong;
  jam layanan puskesmas tidak sesuai
Saya berobat ke Puskesmas {kec} {when}, antre dari pukul 07.00 tapi baru dilayani setelah {hours}.
Petugas pendaftaran di Puskesmas {kec} bersikap kurang ramah kepada pasien lansia.
Obat yang diresepkan dokter di puskesmas sering kosong sehingga kami harus membeli sendiri di
  apotek.
Jadwal pelayanan di puskesmas dekat {kel} tidak sesuai papan informasi, pukul 11.00 loket sudah
  tutup.
= Kepala Puskesmas telah mengevaluasi alur pendaftaran dan menambah petugas pada jam sibuk.
= Petugas yang bersangkutan telah diberi pembinaan, dan stok obat telah dipenuhi dari gudang
  farmasi.
[cat:rsud]
~ pelayanan IGD RSUD lambat; antrean rawat jalan RSUD; pasien ditolak karena kamar penuh
Keluarga kami dibawa ke IGD RSUD Kota Depok {when}, tapi menunggu {hours} baru ditangani dokter.
Antrean rawat jalan di RSUD sangat panjang, nomor antrean online tidak sesuai dengan jam layanan.
Orang tua saya pasien BPJS dan disuruh pulang dengan alasan kamar penuh, padahal kondisinya masih
  lemah.
= Manajemen RSUD telah mengevaluasi pelayanan IGD dan menambah dokter jaga pada jam sibuk.
= Sistem antrean online telah disesuaikan dengan kapasitas poliklinik agar waktu tunggu lebih pasti.
[cat:dbd]
~ permohonan fogging; banyak sarang nyamuk; kasus demam berdarah
Di {rtrw} Kelurahan {kel} sudah ada {n} warga yang terkena DBD dalam sebulan terakhir. Mohon
  dilakukan fogging.
Banyak genangan dan barang bekas di lahan kosong {place} yang jadi sarang nyamuk.
Anak tetangga kami dirawat karena demam berdarah {when}, tapi belum ada petugas yang datang
  survei.
= Petugas Puskesmas telah melakukan penyelidikan epidemiologi dan fogging fokus di wilayah tersebut.
= Pemberantasan sarang nyamuk dan pembagian larvasida telah dilakukan bersama kader jumantik.
[cat:bpjs_kesehatan]
~ kepesertaan BPJS PBI nonaktif; kendala pindah faskes BPJS; pasien BPJS diminta bayar
Kartu BPJS Kesehatan saya tiba-tiba nonaktif waktu mau berobat {when}, padahal saya peserta PBI.
Saya sudah {n} kali mengajukan pindah faskes tingkat pertama tapi belum berubah juga.
Ibu saya disuruh membayar {money} di rumah sakit walaupun kartu BPJS-nya aktif.
= BPJS Kesehatan telah mengaktifkan kembali kepesertaan setelah data diverifikasi ulang.
= Perubahan faskes tingkat pertama telah diproses dan berlaku mulai bulan berikutnya.
[cat:ppdb]
~ masalah jalur domisili SPMB; situs SPMB error; dugaan manipulasi domisili PPDB
Anak saya tidak lolos jalur domisili SMP negeri, padahal rumah kami di {kel} hanya berjarak {m}
  meter dari sekolah.
Situs pendaftaran SPMB error {when}, akun anak saya tidak bisa login sampai batas waktu
  pendaftaran.
Ada dugaan manipulasi domisili di PPDB SD di {kec}, beberapa pendaftar baru pindah KK sebulan
  sebelum pendaftaran.
= Panitia SPMB telah memverifikasi ulang jarak domisili dan hasil seleksi telah disesuaikan.
= Kendala akun telah diperbaiki dan masa pendaftaran bagi pendaftar yang terdampak diperpanjang.
[cat:ppdb_sma]
~ koordinat PPDB SMA salah; kuota SMA negeri kurang; biaya daftar ulang SMK negeri
Anak saya gagal daftar SMA negeri di {kec} karena titik koordinat rumah di sistem salah.
Kuota SMA negeri di Depok sangat sedikit, dari {kel} tidak ada sekolah negeri yang terjangkau.
SMK negeri meminta biaya daftar ulang {money}, apakah itu sesuai aturan?
= Kantor Cabang Dinas Pendidikan Provinsi Jawa Barat telah memperbaiki data koordinat pendaftar.
= Dinas Pendidikan Provinsi Jawa Barat telah mengklarifikasi sekolah terkait biaya daftar ulang.
[cat:pungutan_sekolah]
~ kewajiban membeli seragam sekolah; iuran komite memberatkan; pungutan acara perpisahan
Sekolah negeri tempat anak saya di {kec} mewajibkan pembelian seragam dan buku senilai {money}.
Komite sekolah di SD negeri {place} menarik iuran bulanan {money} per siswa, yang tidak bayar
  rapornya ditahan.
Ada pungutan untuk acara perpisahan sebesar {money} yang diwajibkan untuk semua siswa kelas 6.
= Dinas Pendidikan telah memanggil kepala sekolah dan menegaskan larangan pungutan wajib.
= Pungutan tersebut telah dibatalkan dan dana yang disetor dikembalikan kepada orang tua siswa.
[cat:fasilitas_sekolah]
~ atap kelas bocor; toilet sekolah tidak layak; usulan penambahan ruang kelas
Atap ruang kelas di SD negeri di {kel} bocor dan plafonnya hampir jatuh, anak-anak belajar dengan
  waswas.
Toilet di SMP negeri dekat {landmark} rusak {duration}, siswa terpaksa menumpang di rumah warga.
Kami mengusulkan penambahan ruang kelas di {kec} karena satu kelas diisi lebih dari 40 siswa.
= Perbaikan atap ruang kelas telah dianggarkan dan penanganan darurat sudah dilakukan.
= Usulan rehabilitasi dan penambahan ruang kelas telah masuk perencanaan Dinas Pendidikan.
[cat:ktp_kk]
~ KTP-el belum dicetak; perubahan KK lama; data kependudukan tidak sinkron; antrean adminduk panjang
Saya sudah rekam KTP-el {duration} tapi sampai sekarang belum dicetak, katanya blangko kosong.
Pengajuan perubahan KK di Kecamatan {kec} sudah {days} belum selesai, padahal dibutuhkan untuk
  daftar sekolah anak.
NIK saya tidak terbaca di sistem BPJS dan bank, padahal KTP-el saya aktif.
Antrean layanan adminduk di Kecamatan {kec} harus datang subuh, kuotanya cuma sedikit.
= KTP-el yang bersangkutan telah dicetak dan dapat diambil di kantor kecamatan.
= Data kependudukan telah dimutakhirkan dan sudah dapat dipakai untuk verifikasi di instansi lain.
[cat:akta]
~ akta kelahiran belum terbit; salah ketik data akta; syarat akta kematian dipersulit
Saya mengurus akta kelahiran anak secara online {duration}, statusnya masih diproses terus.
Ada salah ketik nama ibu di akta kelahiran anak saya, bagaimana prosedur perbaikannya?
Pengurusan akta kematian orang tua di {kec} diminta syarat tambahan yang tidak ada di
  persyaratan resmi.
= Akta telah diterbitkan dan dapat diunduh melalui layanan daring Disdukcapil.
= Permohonan perbaikan akta telah kami proses dengan dokumen pendukung yang dilampirkan.
[cat:bansos]
~ tidak menerima bantuan sosial; bansos tidak tepat sasaran; pemotongan bansos; cara mendaftar DTSEN
Orang tua saya di {rtrw} Kelurahan {kel} termasuk keluarga tidak mampu tapi tidak pernah menerima
  bansos.
Penyaluran bansos di {kel} tidak tepat sasaran, ada warga yang punya mobil justru dapat bantuan.
Bantuan PKH yang kami terima dipotong {money} oleh oknum pendamping.
Bagaimana cara mendaftar ke DTSEN? Kami sudah ke kelurahan {kel} tapi disuruh menunggu
  musyawarah.
= Data keluarga tersebut telah diusulkan dalam pemutakhiran data kesejahteraan sosial.
= Dinas Sosial telah memverifikasi lapangan dan hasilnya disampaikan untuk pemutakhiran data.
[cat:pmks]
~ ODGJ terlantar; pengemis dan pengamen jalanan; manusia gerobak
Ada ODGJ yang tinggal di emperan toko dekat {landmark} {duration}, kadang mengamuk dan menakuti
  warga.
Banyak pengemis dan pengamen di lampu merah {street} {time}, beberapa membawa anak kecil.
Manusia gerobak sering tidur di trotoar {street} {place}, kasihan kalau hujan.
= Tim Reaksi Cepat Dinas Sosial telah menjangkau yang bersangkutan dan membawanya ke rumah singgah.
= Penjangkauan telah dilakukan bersama Satpol PP; anak-anak yang ditemukan dirujuk untuk
  pendampingan.
[cat:kekerasan_pa]
~ dugaan kekerasan terhadap anak; dugaan KDRT; perundungan terhadap siswa
Saya sering mendengar anak tetangga di {kel} menangis dan dipukuli, mohon bantuan pendampingan.
Ada dugaan KDRT di lingkungan {rtrw} Kelurahan {kel}, korbannya seorang ibu yang takut melapor
  sendiri.
Anak saya mengalami perundungan terhadap siswa di {kec} dan sekarang tidak mau berangkat sekolah.
= UPTD PPA telah melakukan penjangkauan dan memberikan pendampingan psikologis kepada korban.
= Kasus telah ditangani UPTD PPA bersama aparat kewilayahan, dan korban mendapat pendampingan
  hukum.
[cat:kua_madrasah]
~ biaya nikah tidak resmi; layanan KUA lambat; sumbangan wajib madrasah
Kami diminta membayar {money} untuk pencatatan nikah di KUA {kec} pada hari kerja, padahal
  katanya gratis.
Pengurusan duplikat buku nikah di KUA {kec} sudah {days} belum selesai.
Madrasah negeri di {kec} meminta sumbangan wajib untuk pembangunan kelas.
= Kantor Kemenag telah mengklarifikasi KUA terkait; nikah di kantor KUA pada hari kerja tidak
  dipungut biaya.
= Kepala madrasah telah diberi pembinaan dan sumbangan tersebut dinyatakan tidak wajib.
[cat:perizinan]
~ PBG tidak kunjung terbit; calo perizinan; kendala NIB lewat OSS
Saya mengajukan PBG untuk rumah tinggal di {kel} {duration}, statusnya masih verifikasi teknis.
Ada oknum yang menawarkan jasa percepatan izin di Mal Pelayanan Publik dengan biaya {money}.
NIB usaha saya tidak bisa terbit karena KBLI tidak sesuai, petugas di loket tidak bisa
  menjelaskan.
= Permohonan PBG telah selesai diverifikasi dan dokumen izin telah terbit di SIMBG.
= Petugas DPMPTSP telah mendampingi pemohon memperbaiki data KBLI sehingga NIB telah terbit.
[cat:pasar]
~ pasar kotor dan becek; retribusi pasar tanpa karcis; los pasar bocor
*market: Pasar Kemiri Muka; Pasar Agung; Pasar Cisalak; Pasar Tugu; Pasar Sukatani; Pasar Cinere
*money: Rp5.000; Rp10.000; Rp20.000
Lorong di {market} becek dan bau karena saluran airnya tersumbat, pembeli jadi malas datang.
Pedagang di {market} ditarik retribusi tambahan {money} per hari tanpa karcis resmi.
Atap los di {market} bocor {duration}, barang dagangan basah setiap hujan.
= UPTD Pasar telah memperbaiki saluran air dan atap los yang bocor.
= Pungutan tanpa karcis telah dihentikan; retribusi hanya dipungut sesuai Perda dengan karcis.
[cat:harga_pangan]
~ harga beras naik; gas elpiji 3 kg langka; jadwal pasar murah
*money: Rp75.000; Rp80.000; Rp85.000; Rp90.000
Harga beras di warung sekitar {kel} naik jadi {money} per 5 kg, apakah ada operasi pasar dalam
  waktu dekat?
Gas elpiji 3 kg di {kec} sulit dicari {duration}, kalaupun ada harganya jauh di atas HET.
Mohon informasi jadwal pasar murah di wilayah {kec} bulan ini.
= Jadwal operasi pasar dan pasar murah telah kami umumkan melalui kanal resmi Pemkot dan kelurahan.
= Pengawasan HET elpiji 3 kg telah dilakukan dan pangkalan yang melanggar telah diberi teguran.
[cat:umkm]
~ usulan pelatihan UMKM; bantuan modal usaha mikro; koperasi tidak aktif
Kami kelompok ibu-ibu pelaku usaha di {kel} ingin ikut pelatihan pemasaran digital, bagaimana
  caranya?
Mohon informasi program bantuan modal atau pembiayaan untuk usaha mikro di {kec}.
Koperasi di lingkungan kami di {kel} tidak aktif {duration}, anggota bingung soal simpanan
  mereka.
= Kelompok usaha tersebut telah kami daftarkan pada pelatihan pemasaran digital berikutnya.
= Informasi program pembiayaan dan pendampingan usaha mikro telah kami sampaikan kepada pelapor.
[cat:pertanian_hewan]
~ anjing liar berkeliaran; kandang ternak mengganggu warga; jadwal vaksinasi rabies
Banyak anjing liar berkeliaran di {street} {time}, sudah ada warga yang dikejar dan digigit.
Ada warga yang memelihara kambing dan ayam di tengah permukiman padat di {rtrw} Kelurahan {kel},
  baunya sangat mengganggu.
Mohon informasi jadwal vaksinasi rabies gratis untuk hewan peliharaan di {kec}.
= Petugas kesehatan hewan telah melakukan penanganan dan vaksinasi rabies di wilayah tersebut.
= Pemilik ternak telah diberi pembinaan tentang pemeliharaan hewan di kawasan permukiman.
[cat:ketenagakerjaan]
~ gaji tidak dibayar; PHK sepihak; upah tidak sesuai UMK
Saya bekerja di perusahaan di {street} dan gaji saya {duration} belum dibayarkan.
Kami di-PHK sepihak tanpa pesangon, sudah {n} bulan tidak ada kejelasan dari perusahaan.
Perusahaan tempat saya bekerja di {kec} membayar upah tidak sesuai UMK Kota Depok.
= Mediator hubungan industrial telah memanggil para pihak dan memfasilitasi perundingan bipartit.
= Disnaker telah berkoordinasi dengan pengawas ketenagakerjaan Provinsi Jawa Barat, dan
  perusahaan bersedia membayarkan hak pekerja.
[cat:bpjs_tk]
~ pencairan JHT lama; iuran BPJS Ketenagakerjaan tidak disetor; antrean BPJS Ketenagakerjaan
Pengajuan pencairan JHT saya sudah {days} tapi belum ada kabar dari BPJS Ketenagakerjaan.
Perusahaan memotong gaji untuk BPJS Ketenagakerjaan, ternyata iurannya tidak disetor {duration}.
Antrean di kantor BPJS Ketenagakerjaan Depok sangat panjang, layanan online juga sering gagal.
= BPJS Ketenagakerjaan telah memproses klaim JHT dan dana telah ditransfer ke rekening peserta.
= BPJS Ketenagakerjaan telah menegur perusahaan yang menunggak iuran dan meminta pelunasan.
[cat:pajak_daerah]
~ tagihan PBB naik; SPPT PBB belum diterima; nama di SPPT PBB belum diperbarui
Tagihan PBB rumah saya di {kel} naik hampir dua kali lipat tahun ini tanpa pemberitahuan.
SPPT PBB tahun ini belum kami terima, padahal jatuh tempo sudah dekat.
Nama di SPPT PBB masih nama pemilik lama, padahal balik nama sertifikat sudah selesai.
= Bapenda telah meneliti kembali NJOP objek pajak dan SPPT telah diterbitkan ulang.
= Data wajib pajak telah kami perbarui; SPPT PBB dapat diunduh melalui layanan daring Bapenda.
[cat:pajak_kendaraan]
~ pembayaran pajak kendaraan gagal; antrean Samsat; STNK belum diterima
Saya sudah bayar pajak kendaraan lewat aplikasi tapi statusnya belum lunas {duration}.
Antrean di Samsat Depok panjang sekali {time}, loket yang buka sedikit.
STNK perpanjangan lima tahunan saya belum jadi {duration}.
= Samsat Kota Depok telah memvalidasi pembayaran dan status pajak kendaraan sudah lunas.
= Samsat telah menambah loket layanan pada jam sibuk.
[cat:pungli]
~ pungli surat pengantar; permintaan uang pelicin; pungutan izin keramaian
Saat mengurus surat pengantar di kantor kelurahan {kel}, saya dimintai uang {money} oleh oknum
  petugas.
Ada oknum yang meminta {money} agar berkas saya di Kecamatan {kec} diproses lebih cepat.
Warga yang mengurus izin keramaian di {kel} diminta membayar {money} tanpa kuitansi.
= Inspektorat telah melakukan pemeriksaan khusus; oknum yang terbukti memungut telah dijatuhi
  hukuman disiplin.
= Hasil pemeriksaan telah disampaikan kepada pimpinan dan uang yang dipungut telah dikembalikan.
[cat:asn]
~ pegawai meninggalkan loket; sikap petugas tidak sopan; pegawai main gim saat jam layanan
Saya datang ke kantor kelurahan {kel} pukul 10.00 tapi tidak ada petugas di loket sampai {hours}.
Petugas layanan di Kecamatan {kec} berbicara kasar dan membentak warga yang bertanya.
Ada pegawai di kantor Kecamatan {kec} yang sering main gim di jam pelayanan sementara antrean
  panjang.
= Pegawai yang bersangkutan telah diperiksa dan dijatuhi hukuman disiplin sesuai PP 94/2021.
= Pimpinan unit kerja telah melakukan pembinaan dan menata ulang jadwal piket pelayanan.
[cat:informasi_publik]
~ permintaan data penduduk; permintaan data anggaran; permohonan dokumen RTRW
Saya mahasiswa dan ingin meminta data jumlah penduduk per kelurahan di {kec} untuk penelitian.
Mohon informasi besaran anggaran perbaikan jalan di Kelurahan {kel} tahun ini.
Bagaimana cara mengajukan permohonan informasi publik ke PPID Kota Depok? Saya butuh dokumen RTRW.
= Data yang diminta telah kami kirimkan ke surel pemohon sesuai ketentuan keterbukaan informasi.
= Permohonan telah diproses PPID dan dokumennya dapat diakses melalui laman PPID Kota Depok.
[cat:layanan_digital]
~ situs Pemkot tidak bisa diakses; kode OTP aplikasi tidak terkirim; wifi publik mati
Situs layanan Pemkot Depok tidak bisa dibuka {when}, muncul pesan error terus.
Aplikasi layanan warga gagal mengirim kode OTP, sudah {n} kali dicoba.
Wifi publik di {landmark} mati {duration}.
= Gangguan pada server telah diperbaiki dan layanan dapat diakses kembali.
= Perangkat jaringan di lokasi tersebut telah diganti dan wifi publik berfungsi normal.
[cat:usulan_pembangunan]
~ usulan pembangunan jalan lingkungan; usulan musrenbang belum terealisasi; usulan pelebaran jalan
Kami warga {rtrw} Kelurahan {kel} mengusulkan pembangunan jalan lingkungan dan saluran air
  sepanjang {m} meter.
Usulan musrenbang dari {kel} tahun lalu tidak terealisasi, mohon kejelasannya.
Kami mengusulkan pelebaran {street} karena sudah tidak sebanding dengan volume kendaraan.
= Usulan telah kami catat dan akan dibahas dalam Musrenbang tahun berikutnya sesuai prioritas.
= Usulan tersebut telah masuk Rencana Kerja Pemerintah Daerah dan akan dilaksanakan sesuai
  ketersediaan anggaran.
[cat:olahraga_wisata]
~ fasilitas olahraga rusak; usulan lapangan olahraga; tempat wisata tidak terawat
Lapangan olahraga di {kel} rusak dan lampunya mati, anak muda jadi tidak bisa berlatih malam hari.
Kami mengusulkan pembangunan lapangan futsal atau voli untuk pemuda di {kec}.
Fasilitas di {landmark} kurang terawat, toilet kotor dan tempat sampah penuh.
= Perbaikan lapangan dan penerangannya telah dijadwalkan oleh Disporyata.
= Usulan telah kami catat dalam perencanaan sarana olahraga tahun mendatang.
[cat:listrik]
~ listrik sering padam; kabel listrik menjuntai; gardu listrik berbahaya
Listrik di {rtrw} Kelurahan {kel} padam {when} selama {hours}, ini sudah {n} kali dalam seminggu.
Kabel listrik di {street} {place} menjuntai rendah hampir menyentuh kepala pengendara.
Gardu listrik dekat {landmark} sering berbunyi dan mengeluarkan percikan api.
= Petugas PLN telah memperbaiki jaringan dan mengganti komponen yang rusak di gardu distribusi.
= Kabel yang menjuntai telah dirapikan dan jaringan di wilayah tersebut telah dipelihara.
[cat:air_pdam]
~ air PDAM mati; air PDAM keruh; pipa PDAM bocor
Air PDAM di perumahan kami di {kel} tidak mengalir {duration}, tapi tagihan tetap datang.
Air PDAM keluar keruh dan berbau {time}, tidak bisa dipakai untuk masak.
Ada pipa PDAM bocor di {street} {place}, airnya terbuang percuma dan jalan jadi becek.
= Perumda Tirta Asasta telah memperbaiki kebocoran pipa dan aliran air telah normal kembali.
= Jaringan telah dikuras sehingga air kembali jernih; tagihan selama gangguan telah disesuaikan.
[cat:sertifikat_tanah]
~ sertifikat PTSL belum dibagikan; balik nama sertifikat lama; sertifikat ganda
Saya ikut program PTSL di {kel} {duration} tapi sertifikatnya belum juga dibagikan.
Proses balik nama sertifikat di Kantor Pertanahan sudah {days}, statusnya tidak berubah.
Ada sertifikat ganda atas tanah keluarga kami di {kec}, mohon penjelasan langkah penyelesaiannya.
= Kantor Pertanahan Kota Depok telah menyelesaikan proses dan sertifikat dapat diambil di loket.
= Kantor Pertanahan telah menjadwalkan mediasi para pihak terkait sertifikat ganda tersebut.
[cat:paspor]
~ kuota antrean paspor habis; paspor belum jadi; calo paspor
Kuota antrean paspor online di Kantor Imigrasi Depok selalu habis dalam hitungan menit.
Paspor saya belum jadi, padahal wawancaranya {ago}.
Ada calo di sekitar {landmark} yang menawarkan jasa pembuatan paspor cepat dengan biaya {money}.
= Kantor Imigrasi Depok telah menambah kuota layanan dan membuka layanan pada akhir pekan.
= Paspor pemohon telah selesai dicetak dan dapat diambil sesuai jadwal.
[cat:*]
~ permasalahan pelayanan publik; keluhan layanan publik; masalah lingkungan warga
Kami warga {rtrw} Kelurahan {kel} ingin menyampaikan keluhan terkait pelayanan di wilayah {kec},
  {duration} belum ada perbaikan.
Ada masalah di {street} {place} yang mengganggu warga, sehingga {impact}.
Mohon perhatian pemerintah kota terhadap kondisi di sekitar {landmark}, {duration} dibiarkan
  saja.
= Laporan telah ditindaklanjuti oleh perangkat daerah terkait sesuai kewenangannya.
= Permasalahan yang dilaporkan telah ditangani dan dipantau oleh petugas di lapangan.
"""

# Informal style: common chat abbreviations, applied once when frames are compiled.
_ABBREVIATIONS: Final[dict[str, str]] = {
    "sudah": "sdh", "tidak": "tdk", "yang": "yg", "dengan": "dgn", "untuk": "utk",
    "karena": "krn", "belum": "blm", "juga": "jg", "saja": "aja", "sampai": "sampe",
    "sekarang": "skrg", "kalau": "kalo", "banyak": "byk", "tolong": "tlg", "padahal": "pdhl",
    "bagaimana": "gimana", "terima kasih": "makasih", "sangat": "sgt", "tapi": "tp",
}  # fmt: skip
_ABBREVIATION_RE: Final = re.compile(
    r"\b(" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_FULL_STOP_RE: Final = re.compile(r"\.(?=\s|$)")

_PHONE_PREFIXES: Final = (
    "0811 0812 0813 0821 0822 0823 0852 0853 0814 0815 0816 0855 0856 0857 0858 0817 0818 "
    "0819 0859 0877 0878 0895 0896 0897 0898 0899 0881 0882 0887 0888 0838 0831 0832"
).split()
_EMAIL_DOMAINS: Final = ("example.com", "example.net", "example.org")  # reserved, RFC 2606
# Topics whose reports are about a place: they get street titles and "where exactly" details.
_PLACE_TOPICS: Final = frozenset(
    {"Infrastruktur", "Lingkungan", "Perhubungan", "Ketertiban", "Kebencanaan", "Utilitas"}
)


def _sections(*texts: str) -> dict[str, list[str]]:
    """Parse the block format described in the module docstring."""
    out: dict[str, list[str]] = {}
    items: list[str] = []
    for line in "\n".join(texts).splitlines():
        if line.startswith("["):
            items = out.setdefault(line.strip()[1:-1], [])
        elif line[:1].isspace() and line.strip():
            items[-1] += " " + line.strip()
        elif line.strip():
            items.append(line.strip())
    return {
        key: [part for item in items for part in item.split(" | ")] for key, items in out.items()
    }


def _split(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for item in items for part in item.split(";") if part.strip())


def _informal(frame: str) -> str:
    frame = _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(0).lower()], frame)
    return _FULL_STOP_RE.sub("", frame)


def _fields(frame: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(frame) if name}


@dataclass(frozen=True, slots=True)
class _Category:
    problems: tuple[str, ...]  # one per core frame, for titles
    titles: tuple[str, ...]
    cores: tuple[str, ...]
    cores_informal: tuple[str, ...]
    details: tuple[str, ...]
    details_informal: tuple[str, ...]
    resolutions: tuple[str, ...]
    pools: Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class _Compiled:
    frames: dict[str, tuple[str, ...]]
    pools: dict[str, tuple[str, ...]]
    categories: dict[str, _Category]
    generic: _Category
    locations: dict[str, dict[str, tuple[str, ...]]]
    default_location: dict[str, tuple[str, ...]]


class _Slots(dict[str, str]):
    """Slot values for one text: each ``{slot}`` is drawn once, on first use, then reused.

    ``{Slot}`` (capitalised) gives the value of ``{slot}`` with its first letter capitalised.
    """

    __slots__ = ("local", "pools", "rand")

    def __init__(
        self,
        pools: Mapping[str, Sequence[str]],
        local: Mapping[str, Sequence[str]],
        rand: Callable[[], float],
        **preset: str,
    ) -> None:
        super().__init__(preset)
        self.pools = pools
        self.local = local
        self.rand = rand

    def __missing__(self, key: str) -> str:
        if key[0].isupper():
            value = self[key[0].lower() + key[1:]]
            value = value[:1].upper() + value[1:]
        else:
            pool = self.local.get(key) or self.pools[key]
            value = pool[int(self.rand() * len(pool))]
        self[key] = value
        return value


def _location_pools(district: depok.District | None) -> dict[str, tuple[str, ...]]:
    if district is None:
        return {"street": depok.STREETS + depok.LOCAL_STREETS, "landmark": depok.LANDMARKS}
    # Main streets of the kecamatan weigh about as much as the generic alleys.
    return {
        "street": district.streets * 3 + depok.LOCAL_STREETS,
        "landmark": district.landmarks,
    }


@cache
def _compiled() -> _Compiled:
    sections = _sections(_COMMON, _TOPIC_DETAILS, _CATEGORY_TEXT)
    pools = {key[5:]: _split(items) for key, items in sections.items() if key.startswith("pool:")}
    pools["duration"] += tuple(f"sudah {n} minggu" for n in range(2, 7))
    pools["duration"] += tuple(f"sudah {n} hari" for n in range(3, 13))
    pools["duration"] += tuple(f"hampir {n} bulan" for n in range(2, 6))
    pools["rtrw"] = tuple(f"RT {rt:02d}/RW {rw:02d}" for rt in range(1, 13) for rw in range(1, 19))
    pools["no"] = tuple(str(n) for n in range(1, 151)) + ("12A", "27B", "5C", "88A")
    frames = {key[7:]: tuple(items) for key, items in sections.items() if key.startswith("frames:")}
    for key in ("opening_informal", "closing_informal"):
        frames[key] = _split(frames[key])

    def category(code: str, topic: str) -> _Category:
        lines = sections[f"cat:{code}"]
        own = dict(pools)
        for line in lines:
            if line.startswith("*"):
                name, values = line[1:].split(":", 1)
                own[name.strip()] = _split([values])
        cores = tuple(ln for ln in lines if ln[0] not in "~=*")
        place = topic in _PLACE_TOPICS or code == "*"
        details = (*sections.get(f"topic:{topic}", ()), *frames["detail"])
        if place:
            details += frames["detail_place"]
        return _Category(
            problems=_split([ln[1:] for ln in lines if ln.startswith("~")]),
            titles=frames["title"] + frames["title_place"] if place else frames["title"],
            cores=cores,
            cores_informal=tuple(_informal(c) for c in cores),
            details=details,
            details_informal=tuple(_informal(d) for d in details),
            resolutions=tuple(ln[1:].strip() for ln in lines if ln.startswith("=")),
            pools=own,
        )

    categories = {
        c.code: category(c.code, c.topic) for c in depok.CATEGORIES if f"cat:{c.code}" in sections
    }
    compiled = _Compiled(
        frames=frames,
        pools=pools,
        categories=categories,
        generic=category("*", ""),
        locations={d.name: _location_pools(d) for d in depok.DISTRICTS},
        default_location=_location_pools(None),
    )
    _check(compiled)
    return compiled


def _check(compiled: _Compiled) -> None:
    """Fail at start-up, not in the middle of a million reports, on an unknown slot."""
    known = set(compiled.default_location) | {
        "kel",
        "kec",
        "problem",
        "team",
        "agency",
        "src",
        "dst",
    }
    for cat in [*compiled.categories.values(), compiled.generic]:
        allowed = known | set(cat.pools)
        texts = (*cat.cores, *cat.cores_informal, *cat.details, *cat.resolutions)
        for text in (*texts, *(f for fs in compiled.frames.values() for f in fs)):
            unknown = {f for f in _fields(text) if f[0].lower() + f[1:] not in allowed}
            if unknown:
                raise ValueError(f"unknown slots {sorted(unknown)} in frame {text!r}")
        if len(cat.cores) < 3 or len(cat.resolutions) < 2 or len(cat.problems) != len(cat.cores):
            raise ValueError(
                "a category needs 3+ core frames, a problem phrase for each, 2 answers"
            )


def _agency_label(code: str) -> str:
    agency = depok.AGENCY_BY_CODE.get(code)
    return agency.name if agency else code


class ReportTextGenerator:
    """Deterministic generator of Indonesian report texts; one instance per seed.

    ``report()`` takes about 5 µs on the development machine (tests/demo/test_textgen.py).
    """

    informal_share: float = 0.18  # reports written in chat style (abbreviations, no full stops)

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._rand = self._rng.random
        self._c = _compiled()
        self._name_weights = list(accumulate(g.weight for g in depok.NAME_GROUPS))

    # ------------------------------------------------------------------ helpers
    def _pick(self, seq: Sequence[str]) -> str:
        return seq[int(self._rand() * len(seq))]

    def _category(self, code: str) -> _Category:
        return self._c.categories.get(code) or self._c.generic

    def _slots(self, cat: _Category | None = None, **preset: str) -> _Slots:
        pools = cat.pools if cat else self._c.pools
        return _Slots(pools, self._c.default_location, self._rand, **preset)

    def _team_slots(self, category_code: str) -> _Slots:
        spec = depok.CATEGORY_BY_CODE.get(category_code)
        code = spec.agency_code if spec else ""
        agency = depok.AGENCY_BY_CODE.get(code)
        teams = depok.FIELD_TEAMS.get(code, depok.DEFAULT_FIELD_TEAMS)
        return self._slots(
            team=self._pick(teams), agency=agency.short_name if agency else "Pemkot Depok"
        )

    def core_frames(self, category_code: str) -> tuple[str, ...]:
        """The core frames a category's descriptions are built from (empty if it has none)."""
        cat = self._c.categories.get(category_code)
        return cat.cores if cat else ()

    # ------------------------------------------------------------------ reports
    def report(self, category_code: str, *, kelurahan: str, kecamatan: str) -> GeneratedReport:
        rand = self._rand
        c = self._c
        cat = c.categories.get(category_code) or c.generic
        local = c.locations.get(kecamatan) or c.default_location
        informal = rand() < self.informal_share
        frames = c.frames
        if informal:
            cores, details = cat.cores_informal, cat.details_informal
            openings, closings = frames["opening_informal"], frames["closing_informal"]
        else:
            cores, details = cat.cores, cat.details
            openings, closings = frames["opening"], frames["closing"]
        n = len(cores)
        index = int(rand() * n)
        slots = _Slots(
            cat.pools, local, rand, kel=kelurahan, kec=kecamatan, problem=cat.problems[index]
        )
        shape = rand()
        if shape < 0.15:  # a single sentence
            description = cores[index].format_map(slots)
        else:
            parts = []
            if rand() < 0.55:
                parts.append(openings[int(rand() * len(openings))].format_map(slots))
            parts.append(cores[index].format_map(slots))
            if shape > 0.88:  # a longer story: a second aspect of the same problem
                other = (index + 1 + int(rand() * (n - 1))) % n
                parts.append(cores[other].format_map(slots))
            extra = rand()
            if extra > 0.35:
                first = int(rand() * len(details))
                parts.append(details[first].format_map(slots))
                if extra > 0.8:
                    second = (first + 1 + int(rand() * (len(details) - 1))) % len(details)
                    parts.append(details[second].format_map(slots))
            if rand() < 0.7:
                parts.append(closings[int(rand() * len(closings))].format_map(slots))
            description = " ".join(parts)
        titles = cat.titles
        title = titles[int(rand() * len(titles))].format_map(slots)
        if informal and rand() < 0.6:
            description = description.lower()
            title = title.lower()
        address = None
        if rand() < 0.65:
            addresses = frames["address"]
            address = addresses[int(rand() * len(addresses))].format_map(slots)
        return GeneratedReport(title, description, address, index)

    # ------------------------------------------------------------------ officers' texts
    def follow_up(self, category_code: str) -> str:
        """An agency's first tindak lanjut."""
        return self._pick(self._c.frames["follow_up"]).format_map(self._team_slots(category_code))

    def internal_note(self, category_code: str) -> str:
        """A note between officers, not shown to the reporter."""
        return self._pick(self._c.frames["note"]).format_map(self._team_slots(category_code))

    def answer(self, category_code: str) -> str:
        """The final answer that resolves a report, specific to its category."""
        cat = self._category(category_code)
        slots = self._team_slots(category_code)
        resolutions = cat.resolutions
        first = int(self._rand() * len(resolutions))
        parts = [resolutions[first]]
        if self._rand() < 0.2 and first + 1 < len(resolutions):
            parts.append(resolutions[first + 1])
        if self._rand() < 0.75:
            parts.insert(0, self._pick(self._c.frames["answer_open"]))
        if self._rand() < 0.8:
            parts.append(self._pick(self._c.frames["answer_close"]))
        return " ".join(parts).format_map(slots)

    def forward_reason(self, from_agency: str, to_agency: str) -> str:
        """Why an agency forwards a report (No Wrong Door). Takes agency codes or names."""
        slots = self._slots(src=_agency_label(from_agency), dst=_agency_label(to_agency))
        return self._pick(self._c.frames["forward"]).format_map(slots)

    def return_reason(self) -> str:
        """Why an agency returns a report to the verifier as bukan wewenang."""
        text = self._pick(self._c.frames["return"])
        if self._rand() < 0.4:
            text += " " + self._pick(self._c.frames["return_suffix"])
        return text

    def hold_message(self) -> str:
        """A verifier asking the reporter to complete the report (Tunda)."""
        return self._pick(self._c.frames["hold"]).format_map(self._slots())

    def archive_reason(self) -> str:
        return self._pick(self._c.frames["archive"])

    def reporter_reply(self) -> str:
        return self._pick(self._c.frames["reply"]).format_map(self._slots())

    def rating_comment(self, rating: int) -> str:
        """A reporter's comment matching a 1–5 satisfaction rating."""
        if not 1 <= rating <= 5:
            raise ValueError(f"rating must be 1..5, not {rating}")
        return self._pick(self._c.frames[f"rating{rating}"])

    # ------------------------------------------------------------------ people
    def person(self) -> Person:
        """A reporter: Indonesian name, e-mail at a reserved domain, 08xx mobile number."""
        rand = self._rand
        groups = depok.NAME_GROUPS
        group = groups[bisect(self._name_weights, rand() * self._name_weights[-1])]
        female = rand() < 0.5
        if group.single and rand() < 0.2:
            name = self._pick(group.single)
        else:
            first = self._pick(group.female if female else group.male)
            last = self._pick(group.female_surnames if female else group.male_surnames)
            name = first if first == last else f"{first} {last}"
        words = name.lower().replace("'", "").split()
        words = [w for w in words if len(w) > 2] or words
        number = int(rand() * 100)
        style = rand()
        if style < 0.4:
            local = ".".join(words[:2])
        elif style < 0.7:
            local = f"{words[0]}{words[-1]}{number}"
        else:
            local = f"{words[0]}_{number:02d}"
        email = f"{local}@{self._pick(_EMAIL_DOMAINS)}"
        digits = 7 + int(rand() * 3)
        phone = self._pick(_PHONE_PREFIXES) + "".join(str(int(rand() * 10)) for _ in range(digits))
        return Person(name, email, phone)
