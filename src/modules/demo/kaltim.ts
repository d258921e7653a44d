/**
 * East Kalimantan as demo data: the province, its seven regencies and three cities (official
 * names), a handful of provincial agencies and one city agency, and one demo person per role.
 */
import type { Role, UnitKind } from '../../db/schema.ts';

export interface DemoUnit {
  key: string;
  parent: string | null;
  kind: UnitKind;
  name: string;
  shortName: string;
  website?: string;
  email?: string;
  address?: string;
}

export const kaltimUnits: DemoUnit[] = [
  { key: 'kaltim', parent: null, kind: 'province', name: 'Pemerintah Provinsi Kalimantan Timur', shortName: 'Pemprov Kaltim', website: 'https://kaltimprov.go.id', address: 'Jl. Gajah Mada No. 2, Samarinda' },
  { key: 'paser', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Paser', shortName: 'Paser', website: 'https://paserkab.go.id' },
  { key: 'kukar', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Kutai Kartanegara', shortName: 'Kukar', website: 'https://kukarkab.go.id' },
  { key: 'berau', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Berau', shortName: 'Berau', website: 'https://beraukab.go.id' },
  { key: 'kubar', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Kutai Barat', shortName: 'Kubar', website: 'https://kutaibaratkab.go.id' },
  { key: 'kutim', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Kutai Timur', shortName: 'Kutim', website: 'https://kutaitimurkab.go.id' },
  { key: 'ppu', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Penajam Paser Utara', shortName: 'PPU', website: 'https://penajamkab.go.id' },
  { key: 'mahulu', parent: 'kaltim', kind: 'regency', name: 'Kabupaten Mahakam Ulu', shortName: 'Mahulu', website: 'https://mahakamulukab.go.id' },
  { key: 'balikpapan', parent: 'kaltim', kind: 'city', name: 'Kota Balikpapan', shortName: 'Balikpapan', website: 'https://balikpapan.go.id' },
  { key: 'samarinda', parent: 'kaltim', kind: 'city', name: 'Kota Samarinda', shortName: 'Samarinda', website: 'https://samarindakota.go.id' },
  { key: 'bontang', parent: 'kaltim', kind: 'city', name: 'Kota Bontang', shortName: 'Bontang', website: 'https://bontangkota.go.id' },
  { key: 'diskominfo', parent: 'kaltim', kind: 'agency', name: 'Dinas Komunikasi dan Informatika Provinsi Kalimantan Timur', shortName: 'Diskominfo Kaltim', website: 'https://diskominfo.kaltimprov.go.id' },
  { key: 'dinkes', parent: 'kaltim', kind: 'agency', name: 'Dinas Kesehatan Provinsi Kalimantan Timur', shortName: 'Dinkes Kaltim' },
  { key: 'disdikbud', parent: 'kaltim', kind: 'agency', name: 'Dinas Pendidikan dan Kebudayaan Provinsi Kalimantan Timur', shortName: 'Disdikbud Kaltim' },
  { key: 'pupr', parent: 'kaltim', kind: 'agency', name: 'Dinas Pekerjaan Umum, Penataan Ruang dan Perumahan Rakyat Provinsi Kalimantan Timur', shortName: 'Dinas PUPR-PERA Kaltim' },
  { key: 'bappeda', parent: 'kaltim', kind: 'agency', name: 'Badan Perencanaan Pembangunan Daerah Provinsi Kalimantan Timur', shortName: 'Bappeda Kaltim' },
  { key: 'biro-adpim', parent: 'kaltim', kind: 'bureau', name: 'Biro Administrasi Pimpinan Sekretariat Daerah Provinsi Kalimantan Timur', shortName: 'Biro Adpim' },
  { key: 'diskominfo-smd', parent: 'samarinda', kind: 'agency', name: 'Dinas Komunikasi dan Informatika Kota Samarinda', shortName: 'Diskominfo Samarinda' },
];

export interface DemoPerson {
  email: string;
  name: string;
  unit: string;
  role: Role;
}

export const kaltimPeople: DemoPerson[] = [
  { email: 'editor.diskominfo@demo.siar.id', name: 'Rina Hapsari', unit: 'diskominfo', role: 'editor' },
  { email: 'approver.diskominfo@demo.siar.id', name: 'Muhammad Faisal', unit: 'diskominfo', role: 'approver' },
  { email: 'admin.samarinda@demo.siar.id', name: 'Siti Rahmawati', unit: 'samarinda', role: 'admin' },
  { email: 'editor.samarinda@demo.siar.id', name: 'Andi Pratama', unit: 'diskominfo-smd', role: 'editor' },
  { email: 'admin.dinkes@demo.siar.id', name: 'dr. Yohana Sirait', unit: 'dinkes', role: 'admin' },
  { email: 'viewer.kaltim@demo.siar.id', name: 'Hendra Wijaya', unit: 'kaltim', role: 'viewer' },
];
