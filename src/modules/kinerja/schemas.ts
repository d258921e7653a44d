/** Request and response schemas of the kinerja routes (they also make the OpenAPI document). */
import { z } from 'zod';
import { uuid } from '../../http/schemas.ts';
import { notComputableReasons, polarities } from './capaian.ts';
import { bandsSchema } from './settings.ts';
import { kinerjaFields } from './layout.ts';

export const yearSchema = z.coerce.number().int().min(2000).max(2100);

/** Decimals travel as canonical strings ("1234.56"), never as JSON numbers (no float rounding). */
export const decimalInput = z.string().trim().regex(/^-?\d{1,18}(\.\d{1,6})?$/, 'angka desimal dengan titik, mis. "1234.56" (a decimal with a point, e.g. "1234.56")');
const optionalText = (max: number) => z.string().trim().max(max).transform((v) => (v === '' ? null : v)).nullable();

export const reportQuery = z.strictObject({ unitId: uuid, year: yearSchema.optional() });
export const unitQuery = z.strictObject({ unitId: uuid });

export const indicatorPatch = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(500).optional(),
  satuan: z.string().trim().max(60).optional(),
  target: decimalInput.nullable().optional(),
  realisasi: decimalInput.nullable().optional(),
  polarity: z.enum(polarities).optional(),
  responsibleUnit: optionalText(300).optional(),
  dataSource: optionalText(300).optional(),
  notes: optionalText(2000).optional(),
});

export const versionBody = z.strictObject({ version: z.number().int().min(1) });

export const programmeCreate = z.strictObject({
  unitId: uuid,
  year: z.number().int().min(2000).max(2100),
  name: z.string().trim().min(1).max(500),
  satuan: z.string().trim().max(60).default(''),
  target: decimalInput.nullable().default(null),
  responsibleUnit: optionalText(300).default(null),
  notes: optionalText(2000).default(null),
});
export const programmePatch = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(500).optional(),
  satuan: z.string().trim().max(60).optional(),
  target: decimalInput.nullable().optional(),
  responsibleUnit: optionalText(300).optional(),
  notes: optionalText(2000).optional(),
});
export const progressBody = z.strictObject({
  asOf: z.iso.date(),
  value: decimalInput,
  note: optionalText(500).default(null),
});

export const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});
export const unitHistoryQuery = historyQuery.extend({ unitId: uuid });

const columnIndex = z.number().int().min(0).max(99);
export const mappingSchema = z.strictObject({
  columns: z.strictObject(Object.fromEntries(kinerjaFields.map((f) => [f, columnIndex.optional()])) as Record<(typeof kinerjaFields)[number], z.ZodOptional<typeof columnIndex>>),
  year: z.number().int().min(2000).max(2100).nullable(),
  numberFormat: z.enum(['id', 'en']),
  defaultPolarity: z.enum(polarities),
});
export const mappingBody = z.strictObject({ mapping: mappingSchema });

export const settingsBody = z.strictObject({
  unitId: uuid,
  /** null: remove this unit's own settings. */
  settings: z.strictObject({ bands: bandsSchema, maxCapaian: decimalInput.nullable() }).nullable(),
});

/* ---- responses ---- */

const bandOut = z.object({ key: z.string(), label: z.string(), labelEn: z.string(), min: z.number() });
export const capaianOut = z.union([
  z.object({ computable: z.literal(true), value: z.string().describe('percent, two decimals at most'), capped: z.boolean(), band: bandOut }),
  z.object({ computable: z.literal(false), reason: z.enum(notComputableReasons), message: z.string() }),
]);

export const indicatorOut = z.object({
  id: z.string(),
  goalId: z.string(),
  unitId: z.string(),
  year: z.number(),
  name: z.string(),
  satuan: z.string(),
  target: z.string().nullable(),
  realisasi: z.string().nullable(),
  polarity: z.enum(polarities),
  responsibleUnit: z.string().nullable(),
  dataSource: z.string().nullable(),
  notes: z.string().nullable(),
  capaian: capaianOut,
  version: z.number(),
  updatedAt: z.string(),
});

export const programmeOut = z.object({
  id: z.string(),
  unitId: z.string(),
  year: z.number(),
  name: z.string(),
  satuan: z.string(),
  target: z.string().nullable(),
  responsibleUnit: z.string().nullable(),
  notes: z.string().nullable(),
  progress: z.array(z.object({ asOf: z.string(), value: z.string(), note: z.string().nullable() })),
  capaian: capaianOut,
  version: z.number(),
  updatedAt: z.string(),
});

export const settingsOut = z.object({ bands: z.array(bandOut), maxCapaian: z.string().nullable(), fromUnitId: z.string().nullable() });

export const reportOut = z.object({
  unitId: z.string(),
  year: z.number().nullable(),
  years: z.array(z.number()),
  settings: settingsOut,
  goals: z.array(z.object({ id: z.string(), name: z.string(), indicators: z.array(indicatorOut) })),
  programmes: z.array(programmeOut),
  summary: z.object({ indicators: z.number(), computable: z.number(), byBand: z.record(z.string(), z.number()), notComputable: z.record(z.string(), z.number()) }),
});

export const historyOut = z.object({
  items: z.array(z.object({
    id: z.string(),
    entityType: z.enum(['goal', 'indicator', 'programme']),
    entityId: z.string(),
    action: z.enum(['create', 'update', 'delete', 'progress']),
    source: z.enum(['import', 'edit']),
    importId: z.string().nullable(),
    changedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    changedAt: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })),
});

export const rowErrorOut = z.object({
  row: z.number(),
  field: z.enum(kinerjaFields),
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.string(),
  otherRow: z.number().optional(),
  message: z.string(),
});

export const importOut = z.object({
  id: z.string(),
  unitId: z.string(),
  fileName: z.string().nullable(),
  fileKind: z.enum(['csv', 'xlsx']),
  status: z.enum(['pending', 'applied']),
  headerRows: z.array(z.number()),
  columns: z.array(z.object({ index: z.number(), letter: z.string(), name: z.string(), samples: z.array(z.string()) })),
  dataRows: z.number(),
  numberFormatEvidence: z.object({ id: z.number(), en: z.number() }),
  mapping: mappingSchema,
  mappingProblems: z.array(z.string()),
  rows: z.array(z.object({
    row: z.number(),
    cells: z.array(z.string()),
    record: z.object({
      year: z.number(), goal: z.string(), name: z.string(), satuan: z.string(), target: z.string().nullable(), realisasi: z.string().nullable(),
      polarity: z.enum(polarities), responsibleUnit: z.string().nullable(), dataSource: z.string().nullable(), notes: z.string().nullable(), capaian: capaianOut,
    }).nullable(),
    errors: z.array(rowErrorOut),
  })),
  indicators: z.number(),
  errorCount: z.number(),
  errors: z.array(rowErrorOut),
});

export const importSummaryOut = z.object({
  id: z.string(),
  status: z.literal('applied'),
  indicators: z.number(),
  goalsCreated: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  changed: z.number().describe('created + updated: 0 when the same file is imported again'),
  notInFile: z.number(),
  years: z.array(z.number()),
});
